// The published package carries exactly the five grammars doctor parses with (in grammars/, Swift
// and Kotlin plain, the others brotli-compressed, each with its upstream licence) and not the 50 MB tree-sitter-wasms package. The file
// list comes from `npm pack --dry-run`, which is cheap; installing the real tarball and running the
// installed doctor is part of `npm run bench` (scripts/bench.mjs), because it takes seconds.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getParser, grammarFile, firstSyntaxError, type TreeLanguage } from '../../src/parse/tree-sitter.js';
import { REPO_ROOT } from '../support/cli.js';

const LANGUAGES: TreeLanguage[] = ['swift', 'objc', 'kotlin', 'java', 'dart'];
/** The file each grammar ships as (scripts/copy-grammars.mjs says why). */
const SHIPPED: Record<TreeLanguage, string> = {
  swift: 'tree-sitter-swift.wasm',
  kotlin: 'tree-sitter-kotlin.wasm',
  objc: 'tree-sitter-objc.wasm.br',
  java: 'tree-sitter-java.wasm.br',
  dart: 'tree-sitter-dart.wasm.br',
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

beforeAll(() => {
  // `npm run build` writes grammars/; do the same here (a no-op when they are up to date) so the
  // test holds in a checkout where only `npx vitest` was run.
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'copy-grammars.mjs')], { cwd: REPO_ROOT });
});

describe('package footprint', () => {
  it('packs the five grammars with their licences, and neither tree-sitter-wasms nor vendor/', () => {
    const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    const grammars = files.filter((f) => f.startsWith('grammars/')).sort();
    expect(grammars).toEqual(
      [...LANGUAGES.map((l) => `grammars/${SHIPPED[l]}`), ...LANGUAGES.map((l) => `grammars/LICENSE.tree-sitter-${l}`), 'grammars/README.md'].sort(),
    );
    // Near misses: no other WebAssembly file and no source, test or fixture folder rides along.
    expect(files.filter((f) => f.endsWith('.wasm') || f.endsWith('.wasm.br')).length).toBe(LANGUAGES.length);
    expect(files.some((f) => /^(vendor|src|test|fixtures|scripts)\//.test(f))).toBe(false);

    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies['tree-sitter-wasms']).toBeUndefined();
    expect(pkg.devDependencies['tree-sitter-wasms']).toBeDefined();
  });

  it('each licence names an MIT grant', () => {
    for (const lang of LANGUAGES) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'grammars', `LICENSE.tree-sitter-${lang}`), 'utf8');
      expect(text, lang).toMatch(/Permission is hereby granted, free of charge/);
      expect(text, lang).toMatch(/Copyright \(c\) \d{4}/);
    }
  });

  it.each(LANGUAGES)('loads the %s grammar from grammars/ and parses with it', async (lang) => {
    expect(grammarFile(lang)).toBe(path.join(REPO_ROOT, 'grammars', SHIPPED[lang]));
    const parser = await getParser(lang);
    const good: Record<TreeLanguage, string> = {
      swift: 'final class Deck { func spin() {} }\n',
      objc: '@interface Deck : NSObject\n- (void)spin;\n@end\n',
      kotlin: 'class Deck { fun spin() {} }\n',
      java: 'class Deck { void spin() {} }\n',
      dart: 'class Deck { void spin() {} }\n',
    };
    const tree = parser.parse(good[lang]);
    expect(firstSyntaxError(tree.rootNode)).toBeNull();
    // Near miss: stray brackets are a syntax error, so the parser is really reading the text.
    const broken = parser.parse(`${good[lang]}) ] (\n`);
    expect(firstSyntaxError(broken.rootNode)).not.toBeNull();
    tree.delete();
    broken.delete();
  });
});
