// What `audiobg init` writes, as an in-memory plan: rendered templates plus generated assets.

import path from 'node:path';
import { UsageError } from '../config/load-config.js';
import { renderTemplates, templatesRoot } from './render.js';
import type { PlanEntry } from './apply-plan.js';
import { synthesizeSampleWav } from './sample-audio.js';
import { buildVars, validateId, validateName, type TemplateVars } from './variables.js';

/** `both` is native iOS + Android; `expo` is an Expo (React Native) app with expo-audio. */
export type InitPlatform = 'ios' | 'android' | 'both' | 'expo';
export type InitTemplate = 'playback' | 'ptt';
export type AndroidStack = 'media3' | 'platform';

export interface InitOptions {
  platform: InitPlatform;
  template: InitTemplate;
  name: string;
  id: string;
  androidStack: AndroidStack;
}

export function checkCombination(platform: InitPlatform, template: InitTemplate): void {
  if (template === 'ptt' && platform === 'expo') {
    throw new UsageError(
      'the ptt template uses Apple\'s Push to Talk framework, which no Expo module exposes; Push to Talk is native-only: use --platform ios with --template ptt',
    );
  }
  if (template === 'ptt' && platform !== 'ios') {
    throw new UsageError(
      'the ptt template uses Apple\'s Push to Talk framework, which exists only on iOS; use --platform ios with --template ptt ' +
        '(Android has no system push-to-talk framework to scaffold)',
    );
  }
}

export function planInit(options: InitOptions): { vars: TemplateVars; entries: PlanEntry[] } {
  checkCombination(options.platform, options.template);
  if (options.platform === 'expo') return planExpo(options);
  const platforms: ('ios' | 'android')[] = options.platform === 'both' ? ['ios', 'android'] : [options.platform as 'ios' | 'android'];
  const name = validateName(options.name);
  const id = validateId(options.id, platforms);
  const vars = buildVars(name, id);
  const root = templatesRoot();
  const entries: PlanEntry[] = [];
  const wav = synthesizeSampleWav();

  for (const platform of platforms) {
    const prefix = options.platform === 'both' ? platform : '';
    const join = (rel: string) => (prefix ? `${prefix}/${rel}` : rel);
    if (platform === 'ios') {
      for (const f of renderTemplates([path.join(root, 'ios', options.template)], vars, prefix)) entries.push({ ...f, mode: 'new' });
      entries.push({ path: join(`${vars.swiftTypeName}/Resources/sample.wav`), content: wav, source: 'generated (synthesised sample sound)', mode: 'new' });
    } else {
      const dirs = [path.join(root, 'android', 'common'), path.join(root, 'android', options.androidStack)];
      for (const f of renderTemplates(dirs, vars, prefix)) entries.push({ ...f, mode: 'new' });
      entries.push({ path: join('app/src/main/res/raw/sample.wav'), content: wav, source: 'generated (synthesised sample sound)', mode: 'new' });
    }
  }
  entries.sort((a, b) => a.path.localeCompare(b.path));
  return { vars, entries };
}

/** An Expo app: one template folder (an Expo SDK blank-typescript layout) plus the sample sound. */
function planExpo(options: InitOptions): { vars: TemplateVars; entries: PlanEntry[] } {
  const name = validateName(options.name);
  // The id becomes both the iOS bundle identifier and the Android package.
  const id = validateId(options.id, ['ios', 'android']);
  const vars = buildVars(name, id);
  const entries: PlanEntry[] = renderTemplates([path.join(templatesRoot(), 'expo', options.template)], vars).map((f) => ({ ...f, mode: 'new' }));
  entries.push({ path: 'assets/sample.wav', content: synthesizeSampleWav(), source: 'generated (synthesised sample sound)', mode: 'new' });
  entries.sort((a, b) => a.path.localeCompare(b.path));
  return { vars, entries };
}
