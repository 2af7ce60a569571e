// A small unified diff for --dry-run output: exact LCS on the changed middle of the file
// (patches touch a few places), split into hunks with `context` lines around each change.

type Op = { kind: ' ' | '+' | '-'; text: string; a: number; b: number };

export function unifiedDiff(oldText: string, newText: string, label: string, context = 3): string {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return '';

  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const dp: number[][] = Array.from({ length: midA.length + 1 }, () => new Array<number>(midB.length + 1).fill(0));
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      dp[i]![j] = midA[i] === midB[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  for (let k = 0; k < start; k++) ops.push({ kind: ' ', text: a[k]!, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      ops.push({ kind: ' ', text: midA[i]!, a: start + i, b: start + j });
      i++;
      j++;
    } else if (i < midA.length && (j >= midB.length || dp[i + 1]![j]! >= dp[i]![j + 1]!)) {
      // On a tie the removed line comes first, as in `diff -u`.
      ops.push({ kind: '-', text: midA[i]!, a: start + i, b: start + j });
      i++;
    } else {
      ops.push({ kind: '+', text: midB[j]!, a: start + i, b: start + j });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) ops.push({ kind: ' ', text: a[endA + k]!, a: endA + k, b: endB + k });

  // Group changes into hunks: a change starts a hunk; unchanged runs longer than 2*context split them.
  const out = [`--- a/${label}`, `+++ b/${label}`];
  let idx = 0;
  while (idx < ops.length) {
    while (idx < ops.length && ops[idx]!.kind === ' ') idx++;
    if (idx >= ops.length) break;
    const hunkStart = Math.max(0, idx - context);
    let end = idx;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let run = end;
      while (run < ops.length && ops[run]!.kind === ' ') run++;
      if (run < ops.length && run - end <= 2 * context) {
        end = run;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const slice = ops.slice(hunkStart, end);
    const aLines = slice.filter((o) => o.kind !== '+').length;
    const bLines = slice.filter((o) => o.kind !== '-').length;
    const first = slice[0]!;
    out.push(`@@ -${first.a + 1},${aLines} +${first.b + 1},${bLines} @@`);
    for (const o of slice) out.push(`${o.kind}${o.text}`);
    idx = end;
  }
  return `${out.join('\n')}\n`;
}
