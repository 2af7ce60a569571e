// The command line: argument parsing, exit codes and where output goes.
// Exit codes: 0 clean (nothing at or above the failing level), 1 findings fail the run,
// 2 the tool could not do its job (bad arguments, bad config, unreadable path), 3 internal error.

import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import path from 'node:path';
import { packageRoot } from '../fs/package-root.js';
// Each command's module is imported when the command runs, so `doctor` does not pay for the
// scaffolder's templates and edit engine (and the reverse).
import { UsageError } from '../config/usage-error.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is a terminal (colour and prompts depend on it). */
  isTTY: boolean;
  stdinIsTTY: boolean;
}

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

export function defaultIO(): CliIO {
  // `audiobg doctor | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    // Asked only by `init`; process.stdin would set up a stream (about 4 ms) on every run.
    get stdinIsTTY() {
      return isatty(0);
    },
  };
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command();
  program
    .name('audiobg')
    .description('Find and prevent the mistakes that silently stop background audio in iOS, Android, React Native and Expo apps.')
    .version(toolVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showHelpAfterError('(run "audiobg --help" for usage)');

  program
    .command('doctor')
    .description('check the apps under the given folders (default: the current folder)')
    .argument('[paths...]', 'folders to check')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'sarif', 'github', 'xcode', 'gitlab', 'junit']))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--max-warnings <n>', 'fail when there are more than n warnings', parseCount)
    .addOption(new Option('--fail-on <level>', 'lowest severity that fails the run').choices(['error', 'warning']).default('error'))
    .option('-q, --quiet', 'report errors only (the exit code still counts warnings for --fail-on and --max-warnings)')
    .option('-c, --config <file>', 'use this audiobg.config.json instead of searching for one')
    .option('--no-color', 'plain output without colours')
    .option('--baseline <file>', 'report only findings not in this baseline file; the file is written with every current finding when it does not exist')
    .option('--update-baseline', 'rewrite the baseline file with the current findings (drops entries that no longer match)')
    .option('--fix', 'apply the safe, deterministic fixes of the findings (marked "fixable" in `audiobg rules`), then report what remains')
    .option('--fix-dry-run', 'print a unified diff of what --fix would change, write nothing')
    .option('--changed', 'the arguments are changed files (as pre-commit passes them): check the working directory and report only the apps that hold them')
    .option('--cache', 'keep the facts of each source file between runs, so unchanged files are not read or parsed again (in $XDG_CACHE_HOME/audiobg or ~/.cache/audiobg)')
    .option('--cache-location <path>', 'the cache file, or a folder for one cache file per checked folder (implies --cache; e.g. a folder your CI caches)')
    .option('--concurrency <n|auto|off>', 'threads that parse source files: a number, "auto" (the cores, up to 4, for projects large enough to gain) or "off"', parseConcurrency, 'auto')
    .addHelpText(
      'after',
      `
Formats: pretty (default; coloured on a terminal), json (docs/json-format.md), sarif (SARIF 2.1.0
for GitHub code scanning), github (workflow annotations; the default when GITHUB_ACTIONS=true),
xcode (path:line:column issues for a Run Script build phase), gitlab (GitLab Code Quality report),
junit (JUnit XML: one test suite per app, one test case per rule).

Exit codes:
  0  nothing at or above the failing level (--fail-on, --max-warnings)
  1  findings fail the run
  2  bad arguments or configuration, unreadable or empty folder, report not written
  3  internal error in audiobg (please report it)`,
    )
    .action(async (paths: string[], opts) => {
      const { runDoctorCommand } = await import('./doctor-command.js');
      exitCode = await runDoctorCommand(paths, opts, io);
    });

  program
    .command('rules')
    .description('list every rule with its id, default severity and platform')
    .option('--json', 'machine-readable list')
    .action(async (opts: { json?: boolean }) => {
      const { printRules } = await import('./rules-command.js');
      io.stdout(printRules(Boolean(opts.json)));
    });

  program
    .command('explain')
    .description("print a rule's full documentation")
    .argument('<rule-id>', 'e.g. ios/background-audio-mode-missing')
    .action(async (id: string) => {
      const { printExplain } = await import('./rules-command.js');
      const text = printExplain(id);
      if (text === null) {
        io.stderr(`audiobg: unknown rule "${id}" (run "audiobg rules" for the list)\n`);
        exitCode = EXIT.usage;
      } else io.stdout(text);
    });

  program
    .command('init')
    .description('create a new iOS, Android or Expo app whose audio keeps playing in the background')
    .argument('<dir>', 'folder to create (must be new or empty, unless --force)')
    .addOption(new Option('--platform <platform>', 'which app(s) to create: native ios, android, both, or an expo app').choices(['ios', 'android', 'both', 'expo']))
    .addOption(new Option('--template <template>', 'playback (media player) or ptt (iOS Push to Talk)').choices(['playback', 'ptt']))
    .option('--name <name>', 'the app name shown to users')
    .option('--id <id>', 'reverse-DNS bundle id / package, e.g. com.example.player')
    .addOption(new Option('--android-stack <stack>', 'media3 (AndroidX Media3) or platform (framework APIs only)').choices(['media3', 'platform']))
    .option('-y, --yes', 'accept defaults for anything not given, never prompt')
    .option('--dry-run', 'list the files that would be written, write nothing')
    .option('--force', 'write into a non-empty folder, overwriting files with other content')
    .action(async (dir: string, opts) => {
      const { runInitCommand } = await import('./init-command.js');
      exitCode = await runInitCommand(dir, opts, io);
    });

  program
    .command('add')
    .description('add a background playback service to an existing app and patch its configuration')
    .argument('<what>', 'playback-service (iOS or Android) or ptt-service (iOS)')
    .addOption(new Option('--platform <platform>', 'which app to change when the folder holds both').choices(['ios', 'android']))
    .option('--into <dir>', 'the app folder (default: the current folder)')
    .option('--target <name>', 'the Xcode app target or Gradle app module, when there are several')
    .addOption(new Option('--android-stack <stack>', 'media3 (AndroidX Media3) or platform (framework APIs only)').choices(['media3', 'platform']))
    .addOption(new Option('--language <language>', 'language of the Android service (default: the module\'s own, Java unless it compiles Kotlin)').choices(['java', 'kotlin']))
    .option('--dry-run', 'show the new files and a diff of every patch, write nothing')
    .option('--force', 'overwrite an existing service file that has other content')
    .action(async (what: string, opts) => {
      const { runAddCommand } = await import('./add-command.js');
      exitCode = await runAddCommand(what, opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; real argument errors with 1, which we map to 2.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`audiobg: ${e.message}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.stderr(`audiobg: internal error: ${err.message}\n${err.stack ?? ''}\nPlease report this with the command you ran.\n`);
    return EXIT.internal;
  }
  return exitCode;
}

/** `--concurrency`: threads that parse, the main thread included (see src/parse/parallel.ts). */
export function parseConcurrency(value: string): { threads: number; explicit: boolean } | 'auto' {
  const v = value.trim().toLowerCase();
  if (v === 'auto') return 'auto';
  if (v === 'off') return { threads: 1, explicit: true };
  // Each thread holds its own grammars (about 30 MB); past 16 a typo would cost gigabytes for nothing.
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 16) throw new UsageError(`--concurrency expects a number of threads from 1 to 16, "auto" or "off", not "${value}"`);
  return { threads: Number(v), explicit: true };
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings expects a whole number, not "${value}"`);
  return Number(value);
}
