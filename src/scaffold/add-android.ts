// `audiobg add playback-service` for an existing Android app: write PlaybackService into the app
// module's package, declare it and its permissions in the manifest, and add the Media3
// dependencies. The service, its <service> element and its permissions all come from the same
// template that `init` uses, so both paths produce the same, doctor-clean code.

import fs from 'node:fs';
import path from 'node:path';
import { findFiles } from '../discover/find-files.js';
import { Workspace } from '../parse/workspace.js';
import { buildAndroidApps } from '../facts/android/build-android-apps.js';
import type { AndroidApp } from '../facts/android/android-model.js';
import { UsageError } from '../config/load-config.js';
import { attrValue, childElements, parseXml } from '../parse/xml.js';
import { ensureApplicationChild, ensurePermissions } from '../edit/manifest-edit.js';
import { indentUnitOf, indentAt, eolOf, type TextEdit, applyEdits } from '../edit/text-edit.js';
import { lexGradle, matchingClose, type GradleToken } from '../parse/gradle.js';
import type { PlanEntry } from './apply-plan.js';
import type { AddPlan } from './add-ios.js';
import type { AndroidStack } from './init-plan.js';
import { renderString, templatesRoot } from './render.js';
import { synthesizeSampleWav } from './sample-audio.js';
import { buildVars } from './variables.js';

export const MEDIA3_VERSION = '1.11.0';
const MEDIA3_ARTIFACTS = ['media3-exoplayer', 'media3-session'];

export async function planAddAndroid(into: string, stack: AndroidStack, moduleName?: string, force = false): Promise<AddPlan> {
  const found = findFiles(into);
  const ws = new Workspace(found.root, found.files, found.problems);
  try {
    const apps = await buildAndroidApps(ws);
    const app = pickApp(apps, moduleName, into);
    return planForApp(ws.root, app, stack, force);
  } finally {
    await ws.dispose();
  }
}

function pickApp(apps: AndroidApp[], name: string | undefined, into: string): AndroidApp {
  if (!apps.length) throw new UsageError(`no Android application module found under ${into} (a module whose build script applies com.android.application)`);
  if (name) {
    const hit = apps.find((a) => a.name === name || a.gradlePath === name || a.gradlePath === `:${name}`);
    if (!hit) throw new UsageError(`no application module "${name}"; the modules are: ${apps.map((a) => a.gradlePath).join(', ')}`);
    return hit;
  }
  if (apps.length > 1) throw new UsageError(`several application modules (${apps.map((a) => a.gradlePath).join(', ')}); pick one with --target <module>`);
  return apps[0]!;
}

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function patch(root: string, abs: string, original: string, next: string): PlanEntry {
  return { path: rel(root, abs), content: Buffer.from(next), original: Buffer.from(original), source: 'patch', mode: 'patch' };
}

const SESSION_ACTIONS = ['androidx.media3.session.MediaSessionService', 'androidx.media3.session.MediaLibraryService', 'android.media.browse.MediaBrowserService'];

