// Dotted version comparison for library versions such as "1.9.0", "1.10.0-rc01", "1.4.1".

/** Negative when a < b, 0 when equal (ignoring pre-release suffixes' order beyond "release wins"), positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v.trim());
    if (!m) return { nums: [] as number[], pre: v };
    return { nums: m[1]!.split('.').map(Number), pre: m[2]! };
  };
  const x = split(a);
  const y = split(b);
  const n = Math.max(x.nums.length, y.nums.length);
  for (let i = 0; i < n; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  // 1.9.0-alpha01 < 1.9.0
  if (x.pre && !y.pre) return -1;
  if (!x.pre && y.pre) return 1;
  return 0;
}
