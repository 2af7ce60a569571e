import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { compareVersions } from '../../src/facts/android/versions.js';
import { flutterApps, packageLabel, packageUse } from '../../src/facts/flutter/queries.js';

// AudioServiceConfig's constructor asserts (audio_service 0.18+, lib/audio_service.dart).
export default defineRule({
  meta: {
    id: 'flutter/audio-service-config-invalid',
    platform: 'flutter',
    severity: 'error',
    title: 'AudioServiceConfig fails its own assertions',
    description: 'An AudioServiceConfig sets androidNotificationOngoing: true with androidStopForegroundOnPause: false, or only one of artDownscaleWidth / artDownscaleHeight (audio_service 0.18 and later).',
    why: 'AudioServiceConfig asserts `!androidNotificationOngoing || androidStopForegroundOnPause` and `(artDownscaleWidth != null) == (artDownscaleHeight != null)`. In a `const` config the failed assertion is a compile error; otherwise, in debug builds, AudioService.init throws before runApp and the app shows a blank screen, and in release builds the assertion is compiled out and the option silently does nothing (the notification stays swipeable while paused).',
    fix: 'Set androidStopForegroundOnPause: true (its default) when androidNotificationOngoing is true, or drop androidNotificationOngoing; give artDownscaleWidth and artDownscaleHeight together.',
    docs: [
      { title: 'audio_service: AudioServiceConfig', url: 'https://pub.dev/documentation/audio_service/latest/audio_service/AudioServiceConfig-class.html' },
      { title: 'audio_service issue #638 (notification behaviour and androidStopForegroundOnPause)', url: 'https://github.com/ryanheise/audio_service/issues/638' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of flutterApps(project)) {
      const pkg = packageUse(app, 'audio_service') ?? packageUse(app, 'just_audio_background');
      if (!pkg) continue;
      const as = packageUse(app, 'audio_service');
      if (as?.version && compareVersions(as.version, '0.18.0') < 0) continue;
      for (const { value, init } of app.dart.audioServiceConfigs) {
        const args = value.args.named;
        const where = value.isConst ? 'this `const` AudioServiceConfig does not compile' : 'in debug builds AudioService.init throws before runApp (a blank screen), and in release builds the option has no effect';
        const ongoing = args.get('androidNotificationOngoing');
        const stop = args.get('androidStopForegroundOnPause');
        if (ongoing?.value.kind === 'bool' && ongoing.value.value && stop?.value.kind === 'bool' && !stop.value.value) {
          out.push({
            message: `\`androidNotificationOngoing: true\` requires \`androidStopForegroundOnPause: true\`; AudioServiceConfig asserts it, so ${where}${as ? ` (${packageLabel(as)})` : ''}.`,
            location: ongoing.keyLoc,
            fix: 'Remove `androidStopForegroundOnPause: false` (the default is true), or drop `androidNotificationOngoing: true`.',
            related: [{ location: stop.keyLoc, message: 'androidStopForegroundOnPause: false here' }, ...(init ? [{ location: init.location, message: 'passed to AudioService.init here' }] : [])],
          });
        }
        const w = args.get('artDownscaleWidth');
        const h = args.get('artDownscaleHeight');
        if ((w && !h) || (h && !w)) {
          const given = (w ?? h)!;
          out.push({
            message: `Only ${w ? 'artDownscaleWidth' : 'artDownscaleHeight'} is given; AudioServiceConfig asserts that both or neither are set, so ${where}.`,
            location: given.keyLoc,
            fix: `Also pass ${w ? 'artDownscaleHeight' : 'artDownscaleWidth'}, or remove this one.`,
          });
        }
      }
    }
    return out;
  },
});
