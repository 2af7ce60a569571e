// The few variables templates may use, derived from the user's --name and --id and validated
// before anything is rendered.

import { UsageError } from '../config/load-config.js';

export interface TemplateVars {
  /** Display name exactly as given (only ever inserted through an escaper). */
  appName: string;
  /** ASCII PascalCase identifier: Swift type prefix, Xcode target and folder name. */
  swiftTypeName: string;
  bundleId: string;
  packageName: string;
  packagePath: string;
  /** Lowercase ASCII words joined by hyphens: the npm package name and Expo slug. */
  slug: string;
  year: string;
}

// Java reserved words plus Kotlin hard keywords: none may be a package segment.
const RESERVED = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends final ' +
    'finally float for goto if implements import instanceof int interface long native new package private protected public ' +
    'return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null ' +
    'as fun in is object typealias typeof val var when _'
  ).split(' '),
);

// Names that would collide with system modules or SwiftUI types when used as the target/module name.
const CLASHING_TYPE_NAMES = new Set([
  'App', 'View', 'Scene', 'Text', 'Button', 'Color', 'Image', 'Self', 'Type', 'Protocol', 'Any', 'Swift', 'SwiftUI', 'UIKit',
  'Foundation', 'Combine', 'AVFoundation', 'AVFAudio', 'AVKit', 'MediaPlayer', 'PushToTalk', 'Observation', 'Main',
]);

export function validateName(raw: string | undefined): string {
  const name = (raw ?? '').trim();
  if (!name) throw new UsageError('--name must not be empty (it is the name shown under the app icon)');
  if ([...name].length > 64) throw new UsageError('--name is longer than 64 characters; pick a shorter display name');
  // Control characters cannot appear in XML 1.0 files at all, so no escaper could save them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UsageError('--name must not contain control characters such as newlines or tabs');
  return name;
}

export function validateId(raw: string | undefined, platforms: ('ios' | 'android')[]): string {
  const id = (raw ?? '').trim();
  const example = 'for example --id com.example.podcast';
  if (!id) throw new UsageError(`--id is required: a reverse-DNS identifier, ${example}`);
  const segments = id.split('.');
  if (segments.length < 2 || segments.some((s) => s === '')) {
    throw new UsageError(`--id "${id}" is not reverse-DNS: it needs at least two dot-separated parts, ${example}`);
  }
  const android = platforms.includes('android');
  for (const seg of segments) {
    if (/^[0-9]/.test(seg)) throw new UsageError(`--id "${id}": the part "${seg}" starts with a digit, which a Java/Kotlin package and many tools reject`);
    const ok = android ? /^[A-Za-z][A-Za-z0-9_]*$/.test(seg) : /^[A-Za-z][A-Za-z0-9-]*$/.test(seg);
    if (!ok) {
      throw new UsageError(
        android
          ? `--id "${id}": the part "${seg}" may only hold letters, digits and underscores (it becomes the Kotlin package)`
          : `--id "${id}": the part "${seg}" may only hold letters, digits and hyphens (an iOS bundle identifier)`,
      );
    }
    if (android && RESERVED.has(seg)) {
      throw new UsageError(`--id "${id}": "${seg}" is a Java/Kotlin keyword and cannot be part of a package name`);
    }
  }
  return id;
}

/** A safe Swift/Xcode identifier from the display name, falling back to the id's last part. */
export function deriveTypeName(name: string, id: string): string {
  const fromWords = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  let t = fromWords(name);
  if (!t) t = fromWords(id.split('.').pop() ?? '');
  if (!t) t = 'Player';
  if (/^[0-9]/.test(t)) t = `App${t}`;
  if (t.length > 40) t = t.slice(0, 40);
  if (CLASHING_TYPE_NAMES.has(t)) t = `${t}Player`;
  return t;
}

/** An npm-safe name (and Expo slug) from the display name, falling back to the id's last part. */
export function deriveSlug(name: string, id: string): string {
  const words = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  let w = words(name);
  if (!w.length) w = words(id.split('.').pop() ?? '');
  const slug = (w.length ? w.join('-') : 'player').slice(0, 60).replace(/-+$/, '');
  return /^[a-z]/.test(slug) ? slug : `app-${slug}`;
}

export function buildVars(name: string, id: string, now = new Date()): TemplateVars {
  return {
    appName: name,
    swiftTypeName: deriveTypeName(name, id),
    bundleId: id,
    packageName: id,
    packagePath: id.split('.').join('/'),
    slug: deriveSlug(name, id),
    year: String(now.getUTCFullYear()),
  };
}
