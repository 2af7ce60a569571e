import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { compareVersions } from '../../src/facts/android/versions.js';
import { allSupertypes, classByName } from '../../src/facts/android/queries.js';
import { lastSegment } from '../../src/facts/android/source-facts.js';
import { AUDIO_SERVICE_ACTIVITIES } from '../../src/facts/flutter/packages.js';
import { flutterApps, packageLabel, packageUse } from '../../src/facts/flutter/queries.js';

const BASES = new Set(AUDIO_SERVICE_ACTIVITIES.map(lastSegment));

export default defineRule({
  meta: {
    id: 'flutter/audio-service-activity-missing',
    platform: 'flutter',
    severity: 'error',
    title: 'Launcher activity does not share audio_service\'s FlutterEngine',
    description: 'audio_service 0.18+ (directly or through just_audio_background) is initialised, but the launcher activity is neither AudioServiceActivity / AudioServiceFragmentActivity nor a class that extends one or returns AudioServicePlugin.getFlutterEngine(...) from provideFlutterEngine.',
    why: 'From 0.18 audio_service runs the app\'s Dart code in one FlutterEngine that the activity must take from AudioServicePlugin. With a plain FlutterActivity the plugin detects a second engine and AudioService.init throws "The Activity class declared in your AndroidManifest.xml is wrong or has not provided the correct FlutterEngine", so there is no background playback, notification or lock-screen control (and, when the exception is not caught before runApp, a blank screen).',
    fix: 'Set android:name="com.ryanheise.audioservice.AudioServiceActivity" on the launcher <activity>, or make MainActivity extend AudioServiceActivity (AudioServiceFragmentActivity for a FragmentActivity), or override provideFlutterEngine to return AudioServicePlugin.getFlutterEngine(context).',
    docs: [
      { title: 'audio_service: Android setup', url: 'https://pub.dev/packages/audio_service#android-setup' },
      { title: 'audio_service: custom Android activity', url: 'https://pub.dev/packages/audio_service#custom-android-activity' },
      { title: 'just_audio_background: Android setup', url: 'https://pub.dev/packages/just_audio_background#android-setup' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of flutterApps(project)) {
      const as = packageUse(app, 'audio_service');
      const jab = packageUse(app, 'just_audio_background');
      if (!as && !jab) continue;
      if (as?.version && compareVersions(as.version, '0.18.0') < 0) continue;
      const init = app.dart.calls.find((c) => c.callee === 'AudioService.init' || c.callee === 'JustAudioBackground.init');
      if (!init) continue;
      app.native.android.forEach((android, i) => {
        const launcher = app.launchers[i];
        if (!launcher || AUDIO_SERVICE_ACTIVITIES.includes(launcher.name)) return;
        const cls = classByName(android, launcher.name);
        const related: RelatedLocation[] = [{ location: init.location, message: `${init.callee} is called here` }];
        if (cls) {
          const supers = allSupertypes(android, cls);
          if ([...supers].some((s) => BASES.has(s))) return;
          const provides = cls.functions.some((f) => f.name === 'provideFlutterEngine' && f.calls.some((c) => c.name === 'getFlutterEngine' && !!c.receiver && lastSegment(c.receiver) === 'AudioServicePlugin'));
          if (provides) return;
          related.push({ location: cls.location, message: `class ${cls.name} extends ${cls.supertypes.join(', ') || 'nothing that shares the engine'}` });
        } else {
          // Not among the parsed classes: its file did not mention "Service" at all (the prefilter),
          // so it cannot extend AudioService*Activity nor call AudioServicePlugin. Without a file, we cannot tell.
          if (!launcher.classFile || launcher.classFileMentionsService) return;
          related.push({ location: { file: launcher.classFile, line: 1, column: 1 }, message: `${lastSegment(launcher.name)} neither extends AudioServiceActivity nor uses AudioServicePlugin` });
        }
        const label = as ? packageLabel(as) : packageLabel(jab!);
        out.push({
          message: `The launcher activity \`${launcher.rawName}\` does not provide audio_service's FlutterEngine (${label}), so ${init.callee} fails with "The Activity class declared in your AndroidManifest.xml is wrong or has not provided the correct FlutterEngine".`,
          location: launcher.location,
          related,
        });
      });
    }
    return out;
  },
});

