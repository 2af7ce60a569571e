import { defineRule } from '../../src/engine/rule.js';

// Files that could not be read or parsed are findings too: a run that could not check
// something must say so, with the file and line, and go on with the rest of the project.
export default defineRule({
  meta: {
    id: 'audiobg/parse-error',
    platform: 'audiobg',
    severity: 'error',
    title: 'File could not be checked',
    description: 'A file that matters for background audio could not be read or parsed, so it was not checked.',
    why: 'audiobg cannot vouch for what it could not read: a malformed Info.plist or AndroidManifest.xml also breaks the build, and an unreadable source may hide any of the other mistakes.',
    fix: 'Fix the syntax error at the reported line, make the file readable, or exclude it with an "ignore" glob in audiobg.config.json if it is not part of the app.',
    docs: [{ title: 'audiobg: configuration and ignore globs', url: 'https://github.com/audiobg/audiobg#configuration' }],
  },
  check(project) {
    return project.problems.map((p) => ({
      message: p.message,
      severity: p.severity,
      location: { file: p.file, line: p.line ?? 1, column: p.column ?? 1 },
    }));
  },
});
