import { infoPlistArrayFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { backgroundModes, infoPlistAnchor } from '../../src/facts/ios/effective-config.js';
import { appTargets, backgroundIntent, infoPlistUnreadable, isPttTarget, linkedLabel, linkedOrigin, playbackCategoryCalls, usesCallKit, type IntentSign } from '../../src/facts/ios/audio-session-queries.js';
import type { IosTarget } from '../../src/facts/ios/ios-model.js';
import type { SetCategoryCall } from '../../src/facts/ios/source-facts.js';
import { categoryText, targetLabel } from '../../src/facts/ios/audio-session-wording.js';

// BG-001: a lock-proof category without the `audio` background mode.
export default defineRule({
  meta: {
    id: 'ios/background-audio-mode-missing',
    platform: 'ios',
    severity: 'error',
    fixable: true,
    title: 'Background audio mode missing',
    description: 'The app configures a .playback / .playAndRecord audio session but its Info.plist does not declare the `audio` background mode. Code in a framework, static library or local Swift package is judged through the app targets that link or embed it (the finding names each such app whose Info.plist lacks the mode; a framework no app in the scan embeds is not reported). App extensions are not asked to declare the mode: an extension is not an app, the system ends it soon after it finishes its request, and the containing app\'s background modes do not apply to it; playback that must outlive the screen lock belongs in the app (or in a framework the app embeds), where it is judged.',
    why: 'The category only keeps audio going through the Silent switch and screen lock while the app runs; without `audio` in UIBackgroundModes iOS suspends the app shortly after it leaves the foreground, so playback stops when the user locks the phone or switches apps (and starting playback from the background fails with \'!pla\').',
    fix: 'Add `audio` to the UIBackgroundModes array of the target\'s Info.plist (Xcode: Signing & Capabilities > Background Modes > "Audio, AirPlay, and Picture in Picture"). INFOPLIST_KEY_UIBackgroundModes in build settings is ignored by Xcode.',
    docs: [
      { title: 'AVAudioSession.Category.playback', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/playback' },
      { title: 'Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
      { title: 'UIBackgroundModes', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes' },
      { title: 'QA1668: Playing media while in the background', url: 'https://developer.apple.com/library/archive/qa/qa1668/_index.html' },
      { title: 'App Extension Programming Guide: Understand how an app extension works', url: 'https://developer.apple.com/library/archive/documentation/General/Conceptual/ExtensibilityPG/ExtensionOverview.html' },
    ],
  },
  check(project) {
    // One finding per setCategory call: a framework's call may run in several apps that lack the mode.
    const byCall = new Map<string, { call: SetCategoryCall; hosts: { target: IosTarget; partly: boolean; intent: IntentSign[] }[] }>();
    for (const { target } of appTargets(project)) {
      // Push to Talk and CallKit apps run on their own background modes (push-to-talk, voip).
      if (isPttTarget(target) || usesCallKit(target)) continue;
      if (infoPlistUnreadable(target)) continue;
      const calls = playbackCategoryCalls(target);
      if (calls.length === 0) continue;
      const modes = backgroundModes(target);
      if (modes.has('audio')) continue;
      const call = calls[0]!;
      const key = `${call.location.file}:${call.location.line}:${call.location.column}`;
      const entry = byCall.get(key) ?? { call, hosts: [] };
      entry.hosts.push({ target, partly: modes.values.some((v) => v.value === 'audio'), intent: backgroundIntent(target) });
      byCall.set(key, entry);
    }
    const out: FindingDraft[] = [];
    for (const { call, hosts } of byCall.values()) {
      const related: RelatedLocation[] = hosts.map(({ target, partly }) => ({
        location: infoPlistAnchor(target),
        message: partly
          ? `\`audio\` is declared in only some of the Info.plist files of ${targetLabel(target)}`
          : `UIBackgroundModes with \`audio\` belongs in this Info.plist (${targetLabel(target)})`,
      }));
      const signed = hosts.find((h) => h.intent.length > 0);
      if (signed) related.push({ location: signed.intent[0]!.location, message: `the app ${signed.intent[0]!.what} here, so it is meant to keep playing in the background` });
      const origin = linkedOrigin(hosts[0]!.target, call.location.file);
      const one = hosts.length === 1;
      const subject = one ? targetLabel(hosts[0]!.target) : `targets ${hosts.map((h) => `"${h.target.name}"`).join(' and ')}`;
      const verb = origin?.via === 'embed' ? 'embed' : 'link';
      const where = origin ? `, in ${linkedLabel(origin, call.location.file)} which ${subject} ${one ? `${verb}s` : verb},` : '';
      const lacks = hosts.every((h) => h.partly)
        ? `not every Info.plist of ${subject} declares`
        : one
          ? `the Info.plist of ${subject} does not declare`
          : `the Info.plists of ${subject} do not declare`;
      out.push({
        message: `${categoryText(call)} is set here${where} but ${lacks} the \`audio\` background mode, so playback stops when the app is backgrounded or the screen locks.`,
        location: call.location,
        severity: signed ? 'error' : 'warning',
        related,
        fixes: hosts.flatMap((h) => infoPlistArrayFix(h.target, 'UIBackgroundModes', 'audio', project) ?? []),
      });
    }
    return out;
  },
});
