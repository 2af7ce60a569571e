import { backgroundModeSpellingFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { dictGet, stringsOf, type PlistValue } from '../../src/parse/plist.js';
import type { PlistRef } from '../../src/facts/ios/ios-model.js';
import { isKnownBackgroundMode, KNOWN_BACKGROUND_MODES, suggestBackgroundMode } from '../../src/facts/ios/background-mode-values.js';

// A UIBackgroundModes entry iOS does not recognise. Xcode copies it into the app without a
// word, iOS ignores it, and the mode the developer meant (often `audio`) is simply absent.
export default defineRule({
  meta: {
    id: 'ios/background-mode-unknown',
    platform: 'ios',
    severity: 'error',
    fixable: true,
    title: 'Unknown UIBackgroundModes value',
    description: 'A UIBackgroundModes entry in Info.plist is not a background mode iOS knows (a typo such as "background-processing" or "Audio").',
    why:
      'iOS matches UIBackgroundModes entries exactly. The Xcode build copies an unknown or misspelled value into the app unchanged and without a warning, and the system ignores it, so the app does not get the mode it meant: with a misspelled "audio", playback stops when the app goes to the background or the screen locks.',
    fix: 'Replace the value with one of the documented modes (audio, voip, push-to-talk, fetch, remote-notification, processing, ...), spelled exactly, in lower case. Xcode writes the right values when you tick them under Signing & Capabilities → Background Modes.',
    docs: [
      { title: 'Apple: Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
      { title: 'Apple: UIBackgroundModes', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes' },
      {
        title: 'swift-build: the UIBackgroundModes values the Xcode build engine knows',
        url: 'https://github.com/swiftlang/swift-build/blob/41aee626ba142a63955fa69ebe4913daa1d805ca/Sources/SWBTaskExecution/TaskActions/InfoPlistProcessorTaskAction.swift#L1160-L1176',
      },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    // Targets may share an Info.plist; look at each file once.
    const seen = new Set<string>();
    const refs: PlistRef[] = [];
    for (const app of project.ios) {
      for (const target of app.targets) {
        for (const ref of target.infoPlists) {
          if (seen.has(ref.file.path)) continue;
          seen.add(ref.file.path);
          refs.push(ref);
        }
      }
    }
    for (const ref of refs) {
      const entry = dictGet(ref.doc?.root, 'UIBackgroundModes');
      if (!entry || entry.value.type !== 'array') continue;
      for (const item of entry.value.items) {
        if (item.type !== 'string' || isKnownBackgroundMode(item.value)) continue;
        out.push({ ...finding(ref, item), fixes: backgroundModeSpellingFix(ref, item, stringsOf(entry.value).map((s) => s.value)) });
      }
    }
    return out;
  },
});

function finding(ref: PlistRef, item: Extract<PlistValue, { type: 'string' }>): FindingDraft {
  const suggestion = suggestBackgroundMode(item.value);
  const shown = JSON.stringify(item.value);
  return {
    message: suggestion
      ? `UIBackgroundModes value ${shown} is not a background mode iOS knows, so it is ignored; did you mean "${suggestion}"?`
      : `UIBackgroundModes value ${shown} is not a background mode iOS knows, so it is ignored.`,
    location: { file: ref.file.path, line: item.loc.line, column: item.loc.column },
    fix: suggestion
      ? `Replace ${shown} with "${suggestion}" in ${ref.file.rel}.`
      : `Replace ${shown} with one of: ${KNOWN_BACKGROUND_MODES.join(', ')} (for background playback: "audio").`,
  };
}