function planForApp(root: string, app: AndroidApp, stack: AndroidStack, force: boolean): AddPlan {
  const plan: AddPlan = { root, entries: [], actions: [], manualSteps: [], hints: [] };
  const mainManifest = app.manifest.files.find((f) => f.fromApp && f.sourceSet === 'main');
  if (!mainManifest) throw new UsageError(`${app.gradlePath} has no src/main/AndroidManifest.xml to declare the service in`);
  const pkg = app.namespace ?? mainManifest.packageName ?? app.applicationId;
  if (!pkg) throw new UsageError(`cannot tell the package of ${app.gradlePath}: set android { namespace = "..." } in its build script`);

  // Controllers (system UI, Bluetooth, Auto) expect one media service per app; do not add a rival.
  const rival = app.manifest.services.find(
    (svc) => svc.name !== `${pkg}.PlaybackService` && svc.actions.some((a) => SESSION_ACTIONS.includes(a.name)),
  );
  if (rival && !force) {
    throw new UsageError(
      `${app.gradlePath} already has a media playback service, ${rival.name} (${rel(root, rival.location.file)}:${rival.location.line}); ` +
        'a second one makes system UI and Bluetooth controllers pick either. Run "audiobg doctor" to check the existing one, or pass --force to add PlaybackService anyway.',
    );
  }

  const vars = buildVars(path.basename(app.root), pkg);
  const stackDir = path.join(templatesRoot(), 'android', stack, 'app', 'src', 'main');
  const render = (file: string) => renderString(fs.readFileSync(file, 'utf8'), vars, file);

  // 1. The service source, in the module's package.
  const srcRoot = ['java', 'kotlin'].map((d) => path.join(app.root, 'src', 'main', d)).find((d) => fs.existsSync(d)) ?? path.join(app.root, 'src', 'main', 'java');
  const servicePath = path.join(srcRoot, ...pkg.split('.'), 'PlaybackService.kt');
  const serviceTemplate = path.join(stackDir, 'java', '{{packagePath}}', 'PlaybackService.kt');
  plan.entries.push({ path: rel(root, servicePath), content: Buffer.from(render(serviceTemplate)), source: `templates/android/${stack}`, mode: 'new' });
  plan.actions.push(`write ${rel(root, servicePath)} (${stack === 'media3' ? 'Media3 MediaSessionService' : 'framework Service with MediaSession'})`);

  // 2. Resources the service needs (the framework-only service plays a bundled sample and has its own strings).
  const resDir = path.join(app.root, 'src', 'main', 'res');
  const stringsTemplate = path.join(stackDir, 'res', 'values', 'playback_strings.xml');
  if (fs.existsSync(stringsTemplate)) {
    const p = path.join(resDir, 'values', 'playback_strings.xml');
    plan.entries.push({ path: rel(root, p), content: Buffer.from(render(stringsTemplate)), source: `templates/android/${stack}`, mode: 'new' });
    plan.actions.push(`write ${rel(root, p)}`);
  }
  if (stack === 'platform') {
    const raw = path.join(resDir, 'raw');
    const hasSample = fs.existsSync(raw) && fs.readdirSync(raw).some((f) => /^sample\./.test(f));
    if (!hasSample) {
      const p = path.join(raw, 'sample.wav');
      plan.entries.push({ path: rel(root, p), content: synthesizeSampleWav(), source: 'generated (synthesised sample sound)', mode: 'new' });
      plan.actions.push(`write ${rel(root, p)} (a sample sound; replace it with your media)`);
    }
  }

  // 3. The manifest: the template's permissions and <service>, fully qualified.
  const template = parseXml(render(path.join(stackDir, 'AndroidManifest.xml')));
  const permissions = childElements(template.root, 'uses-permission').flatMap((e) => {
    const n = attrValue(e, 'android:name');
    return n ? [n] : [];
  });
  const app0 = childElements(template.root, 'application')[0];
  const serviceEl = app0 ? childElements(app0, 'service')[0] : undefined;
  if (!serviceEl) throw new UsageError(`internal: the ${stack} template has no <service>`);
  const manifestText = fs.readFileSync(mainManifest.file, 'utf8');
  // tools: attributes need the tools namespace; keep them only where the manifest declares it.
  const hasTools = attrValue(parseXml(manifestText).root, 'xmlns:tools') !== undefined;
  let templateText = template.text.slice(serviceEl.start.offset, serviceEl.end);
  if (!hasTools) {
    const base = serviceEl.start.offset;
    for (const a of [...serviceEl.attributes].reverse()) {
      if (!a.name.startsWith('tools:')) continue;
      let from = a.start.offset - base;
      while (from > 0 && /\s/.test(templateText[from - 1]!)) from--;
      templateText = templateText.slice(0, from) + templateText.slice(a.valueEnd + 1 - base);
    }
  }
  const templateIndent = indentAt(template.text, serviceEl.start.offset);
  const templateUnit = indentUnitOf(template.text);
  const className = `${pkg}.PlaybackService`;
  let nextManifest = ensurePermissions(manifestText, permissions);
  const result = ensureApplicationChild(nextManifest, 'service', className, (unit) =>
    templateText
      .replace(/android:name="\.PlaybackService"/, `android:name="${className}"`)
      .split(/\r?\n/)
      .map((line, i) => {
        if (i === 0) return line;
        const body = line.startsWith(templateIndent) ? line.slice(templateIndent.length) : line.trimStart();
        const lead = /^[ \t]*/.exec(body)![0];
        const depth = templateUnit === '\t' ? lead.length : Math.round(lead.length / templateUnit.length);
        return unit.repeat(depth) + body.slice(lead.length);
      }),
  );
  nextManifest = result.text;
  if (result.existing) {
    plan.actions.push(`${rel(root, mainManifest.file)} already declares ${className}; left as it is (run "audiobg doctor" to check it)`);
  }
  if (nextManifest !== manifestText) {
    plan.entries.push(patch(root, mainManifest.file, manifestText, nextManifest));
    plan.actions.push(`update ${rel(root, mainManifest.file)} (${result.existing ? '' : '<service>, '}permissions)`);
  }

  // 4. Gradle: the Media3 libraries the service compiles against.
  if (stack === 'media3') {
    const buildText = fs.readFileSync(app.buildFile, 'utf8');
    const next = ensureDependencies(buildText, app.buildFile.endsWith('.kts'), catalogAliases(app));
    if (next !== buildText) {
      plan.entries.push(patch(root, app.buildFile, buildText, next));
      plan.actions.push(`update ${rel(root, app.buildFile)} (androidx.media3 ${MEDIA3_VERSION})`);
    }
  }
  plan.hints.push(`Start playback from your UI through a MediaController (Media3) or by sending PlaybackService.ACTION_PLAY; see templates/android/${stack}/…/MainActivity.kt for a complete example.`);
  return plan;
}

