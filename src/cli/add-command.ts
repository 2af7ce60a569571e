// `audiobg add playback-service|ptt-service`: drop a playback service into an existing app and
// patch its configuration. Patches are idempotent: a second run changes nothing and says so.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../config/load-config.js';
import { applyPlan, statusOf } from '../scaffold/apply-plan.js';
import { planAddIos, type AddPlan, type ServiceKind } from '../scaffold/add-ios.js';
import { planAddAndroid, type AndroidLanguage } from '../scaffold/add-android.js';
import type { AndroidStack } from '../scaffold/init-plan.js';
import { unifiedDiff } from '../edit/unified-diff.js';
import { findFiles } from '../discover/find-files.js';
import { EXIT, type CliIO } from './main.js';

export interface AddFlags {
  platform?: 'ios' | 'android';
  into?: string;
  target?: string;
  androidStack?: AndroidStack;
  language?: AndroidLanguage;
  dryRun?: boolean;
  force?: boolean;
}

const SERVICES = ['playback-service', 'ptt-service'];

function detectPlatform(dir: string): 'ios' | 'android' {
  const { files } = findFiles(dir);
  const ios = files.some((f) => f.kind === 'pbxproj' || (f.kind === 'plist' && path.basename(f.path) === 'Info.plist'));
  const android = files.some((f) => f.kind === 'android-manifest');
  if (ios && android) throw new UsageError(`${dir} holds both an iOS and an Android app; choose one with --platform ios|android`);
  if (ios) return 'ios';
  if (android) return 'android';
  throw new UsageError(`no iOS or Android app found under ${dir}; point --into at the app's folder`);
}

export async function runAddCommand(what: string, flags: AddFlags, io: CliIO): Promise<number> {
  if (!SERVICES.includes(what)) throw new UsageError(`unknown thing to add "${what}"; choose one of: ${SERVICES.join(', ')}`);
  const kind = what as ServiceKind;
  const into = path.resolve(io.cwd, flags.into ?? '.');
  if (!fs.existsSync(into) || !fs.statSync(into).isDirectory()) throw new UsageError(`--into ${into} is not a folder`);
  const platform = kind === 'ptt-service' ? flags.platform ?? 'ios' : flags.platform ?? detectPlatform(into);
  if (kind === 'ptt-service' && platform !== 'ios') {
    throw new UsageError("ptt-service uses Apple's Push to Talk framework, which exists only on iOS");
  }

  const plan: AddPlan = platform === 'ios' ? await planAddIos(into, kind, flags.target) : await planAddAndroid(into, { stack: flags.androidStack ?? 'media3', moduleName: flags.target, force: Boolean(flags.force), language: flags.language });
  const statuses = statusOf(plan.root, plan.entries);
  const pending = statuses.filter((s) => s.status !== 'identical');
  const shown = (p: string) => {
    const abs = path.join(plan.root, p);
    const r = path.relative(io.cwd, abs);
    return r.startsWith('..') ? abs : r || '.';
  };

  if (!pending.length) {
    io.stdout(`Nothing to do: ${what} is already set up in ${path.relative(io.cwd, into) || '.'}; the service and the configuration it needs are in place.\n`);
    for (const step of plan.manualSteps) io.stdout(`  still to do by hand: ${step}\n`);
    return EXIT.ok;
  }

  if (flags.dryRun) {
    io.stdout(`audiobg add ${what} would change ${pending.length} file(s):\n`);
    for (const s of pending) {
      if (s.entry.mode === 'patch' && s.entry.original) {
        io.stdout(unifiedDiff(s.entry.original.toString("utf8"), s.entry.content.toString("utf8"), s.entry.path));
      } else {
        io.stdout(`  ${s.status === 'conflict' ? 'overwrite (needs --force)' : 'create'} ${shown(s.entry.path)} (${s.entry.content.length} bytes)\n`);
      }
    }
    for (const step of plan.manualSteps) io.stdout(`  by hand: ${step}\n`);
    io.stdout('Nothing was written (--dry-run).\n');
    return EXIT.ok;
  }

  const result = applyPlan(plan.root, plan.entries, { force: Boolean(flags.force) });
  io.stdout(`Added ${what}:\n`);
  for (const a of plan.actions) io.stdout(`  ✔ ${a}\n`);
  if (result.identical.length) io.stdout(`  (${result.identical.length} file(s) already up to date)\n`);
  if (plan.manualSteps.length) {
    io.stdout('One more step by hand:\n');
    for (const step of plan.manualSteps) io.stdout(`  • ${step}\n`);
  }
  for (const hint of plan.hints) io.stdout(`Next: ${hint}\n`);
  return EXIT.ok;
}
