import { expoAndroidPlaybackFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { backgroundIntents, configFileName, expoApps, hasAndroidPermission, libraryServices, PERMISSION_FGS, PERMISSION_FGS_MEDIA, prebuildNote } from '../../src/facts/expo/queries.js';
import type { ExpoApp } from '../../src/facts/expo/expo-model.js';
import type { AudioPackage } from '../../src/facts/expo/plugin-effects.js';

const SHORT = (p: string) => p.replace('android.permission.', '');

function fixFor(app: ExpoApp, lib: AudioPackage, turnedOff: string | null): string {
  if (turnedOff) return `Remove \`${turnedOff}\` from the ${lib} plugin options in ${configFileName(app)}: the plugin then adds the media-playback service and both permissions.`;
  if (lib === 'expo-av') return 'expo-av has no Android playback service in any version: move background playback to expo-audio (55.0.6 or later, with its config plugin listed) or react-native-track-player 4.';
  if (app.android.source === 'native') {
    return `Declare the library's service with android:foregroundServiceType="mediaPlayback" (react-native-track-player 4 and expo-audio 1.1+ bring theirs through their own AndroidManifest.xml; update the library) and the FOREGROUND_SERVICE and FOREGROUND_SERVICE_MEDIA_PLAYBACK permissions in android/app/src/main/AndroidManifest.xml.`;
  }
  const file = configFileName(app);
  switch (lib) {
    case 'expo-audio':
      return `Use expo-audio 55.0.6 or later with "expo-audio" listed in \`plugins\` in ${file} and without \`enableBackgroundPlayback: false\`: its plugin then adds the media-playback service and both permissions.`;
    case 'expo-video':
      return `Pass \`supportsBackgroundPlayback: true\` to the "expo-video" plugin in ${file}.`;
    case 'react-native-track-player':
      return 'Use react-native-track-player 4.0.0 or later: its AndroidManifest.xml declares MusicService with foregroundServiceType="mediaPlayback" and both permissions.';
    case 'react-native-audio-api':
      return `Keep \`androidForegroundService\` on and list "android.permission.FOREGROUND_SERVICE" and "android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" in the plugin's \`androidPermissions\` in ${file} (0.6.5 and later do this by default).`;
    default:
      return `Add the library's media-playback foreground service and "FOREGROUND_SERVICE", "FOREGROUND_SERVICE_MEDIA_PLAYBACK" to android.permissions in ${file}.`;
  }
}

// The Android half of XP-EXPO-002: background playback without a mediaPlayback foreground service.
export default defineRule({
  meta: {
    id: 'expo/android-media-playback-missing',
    platform: 'expo',
    severity: 'error',
    fixable: true,
    title: 'Background playback requested in JS without an Android media-playback service',
    description:
      "JS code asks for background playback but the Android app, as built from the app config, the config plugins of the installed versions and the libraries' own manifests, lacks the library's mediaPlayback foreground service or the FOREGROUND_SERVICE / FOREGROUND_SERVICE_MEDIA_PLAYBACK permissions.",
    why: 'Android only keeps playing after the app leaves the screen while a foreground service of type mediaPlayback runs. Without the library\'s service the process is cached and frozen or killed within minutes ("Stopping service due to app idle"); from targetSdk 34 a service without the mediaPlayback type or without FOREGROUND_SERVICE_MEDIA_PLAYBACK makes startForeground() throw. In Expo apps the service and permissions come from config plugins and library manifests whose content changes between versions.',
    fix: 'Use a library version and plugin options that declare the media-playback service and both permissions (expo-audio 55.0.6+ with its plugin, react-native-track-player 4+, expo-video with supportsBackgroundPlayback), or add the permissions to android.permissions.',
    docs: [
      { title: 'Foreground service types: media playback', url: 'https://developer.android.com/develop/background-work/services/fgs/service-types#media' },
      { title: 'Foreground service types are required (Android 14)', url: 'https://developer.android.com/about/versions/14/changes/fgs-types-required' },
      { title: 'Expo Audio: configuration in app config', url: 'https://docs.expo.dev/versions/v56.0.0/sdk/audio/' },
      { title: 'Expo app config: android.permissions', url: 'https://docs.expo.dev/versions/latest/config/app/#permissions' },
    ],
    affects: 'targetSdk >= 34 for the type and FOREGROUND_SERVICE_MEDIA_PLAYBACK',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of expoApps(project)) {
      const view = app.android;
      if (view.source === 'none' || view.unknown) continue;
      const intents = backgroundIntents(app, 'android');
      const gated = view.targetSdk === null || view.targetSdk >= 34;
      for (const lib of [...new Set(intents.map((i) => i.library))]) {
        if (view.unknownLibraries.has(lib)) continue; // reported by expo/config-unresolved
        const intent = intents.find((i) => i.library === lib)!;
        const services = libraryServices(app, lib);
        const typed = services.filter((s) => s.types.includes('mediaPlayback'));
        const missing: string[] = [];
        if (!services.length) missing.push(lib === 'expo-av' ? 'a playback service (expo-av has none in any version)' : `the ${lib} playback service`);
        else if (!typed.length && gated) missing.push(`android:foregroundServiceType="mediaPlayback" on ${services.map((s) => `\`${s.name.split('.').pop()}\``).join(', ')}`);
        const perms: string[] = [];
        if (!hasAndroidPermission(app, PERMISSION_FGS)) perms.push(SHORT(PERMISSION_FGS));
        if (gated && !hasAndroidPermission(app, PERMISSION_FGS_MEDIA)) perms.push(SHORT(PERMISSION_FGS_MEDIA));
        if (perms.length) missing.push(`the ${perms.join(' and ')} permission${perms.length > 1 ? 's' : ''}`);
        if (!missing.length) continue;
        const why = view.whyNoService.get(lib);
        const blocked = [PERMISSION_FGS, PERMISSION_FGS_MEDIA].map((p) => view.blocked.get(p)).find((l) => !!l);
        // expo-av cannot be fixed in the config: point at the call. Otherwise at the line that decides it.
        const turnedOff = why?.text.includes(': false` turns it off') ? why.location : null;
        // A service a config plugin adds is controlled by that plugin entry (its options decide the permissions).
        const fromPlugin = services.find((s) => s.origin.kind === 'plugin')?.origin.location ?? null;
        const location = lib === 'expo-av' ? intent.location : (blocked ?? turnedOff ?? fromPlugin ?? view.control);
        const related: RelatedLocation[] = [{ location: intent.location, message: `${intent.what}: the app means to keep playing in the background` }];
        for (const s of services) if (s.origin.location) related.push({ location: s.origin.location, message: `${s.name} (${s.origin.text})` });
        if (location !== view.control && lib !== 'expo-av') related.push({ location: view.control, message: view.source === 'native' ? 'the app manifest' : `${view.controlLabel}: where android.permissions can be set` });
        const where = view.source === 'native' ? 'the merged Android manifest (app and library manifests)' : `the Android app built from ${configFileName(app)}`;
        const sdk = view.targetSdk === null ? (view.source === 'native' ? '' : ' (targetSdk of the Expo SDK, 34 or later)') : ` (targetSdk ${view.targetSdk})`;
        out.push({
          message: `${intent.what} asks for background playback, but ${where}${sdk} lacks ${missing.join(' and ')}${why && lib !== 'expo-av' ? ` (${why.text})` : ''}, so Android stops the audio soon after the app leaves the screen${gated ? ' or startForeground() throws' : ''}.${prebuildNote(app, 'android')}`,
          location,
          fix: fixFor(app, lib, turnedOff ? (/`([^`]+: false)`/.exec(why!.text)?.[1] ?? null) : null),
          related,
          fixes: lib === 'expo-av' ? undefined : expoAndroidPlaybackFix(app, { turnedOff, blocked: Boolean(blocked), serviceOk: services.length > 0 && (typed.length > 0 || !gated), permissions: perms.map((p) => `android.permission.${p}`) }),
        });
      }
    }
    return out;
  },
});
