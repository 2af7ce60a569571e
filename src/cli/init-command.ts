// `audiobg init <dir>`: scaffold a new iOS and/or Android (or Expo) app that plays in the background.
// Every prompt has a flag; without a terminal (or with CI set) it never prompts and fails fast,
// naming the missing flags.

import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UsageError, DEFAULT_CONFIG } from '../config/load-config.js';
import { applyPlan } from '../scaffold/apply-plan.js';
import { planInit, checkCombination, type AndroidStack, type InitPlatform, type InitTemplate } from '../scaffold/init-plan.js';
import { deriveTypeName } from '../scaffold/variables.js';
import { runDoctor } from '../engine/run-doctor.js';
import { EXIT, type CliIO } from './main.js';

export interface InitFlags {
  platform?: InitPlatform;
  template?: InitTemplate;
  name?: string;
  id?: string;
  androidStack?: AndroidStack;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

export interface Prompter {
  ask(question: string, defaultValue: string, choices?: string[]): Promise<string>;
  close(): void;
}

function terminalPrompter(): Prompter {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    async ask(question, defaultValue, choices) {
      for (;;) {
        const hint = choices ? ` (${choices.join('/')})` : '';
        const answer = (await rl.question(`${question}${hint} [${defaultValue}]: `)).trim() || defaultValue;
        if (!choices || choices.includes(answer)) return answer;
        process.stderr.write(`Please answer one of: ${choices.join(', ')}\n`);
      }
    },
    close: () => rl.close(),
  };
}

function defaultId(name: string, dir: string): string {
  const base = deriveTypeName(name, path.basename(dir)).toLowerCase();
  return `com.example.${/^[a-z]/.test(base) ? base : `app${base}`}`;
}

export async function runInitCommand(dir: string, flags: InitFlags, io: CliIO, prompter?: Prompter): Promise<number> {
  const target = path.resolve(io.cwd, dir);
  const interactive = !flags.yes && io.stdinIsTTY && !io.env.CI;
  const missing = (['platform', 'template', 'name', 'id'] as const).filter((k) => flags[k] === undefined);

  let platform = flags.platform;
  let template = flags.template;
  let name = flags.name;
  let id = flags.id;
  const androidStack: AndroidStack = flags.androidStack ?? 'media3';

  if (missing.length && !flags.yes) {
    if (!interactive) {
      const example = `audiobg init ${dir} --platform both --template playback --name "My Player" --id com.example.myplayer`;
      throw new UsageError(
        `missing ${missing.map((m) => `--${m}`).join(', ')} (no terminal to ask on${io.env.CI ? ', CI is set' : ''}); for example:\n  ${example}\n  or pass --yes to accept the defaults`,
      );
    }
    const p = prompter ?? terminalPrompter();
    try {
      platform ??= (await p.ask('Platform', 'both', ['ios', 'android', 'both', 'expo'])) as InitPlatform;
      template ??= (await p.ask('Template', 'playback', platform === 'ios' ? ['playback', 'ptt'] : ['playback'])) as InitTemplate;
      name ??= await p.ask('App name', path.basename(target));
      id ??= await p.ask('Bundle id / package', defaultId(name, target));
    } finally {
      p.close();
    }
  }
  platform ??= 'both';
  template ??= 'playback';
  name ??= path.basename(target);
  id ??= defaultId(name, target);
  checkCombination(platform, template);
  if (flags.androidStack !== undefined && platform === 'ios') {
    throw new UsageError('--android-stack chooses the Android service stack, but --platform ios creates no Android app; drop it or use --platform android|both');
  }
  if (flags.androidStack !== undefined && platform === 'expo') {
    throw new UsageError('--android-stack chooses the native Android service stack; an Expo app uses the expo-audio service instead, so drop it');
  }
  if (flags.id === undefined && /^com\.example(\.|$)/i.test(id)) {
    // A defaulted id (--yes, or Enter at the prompt) is a placeholder both stores reject; say so
    // before it is copied into signing and store setup.
    io.stderr(`audiobg: warning: the id ${id} is a placeholder: App Store Connect and Google Play refuse com.example ids; pass --id with your own reverse-DNS id before you publish\n`);
  }

  const { vars, entries } = planInit({ platform, template, name, id, androidStack });

  const exists = fs.existsSync(target);
  if (exists && !fs.statSync(target).isDirectory()) throw new UsageError(`${target} exists and is not a folder`);
  const nonEmpty = exists && fs.readdirSync(target).length > 0;
  if (nonEmpty && !flags.force) {
    throw new UsageError(`${target} is not empty; choose a new folder or pass --force to write into it (files with other content are overwritten)`);
  }

  const shown = path.relative(io.cwd, target) || '.';
  if (flags.dryRun) {
    io.stdout(`audiobg init would write ${entries.length} files into ${shown}:\n`);
    for (const e of entries) io.stdout(`  ${e.path}  (${e.content.length} bytes, from ${e.source})\n`);
    io.stdout('Nothing was written (--dry-run).\n');
    return EXIT.ok;
  }

  const result = applyPlan(target, entries, { force: Boolean(flags.force) });
  const kind = platform === 'both' ? 'iOS and Android' : platform === 'ios' ? 'iOS' : platform === 'expo' ? 'Expo, expo-audio' : `Android, ${androidStack}`;
  io.stdout(`Created ${vars.appName} (${template}, ${kind}) in ${shown}: ${result.written.length} files.\n`);

  // The generated app is the reference for everything doctor checks: prove it on the spot.
  const check = await runDoctor({ paths: [target], config: DEFAULT_CONFIG });
  const problems = check.findings;
  if (problems.length) {
    io.stderr(`audiobg doctor found ${problems.length} problem(s) in the generated app; this is a bug in audiobg, please report it:\n`);
    for (const f of problems) io.stderr(`  ${path.relative(target, f.location.file)}:${f.location.line} ${f.ruleId} ${f.message}\n`);
  } else {
    io.stdout('✔ audiobg doctor: no findings in the generated app.\n');
  }
  io.stdout(nextSteps(shown, platform, vars.swiftTypeName));
  return problems.length ? EXIT.findings : EXIT.ok;
}

function nextSteps(dir: string, platform: InitPlatform, typeName: string): string {
  const lines = ['', 'Next steps:'];
  if (platform === 'expo') {
    lines.push(`  cd ${dir} && npm install, then npx expo run:ios --device (or npx expo run:android): a development build, since Expo Go`);
    lines.push('  cannot apply the config plugin. Press play, lock the screen. See README.md.');
    return `${lines.join('\n')}\n`;
  }
  const ios = platform === 'both' ? `${dir}/ios` : dir;
  const android = platform === 'both' ? `${dir}/android` : dir;
  if (platform !== 'android') lines.push(`  iOS:     open ${ios}/${typeName}.xcodeproj, pick your team under Signing & Capabilities, run on a device, lock the screen.`);
  if (platform !== 'ios') {
    lines.push(`  Android: open ${android} in Android Studio (it creates the Gradle wrapper), run, press play, lock the screen.`);
    lines.push(`           Without Studio: run "gradle wrapper" once in ${android} (Gradle 9.6.1 or newer), then ./gradlew installDebug.`);
  }
  return `${lines.join('\n')}\n`;
}