/** Catalog aliases (as written after `libs.`) that point at each Media3 artifact. */
function catalogAliases(app: AndroidApp): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const catalog = path.join(app.buildRoot, 'gradle', 'libs.versions.toml');
  let text: string;
  try {
    text = fs.readFileSync(catalog, 'utf8');
  } catch {
    return out;
  }
  // TOML entries of the [libraries] table: `alias = { module = "g:a" ... }` or `{ group = "g", name = "a" }` or "g:a:v".
  let inLibraries = false;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.startsWith('[')) {
      inLibraries = t === '[libraries]';
      continue;
    }
    if (!inLibraries || !t || t.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_.-]+)\s*=/.exec(t);
    if (!m) continue;
    for (const artifact of MEDIA3_ARTIFACTS) {
      if (t.includes(`androidx.media3:${artifact}`) || (t.includes('"androidx.media3"') && t.includes(`"${artifact}"`))) {
        const list = out.get(artifact) ?? [];
        list.push(m[1]!.replace(/[-_]/g, '.'));
        out.set(artifact, list);
      }
    }
  }
  return out;
}

/**
 * Add `implementation(...)` lines for the Media3 artifacts the script does not already use.
 * Presence is decided on tokens: a coordinate string, or a catalog accessor `libs.<alias>`.
 */
export function ensureDependencies(text: string, kotlin: boolean, aliases: Map<string, string[]>): string {
  const { tokens } = lexGradle(text, kotlin);
  const accessors = new Set<string>();
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k]!.kind === 'ident' && tokens[k]!.value === 'libs') {
      const parts: string[] = [];
      let j = k + 1;
      while (tokens[j]?.value === '.' && tokens[j + 1]?.kind === 'ident') {
        parts.push(tokens[j + 1]!.value);
        j += 2;
      }
      accessors.add(parts.join('.'));
    }
  }
  const missing = MEDIA3_ARTIFACTS.filter((artifact) => {
    const byString = tokens.some((t) => t.kind === 'string' && t.value.startsWith(`androidx.media3:${artifact}`));
    const byAlias = (aliases.get(artifact) ?? []).some((a) => accessors.has(a));
    return !byString && !byAlias;
  });
  if (!missing.length) return text;
  const eol = eolOf(text);
  const lines = missing.map((a) =>
    kotlin ? `implementation("androidx.media3:${a}:${MEDIA3_VERSION}")` : `implementation 'androidx.media3:${a}:${MEDIA3_VERSION}'`,
  );
  const block = topLevelBlock(tokens, 'dependencies');
  const unit = indentUnitOf(text);
  if (!block) {
    const sep = text.endsWith('\n') ? '' : eol;
    return `${text}${sep}${eol}dependencies {${eol}${lines.map((l) => unit + l).join(eol)}${eol}}${eol}`;
  }
  const close = tokens[block.close]!;
  const closeIndent = indentAt(text, close.offset);
  const firstInside = tokens.slice(block.open + 1, block.close).find((t) => t.kind !== 'newline');
  const itemIndent = firstInside ? indentAt(text, firstInside.offset) : closeIndent + unit;
  const lineStart = close.offset - closeIndent.length;
  const edit: TextEdit =
    text.slice(lineStart, close.offset).trim() === ''
      ? { start: lineStart, end: lineStart, text: lines.map((l) => itemIndent + l + eol).join('') }
      : { start: close.offset, end: close.offset, text: `${eol}${lines.map((l) => itemIndent + l).join(eol)}${eol}${closeIndent}` };
  return applyEdits(text, [edit]);
}

function topLevelBlock(tokens: GradleToken[], name: string): { open: number; close: number } | null {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && (t.value === '{' || t.value === '(' || t.value === '[')) depth++;
    else if (t.kind === 'punct' && (t.value === '}' || t.value === ')' || t.value === ']')) depth--;
    else if (depth === 0 && t.kind === 'ident' && t.value === name) {
      let j = k + 1;
      while (tokens[j]?.kind === 'newline') j++;
      if (tokens[j]?.kind === 'punct' && tokens[j]!.value === '{') {
        const close = matchingClose(tokens, j);
        if (close > 0) return { open: j, close };
      }
    }
  }
  return null;
}
