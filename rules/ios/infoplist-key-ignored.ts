import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, Location } from '../../src/findings/finding.js';
import { dictGet, stringsOf } from '../../src/parse/plist.js';
import type { BuildSettingRef, IosConfiguration, IosTarget } from '../../src/facts/ios/ios-model.js';
import { INFOPLIST_KEY_PREFIX, isGeneratedInfoPlistKey } from '../../src/facts/ios/infoplist-keys.js';
import { roleOf } from '../../src/facts/ios/audio-session-queries.js';

// INFOPLIST_KEY_<Key> build settings only reach the app's Info.plist when (1) the build engine
// declares that macro and (2) GENERATE_INFOPLIST_FILE = YES. Otherwise they are dead settings
// that look like configuration. This rule covers the audio-relevant keys:
//   - INFOPLIST_KEY_UIBackgroundModes (never declared: the mode must be in an Info.plist file),
//     and misspellings of the declared NSMicrophoneUsageDescription key (error);
//   - INFOPLIST_KEY_NSMicrophoneUsageDescription while the configuration does not generate its
//     Info.plist and the Info.plist file lacks the key (warning).

/** Audio-relevant keys that have no INFOPLIST_KEY_ macro: they must be written in an Info.plist file. */
const UNDECLARED_AUDIO_KEYS = ['UIBackgroundModes'];
/** Declared keys that matter for audio (a misspelling of these is dead too). */
const DECLARED_AUDIO_KEYS = ['NSMicrophoneUsageDescription'];

