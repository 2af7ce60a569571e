import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { flutterApps, packageLabel, packageUse } from '../../src/facts/flutter/queries.js';

export default defineRule({
  meta: {
    id: 'flutter/background-init-missing',
    platform: 'flutter',
    severity: 'error',
    title: 'JustAudioBackground.init missing, late, or next to AudioService.init',
    description: 'just_audio_background is a dependency but JustAudioBackground.init is never called, is not awaited before runApp in main, or is called in an app that also calls AudioService.init.',
    why: 'JustAudioBackground.init replaces just_audio\'s platform implementation with one that runs playback in audio_service\'s foreground service. Without it just_audio plays as usual but with no service, notification or lock-screen controls, so Android stops playback soon after the app leaves the screen. Players created before the init completes use the plain implementation. just_audio_background calls AudioService.init itself, and audio_service can only be initialised once, so an app cannot use both.',
    fix: 'In main(): WidgetsFlutterBinding.ensureInitialized(); await JustAudioBackground.init(androidNotificationChannelId: ..., androidNotificationChannelName: ...); then runApp(...). If the app needs audio_service directly, drop just_audio_background and wire just_audio into an AudioHandler.',
    docs: [
      { title: 'just_audio_background: usage', url: 'https://pub.dev/packages/just_audio_background' },
      { title: 'audio_service (just_audio_background is built on it)', url: 'https://pub.dev/packages/audio_service' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of flutterApps(project)) {
      const jab = packageUse(app, 'just_audio_background');
      if (!jab?.direct || !app.dart.parsedFiles.length) continue;
      const inits = app.dart.calls.filter((c) => c.callee === 'JustAudioBackground.init');
      if (!inits.length) {
        // Only when the app's Dart code was read and it plays with just_audio; an app that calls
        // AudioService.init runs its own handler and does not need just_audio_background at all.
        if (!app.dart.mains.length || app.dart.calls.some((c) => c.callee === 'AudioService.init')) continue;
        out.push({
          message: `${packageLabel(jab)} is a dependency, but JustAudioBackground.init is never called, so just_audio plays without the background service, notification or lock-screen controls.`,
          location: jab.location,
          related: app.dart.mains.map((m) => ({ location: m, message: 'await JustAudioBackground.init(...) belongs at the start of main()' })),
        });
        continue;
      }
      const asInit = app.dart.calls.find((c) => c.callee === 'AudioService.init');
      for (const init of inits) {
        if (asInit) {
          out.push({
            message: 'JustAudioBackground.init is called in an app that also calls AudioService.init; just_audio_background initialises audio_service itself, and audio_service can only be initialised once.',
            location: init.location,
            related: [{ location: asInit.location, message: 'AudioService.init is called here' }],
          });
          continue;
        }
        if (init.enclosingFunction !== 'main') continue;
        const runApp = app.dart.calls.find((c) => c.callee === 'runApp' && c.location.file === init.location.file && c.enclosingFunction === 'main');
        if (runApp && runApp.offset < init.offset) {
          out.push({
            message: 'JustAudioBackground.init is called after runApp, so players the widgets create first play without the background service.',
            location: init.location,
            fix: 'Move `await JustAudioBackground.init(...)` before runApp(...).',
            related: [{ location: runApp.location, message: 'runApp is called here' }],
          });
        } else if (!init.awaited) {
          out.push({
            message: 'JustAudioBackground.init is not awaited, so runApp can create players before the background implementation is installed.',
            location: init.location,
            fix: 'Write `await JustAudioBackground.init(...)` in an async main(), before runApp(...).',
            related: runApp ? [{ location: runApp.location, message: 'runApp is called here' }] : [],
          });
        }
      }
    }
    return out;
  },
});
