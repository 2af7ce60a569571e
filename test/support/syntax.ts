// Syntax-tree helpers shared by the template tests.

import { walk, type SyntaxNode } from '../../src/parse/tree-sitter.js';

/** Every ERROR or MISSING node of a tree, as "error <type> at line:column". */
export function syntaxProblems(root: SyntaxNode): string[] {
  const out: string[] = [];
  walk(root, (n) => {
    if (n.isError || n.isMissing) out.push(`${n.isMissing ? 'missing' : 'error'} ${n.type} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}`);
  });
  return out;
}

/** A node's text without whitespace, for comparing calls however they are wrapped. */
export const compact = (n: SyntaxNode) => n.text.replace(/\s+/g, '');