export default defineRule({
  meta: {
    id: 'ios/infoplist-key-ignored',
    platform: 'ios',
    severity: 'error',
    title: 'INFOPLIST_KEY_ build setting that Xcode ignores',
    description:
      'An INFOPLIST_KEY_* build setting in project.pbxproj never reaches the app: Xcode has no such key (INFOPLIST_KEY_UIBackgroundModes), or the target does not generate its Info.plist.',
    why:
      'Xcode turns INFOPLIST_KEY_<Key> settings into Info.plist entries only for keys its build engine declares, and only when GENERATE_INFOPLIST_FILE = YES. There is no INFOPLIST_KEY_UIBackgroundModes, so "INFOPLIST_KEY_UIBackgroundModes = audio" is silently dropped: the built app has no audio background mode and playback stops when it goes to the background or the screen locks. A microphone usage description that never reaches the Info.plist makes the app crash the first time it records.',
    fix: 'Put UIBackgroundModes (an array, e.g. with "audio") in the target\'s Info.plist file — Signing & Capabilities → Background Modes does this — and delete the build setting. For INFOPLIST_KEY_NSMicrophoneUsageDescription, either set GENERATE_INFOPLIST_FILE = YES or write NSMicrophoneUsageDescription in the Info.plist file.',
    docs: [
      { title: 'Apple: Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
      {
        title: 'swift-build: INFOPLIST_KEY_ settings are read only for declared keys',
        url: 'https://github.com/swiftlang/swift-build/blob/41aee626ba142a63955fa69ebe4913daa1d805ca/Sources/SWBTaskExecution/TaskActions/InfoPlistProcessorTaskAction.swift#L712-L730',
      },
      {
        title: 'swift-build: the declared INFOPLIST_KEY_ macros',
        url: 'https://github.com/swiftlang/swift-build/blob/41aee626ba142a63955fa69ebe4913daa1d805ca/Sources/SWBCore/Settings/BuiltinMacros.swift',
      },
      { title: 'Apple: UIBackgroundModes', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    // Project-level settings are shared by every target and configuration: report each written setting once.
    const reported = new Set<string>();
    const key = (l: Location) => `${l.file}:${l.line}:${l.column}`;
    for (const app of project.ios) {
      for (const target of app.targets) {
        for (const config of target.configurations ?? []) {
          for (const s of config.settings) {
            if (!s.name.startsWith(INFOPLIST_KEY_PREFIX) || reported.has(key(s.location))) continue;
            const d = undeclared(target, s) ?? notGenerated(target, config, s);
            if (!d) continue;
            reported.add(key(s.location));
            out.push(d);
          }
        }
      }
    }
    return out;
  },
});

function undeclared(target: IosTarget, s: BuildSettingRef): FindingDraft | null {
  const suffix = s.name.slice(INFOPLIST_KEY_PREFIX.length);
  if (isGeneratedInfoPlistKey(suffix)) return null;
  const background = UNDECLARED_AUDIO_KEYS.find((k) => k.toLowerCase() === suffix.toLowerCase() || k.toLowerCase() === `${suffix.toLowerCase()}s`);
  if (background) {
    const values = (s.values ?? [s.value]).flatMap((v) => v.split(/\s+/)).filter(Boolean);
    const declaredEverywhere = values.length > 0 && values.every((v) => inEveryInfoPlist(target, v));
    const list = values.length ? values.map((v) => `"${v}"`).join(', ') : 'nothing';
    if (roleOf(target) === 'library') {
      // A framework's or library's background modes never apply: the host app's Info.plist decides.
      const hosts = target.hosts?.length ? target.hosts.map((h) => `"${h}"`).join(' and ') : null;
      return {
        message: `${s.name} is not a build setting Xcode reads, and ${target.name} is linked into apps rather than run as one: background modes (${list}) only count in the Info.plist of the app that embeds it${hosts ? ` (${hosts})` : ''}.`,
        location: s.location,
        severity: 'warning',
        fix: `Delete ${s.name} from ${target.name}'s build settings and declare UIBackgroundModes in the Info.plist of ${hosts ?? 'each app that embeds it'}.`,
      };
    }
    if (declaredEverywhere) {
      return {
        message: `${s.name} is not a build setting Xcode reads; it is harmless here only because ${target.name}'s Info.plist already declares ${list}.`,
        location: s.location,
        severity: 'warning',
        fix: `Delete ${s.name} from project.pbxproj: UIBackgroundModes comes from the Info.plist file, and this setting suggests otherwise.`,
      };
    }
    return {
      message: `${s.name} is silently ignored by Xcode (there is no such generated Info.plist key), so ${target.name} gets no background mode ${list}.`,
      location: s.location,
      fix: `Delete ${s.name} and add UIBackgroundModes with ${list} to ${target.name}'s Info.plist file (Signing & Capabilities → Background Modes).${target.infoPlists.length === 0 ? ' The target has no Info.plist file yet: create one and set INFOPLIST_FILE to it; Xcode merges it with the generated keys.' : ''}`,
    };
  }
  const meant = DECLARED_AUDIO_KEYS.find((k) => k !== suffix && k.toLowerCase() === suffix.toLowerCase());
  if (meant) {
    return {
      message: `${s.name} is not a build setting Xcode reads (key names are case-sensitive), so ${target.name}'s Info.plist gets no ${meant}.`,
      location: s.location,
      fix: `Rename the setting to ${INFOPLIST_KEY_PREFIX}${meant}.`,
    };
  }
  return null;
}

function notGenerated(target: IosTarget, config: IosConfiguration, s: BuildSettingRef): FindingDraft | null {
  const suffix = s.name.slice(INFOPLIST_KEY_PREFIX.length);
  if (!DECLARED_AUDIO_KEYS.includes(suffix) || config.generatesInfoPlist) return null;
  // Harmless when the Info.plist file has the key anyway (the setting is dead but nothing is lost).
  const inPlist = config.infoPlist?.doc ? stringsOf(dictGet(config.infoPlist.doc.root, suffix)?.value).some((x) => x.value.trim() !== '') : false;
  if (inPlist) return null;
  // The configuration's Info.plist is not in the checkout or did not parse: we cannot tell.
  if (config.infoPlistPath && !config.infoPlist?.doc) return null;
  const generate = config.settings.find((x) => x.name === 'GENERATE_INFOPLIST_FILE');
  return {
    message: `${s.name} has no effect because ${target.name} (${config.name}) does not generate its Info.plist (GENERATE_INFOPLIST_FILE is ${generate ? generate.value : 'not set'}), and ${config.infoPlist ? config.infoPlist.file.rel : 'no Info.plist file'} lacks ${suffix}.`,
    location: s.location,
    severity: 'warning',
    fix: `Add ${suffix} to ${config.infoPlist ? config.infoPlist.file.rel : "the target's Info.plist"}, or set GENERATE_INFOPLIST_FILE = YES for ${config.name}.`,
    related: generate ? [{ location: generate.location, message: 'GENERATE_INFOPLIST_FILE is set here.' }] : undefined,
  };
}

function inEveryInfoPlist(target: IosTarget, mode: string): boolean {
  const configs = target.configurations ?? [];
  if (configs.length === 0) return false;
  return configs.every((c) => (c.infoPlist?.doc ? stringsOf(dictGet(c.infoPlist.doc.root, 'UIBackgroundModes')?.value).some((x) => x.value === mode) : false));
}
