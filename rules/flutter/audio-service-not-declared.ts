import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { appManifestLocation } from '../../src/facts/android/queries.js';
import { ANDROIDX_MEDIA_BUTTON_RECEIVER, AUDIO_SERVICE_CLASS, AUDIO_SERVICE_RECEIVER, MEDIA_BROWSER_ACTION, MEDIA_BUTTON_ACTION } from '../../src/facts/flutter/packages.js';
import { flutterApps, packageLabel, packageUse } from '../../src/facts/flutter/queries.js';

export default defineRule({
  meta: {
    id: 'flutter/audio-service-not-declared',
    platform: 'flutter',
    severity: 'error',
    title: 'audio_service\'s <service> or <receiver> not declared',
    description: 'audio_service or just_audio_background is initialised from Dart, but the app manifest lacks the com.ryanheise.audioservice.AudioService <service> (with the android.media.browse.MediaBrowserService intent filter) or the MediaButtonReceiver <receiver>.',
    why: 'The plugins\' own AndroidManifest.xml declares nothing: the app must declare the service and the receiver itself. Without the <service>, audio_service cannot bind to it and AudioService.init throws "Unable to bind to AudioService. Please ensure you have declared a <service> element"; without its MediaBrowserService intent filter, Android Auto, Wear and other media controllers cannot find it; without the receiver, the notification\'s buttons and headset media buttons do nothing.',
    fix: 'Add to <application> in android/app/src/main/AndroidManifest.xml: <service android:name="com.ryanheise.audioservice.AudioService" android:foregroundServiceType="mediaPlayback" android:exported="true"> with <intent-filter><action android:name="android.media.browse.MediaBrowserService" /></intent-filter>, and <receiver android:name="com.ryanheise.audioservice.MediaButtonReceiver" android:exported="true"> with <intent-filter><action android:name="android.intent.action.MEDIA_BUTTON" /></intent-filter>.',
    docs: [
      { title: 'audio_service: Android setup', url: 'https://pub.dev/packages/audio_service#android-setup' },
      { title: 'just_audio_background: Android setup', url: 'https://pub.dev/packages/just_audio_background#android-setup' },
      { title: 'MediaBrowserServiceCompat', url: 'https://developer.android.com/reference/androidx/media/MediaBrowserServiceCompat' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of flutterApps(project)) {
      const pkg = packageUse(app, 'audio_service') ?? packageUse(app, 'just_audio_background');
      if (!pkg) continue;
      const init = app.dart.calls.find((c) => c.callee === 'AudioService.init' || c.callee === 'JustAudioBackground.init');
      if (!init) continue;
      const related = [{ location: init.location, message: `${init.callee} is called here` }];
      for (const android of app.native.android) {
        if (!android.manifest.appManifest) continue;
        const service = android.manifest.services.find((s) => s.name === AUDIO_SERVICE_CLASS);
        if (!service) {
          out.push({
            message: `${init.callee} needs the <service android:name="${AUDIO_SERVICE_CLASS}"> element, which no manifest of app \`${android.name}\` declares (${packageLabel(pkg)} does not declare it for you); AudioService.init throws "Unable to bind to AudioService".`,
            location: appManifestLocation(android, init.location),
            related,
          });
        } else if (!service.actions.some((a) => a.name === MEDIA_BROWSER_ACTION)) {
          out.push({
            message: `The <service> for ${AUDIO_SERVICE_CLASS} has no <intent-filter> with action ${MEDIA_BROWSER_ACTION}, so media controllers (Android Auto, Wear OS, the system media controls' resumption) cannot find it.`,
            location: service.location,
            fix: `Add <intent-filter><action android:name="${MEDIA_BROWSER_ACTION}" /></intent-filter> to this <service>.`,
            related,
          });
        }
        const receiver = android.manifest.receivers.find((r) => r.name === AUDIO_SERVICE_RECEIVER || r.name === ANDROIDX_MEDIA_BUTTON_RECEIVER);
        if (!receiver) {
          out.push({
            message: `No manifest of app \`${android.name}\` declares the <receiver android:name="${AUDIO_SERVICE_RECEIVER}"> that ${packageLabel(pkg)} sends media button events to, so the notification's buttons and headset buttons do nothing.`,
            location: appManifestLocation(android, init.location),
            fix: `Add <receiver android:name="${AUDIO_SERVICE_RECEIVER}" android:exported="true"><intent-filter><action android:name="${MEDIA_BUTTON_ACTION}" /></intent-filter></receiver> to <application>.`,
            related,
          });
        }
      }
    }
    return out;
  },
});
