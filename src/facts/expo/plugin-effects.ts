// What each published version of the audio libraries does to the native apps, as data, in one
// place. Every range below was written from the package's own published files, unpacked with
// `npm pack <pkg>@<version>`: the config plugin (`app.plugin.js` and the plugin build it requires)
// and the library's `android/src/main/AndroidManifest.xml`, which Gradle merges into every app that
// links the library. "Read:" lists the versions whose files were read; a range boundary is the first
// published version with the new behaviour among those in the npm registry.
//
// Plugin order: Expo applies `ios.infoPlist` / `android.permissions` first, then the plugins' mods;
// a plugin listed earlier in `plugins` runs its Info.plist mod later (mods are chained so that the
// last registered runs first), so its effect is the one that stays.

import type { Location } from '../../findings/finding.js';
import { compareVersion, inRange, parseVersion, type Version } from './packages.js';

export const AUDIO_PACKAGES = ['expo-audio', 'expo-av', 'expo-video', 'react-native-track-player', 'react-native-video', 'react-native-audio-api'] as const;
export type AudioPackage = (typeof AUDIO_PACKAGES)[number];

export function isAudioPackage(name: string): name is AudioPackage {
  return (AUDIO_PACKAGES as readonly string[]).includes(name);
}

export const PERMISSION_FGS = 'android.permission.FOREGROUND_SERVICE';
export const PERMISSION_FGS_MEDIA = 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK';
const WAKE_LOCK = 'android.permission.WAKE_LOCK';
const FGS_MIC = 'android.permission.FOREGROUND_SERVICE_MICROPHONE';
const POST_NOTIFICATIONS = 'android.permission.POST_NOTIFICATIONS';

/** Why an effect happens: an option as written, or a default, with the place to point at. */
export interface Reason {
  text: string;
  location: Location | null;
}

export interface OptionValue<T> {
  /** undefined: the option is not set; 'unresolved': it is set to something audiobg cannot read. */
  value: T | undefined | 'unresolved';
  location: Location | null;
}

/** Read access to a plugin's options (the second element of a `["pkg", { ... }]` plugin entry). */
export interface OptionReader {
  bool(name: string): OptionValue<boolean>;
  strings(name: string): OptionValue<string[]>;
  /** The plugin entry in `plugins`. */
  entry: Location;
}

export interface ServiceEffect {
  name: string;
  types: string[];
  because: Reason;
}

export interface PluginOutcome {
  iosAudio: { action: 'add' | 'remove'; because: Reason } | null;
  androidPermissions: { name: string; because: Reason }[];
  androidServices: ServiceEffect[];
  /** Services the plugin takes out of the app manifest. */
  androidServicesRemoved: { name: string; because: Reason }[];
  /** Options that decide an effect but cannot be read statically, with the platform they decide. */
  unresolved: (Reason & { platform: 'ios' | 'android' | 'both' })[];
}

export interface LibraryManifest {
  permissions: string[];
  /** Services with absolute class names and their foregroundServiceType values. */
  services: { name: string; types: string[] }[];
}

export interface VersionRange {
  /** [from, until): null means unbounded. */
  from: string | null;
  until: string | null;
  /** Versions and files read to write this entry. */
  read: string;
  /** Null when the package has no config plugin in this range (listing it in `plugins` fails at prebuild). */
  plugin: ((o: OptionReader) => PluginOutcome) | null;
  /** What the package's own AndroidManifest.xml declares in this range. */
  libraryManifest: LibraryManifest;
  /** One line for messages, e.g. "its plugin adds `audio` only from 55.0.6 (enableBackgroundPlayback)". */
  summary: string;
}

function outcome(): PluginOutcome {
  return { iosAudio: null, androidPermissions: [], androidServices: [], androidServicesRemoved: [], unresolved: [] };
}

/** `name` option read with its default: true/false, or null when unreadable (recorded in `out`). */
function flag(o: OptionReader, out: PluginOutcome, name: string, def: boolean, pkg: string, platform: 'ios' | 'android' | 'both'): { on: boolean; because: Reason } | null {
  const v = o.bool(name);
  if (v.value === 'unresolved') {
    out.unresolved.push({ text: `${pkg}'s \`${name}\` option`, location: v.location, platform });
    return null;
  }
  if (v.value === undefined) return { on: def, because: { text: `${pkg}'s \`${name}\` defaults to ${def}`, location: o.entry } };
  return { on: v.value, because: { text: `${pkg}'s \`${name}\` is ${v.value}`, location: v.location } };
}

const permission = (name: string, because: Reason) => ({ name, because });

// ---------------------------------------------------------------------------------------------
// expo-audio

const EXPO_AUDIO_CONTROLS = 'expo.modules.audio.service.AudioControlsService';
const EXPO_AUDIO_RECORDING = 'expo.modules.audio.service.AudioRecordingService';

const expoAudio: VersionRange[] = [
  {
    from: null,
    until: '1.1.0',
    read: 'expo-audio 0.3.5, 0.4.9, 1.0.0, 1.0.7, 1.0.16: plugin/build/withAudio.js (only `microphonePermission`), android/src/main/AndroidManifest.xml (RECORD_AUDIO, MODIFY_AUDIO_SETTINGS)',
    plugin: () => outcome(),
    libraryManifest: { permissions: ['android.permission.RECORD_AUDIO', 'android.permission.MODIFY_AUDIO_SETTINGS'], services: [] },
    summary: 'its plugin never adds the `audio` background mode and it has no Android playback service (background playback support arrived in 1.1.0 on Android and in 55.0.6 in the plugin)',
  },
  {
    from: '1.1.0',
    until: '55.0.6',
    read: 'expo-audio 1.1.0, 1.1.1, 55.0.0, 55.0.4, 55.0.5: plugin/build/withAudio.js (`enableBackgroundRecording`, default false, adds `audio`), android/src/main/AndroidManifest.xml (AudioControlsService mediaPlayback, FOREGROUND_SERVICE, FOREGROUND_SERVICE_MEDIA_PLAYBACK)',
    plugin: (o) => {
      const out = outcome();
      const rec = flag(o, out, 'enableBackgroundRecording', false, 'expo-audio', 'both');
      if (rec?.on) {
        out.iosAudio = { action: 'add', because: rec.because };
        out.androidPermissions.push(permission(FGS_MIC, rec.because), permission(POST_NOTIFICATIONS, rec.because));
      }
      return out;
    },
    libraryManifest: {
      permissions: ['android.permission.RECORD_AUDIO', 'android.permission.MODIFY_AUDIO_SETTINGS', PERMISSION_FGS, PERMISSION_FGS_MEDIA],
      services: [
        { name: EXPO_AUDIO_CONTROLS, types: ['mediaPlayback'] },
        { name: EXPO_AUDIO_RECORDING, types: ['microphone'] },
      ],
    },
    summary: 'its plugin adds the `audio` background mode only for `enableBackgroundRecording`; `enableBackgroundPlayback` (default true) appeared in 55.0.6',
  },
  {
    from: '55.0.6',
    until: null,
    read: 'expo-audio 55.0.6-55.0.18, 56.0.0, 56.0.13, 58.0.2: plugin/build/withAudio.js (`enableBackgroundPlayback = true` adds `audio`, FOREGROUND_SERVICE, FOREGROUND_SERVICE_MEDIA_PLAYBACK and AudioControlsService; false removes the service; AudioRecordingService is removed unless `enableBackgroundRecording`), android/src/main/AndroidManifest.xml (RECORD_AUDIO, MODIFY_AUDIO_SETTINGS only; 58.0.2 declares MODIFY_AUDIO_SETTINGS only)',
    plugin: (o) => {
      const out = outcome();
      const play = flag(o, out, 'enableBackgroundPlayback', true, 'expo-audio', 'both');
      const rec = flag(o, out, 'enableBackgroundRecording', false, 'expo-audio', 'both');
      if (play?.on) out.iosAudio = { action: 'add', because: play.because };
      else if (rec?.on) out.iosAudio = { action: 'add', because: rec.because };
      if (play?.on) {
        out.androidPermissions.push(permission(PERMISSION_FGS, play.because), permission(PERMISSION_FGS_MEDIA, play.because));
        out.androidServices.push({ name: EXPO_AUDIO_CONTROLS, types: ['mediaPlayback'], because: play.because });
      } else if (play) {
        out.androidServicesRemoved.push({ name: EXPO_AUDIO_CONTROLS, because: play.because });
      }
      if (rec?.on) {
        out.androidPermissions.push(permission(PERMISSION_FGS, rec.because), permission(FGS_MIC, rec.because), permission(POST_NOTIFICATIONS, rec.because));
        out.androidServices.push({ name: EXPO_AUDIO_RECORDING, types: ['microphone'], because: rec.because });
      } else if (rec) {
        // Found by npm run test:plugins: without background recording the plugin also takes the
        // recording service out of the manifest.
        out.androidServicesRemoved.push({ name: EXPO_AUDIO_RECORDING, because: rec.because });
      }
      return out;
    },
    libraryManifest: { permissions: ['android.permission.RECORD_AUDIO', 'android.permission.MODIFY_AUDIO_SETTINGS'], services: [] },
    summary: 'its plugin adds the `audio` background mode and the Android playback service unless `enableBackgroundPlayback` is false',
  },
];

// ---------------------------------------------------------------------------------------------
// expo-av: the plugin (withAV) only handles the microphone; no version declares a playback service.

const expoAv: VersionRange[] = [
  {
    from: null,
    until: null,
    read: 'expo-av 9.2.3, 11.2.3, 13.10.6, 14.0.7, 15.1.7, 16.0.8: plugin/build/withAV.js (NSMicrophoneUsageDescription, RECORD_AUDIO, MODIFY_AUDIO_SETTINGS), android/src/main/AndroidManifest.xml (empty), ios/EXAV/EXAV.m (the "Impossible audio mode" checks)',
    plugin: () => outcome(),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin never adds the `audio` background mode and no version declares an Android playback service',
  },
];

// ---------------------------------------------------------------------------------------------
// expo-video

const EXPO_VIDEO_SERVICE = 'expo.modules.video.playbackService.ExpoVideoPlaybackService';

function expoVideoIos(o: OptionReader, out: PluginOutcome): void {
  const sbp = o.bool('supportsBackgroundPlayback');
  const pip = o.bool('supportsPictureInPicture');
  if (sbp.value === 'unresolved' || pip.value === 'unresolved') {
    for (const [n, v] of [['supportsBackgroundPlayback', sbp], ['supportsPictureInPicture', pip]] as const) {
      if (v.value === 'unresolved') out.unresolved.push({ text: `expo-video's \`${n}\` option`, location: v.location, platform: 'ios' });
    }
    return;
  }
  if (sbp.value === undefined && pip.value === undefined) return; // the plugin's no-op case
  if (sbp.value || pip.value) {
    const which = sbp.value ? ['supportsBackgroundPlayback', sbp] : ['supportsPictureInPicture', pip];
    out.iosAudio = { action: 'add', because: { text: `expo-video's \`${which[0]}\` is true`, location: (which[1] as OptionValue<boolean>).location } };
  } else {
    const set = sbp.value !== undefined ? (['supportsBackgroundPlayback', sbp] as const) : (['supportsPictureInPicture', pip] as const);
    out.iosAudio = {
      action: 'remove',
      because: { text: `expo-video's plugin removes \`audio\` from UIBackgroundModes when \`${set[0]}\` is false and neither option is true`, location: set[1].location },
    };
  }
}

function expoVideoAndroid(o: OptionReader, out: PluginOutcome, withPermissions: boolean): void {
  const sbp = o.bool('supportsBackgroundPlayback');
  if (sbp.value === 'unresolved') out.unresolved.push({ text: "expo-video's `supportsBackgroundPlayback` option", location: sbp.location, platform: 'android' });
  if (sbp.value !== true) return;
  const because = { text: "expo-video's `supportsBackgroundPlayback` is true", location: sbp.location };
  if (withPermissions) out.androidPermissions.push(permission(PERMISSION_FGS, because), permission(PERMISSION_FGS_MEDIA, because));
  out.androidServices.push({ name: EXPO_VIDEO_SERVICE, types: ['mediaPlayback'], because });
}

const expoVideoServiceManifest = (name: string): LibraryManifest => ({
  permissions: [PERMISSION_FGS, PERMISSION_FGS_MEDIA],
  services: [{ name, types: ['mediaPlayback'] }],
});

const expoVideo: VersionRange[] = [
  {
    from: null,
    until: '1.1.5',
    read: 'expo-video 1.0.0, 1.0.2: no app.plugin.js',
    plugin: null,
    libraryManifest: { permissions: [], services: [] },
    summary: 'it has no config plugin',
  },
  {
    from: '1.1.5',
    until: '1.2.3',
    read: 'expo-video 1.1.5, 1.1.10, 1.2.0-1.2.2: plugin/build/withExpoVideo.js (always adds `audio`), android/src/main/AndroidManifest.xml (ExpoVideoPlaybackService mediaPlayback and both permissions)',
    plugin: (o) => {
      const out = outcome();
      out.iosAudio = { action: 'add', because: { text: "expo-video's plugin (this version adds `audio` unconditionally)", location: o.entry } };
      return out;
    },
    libraryManifest: expoVideoServiceManifest('expo.modules.video.ExpoVideoPlaybackService'),
    summary: 'its plugin always adds the `audio` background mode',
  },
  {
    // npm run test:plugins: 1.2.3 already has the option-driven plugin but still declares its service
    // at the old class name; the playbackService package arrived in 1.2.4.
    from: '1.2.3',
    until: '1.2.4',
    read: 'expo-video 1.2.3: plugin/build/withExpoVideo.js (as 1.2.4), android/src/main/AndroidManifest.xml (.ExpoVideoPlaybackService mediaPlayback and both permissions)',
    plugin: (o) => {
      const out = outcome();
      expoVideoIos(o, out);
      return out;
    },
    libraryManifest: expoVideoServiceManifest('expo.modules.video.ExpoVideoPlaybackService'),
    summary: 'its plugin adds the `audio` background mode only with `supportsBackgroundPlayback` (or `supportsPictureInPicture`) true, and removes it when they are false',
  },
  {
    from: '1.2.4',
    until: '3.0.11',
    read: 'expo-video 1.2.4-1.2.7, 2.0.6, 2.2.0, 2.2.3, 3.0.0: plugin/build/withExpoVideo.js (`supportsBackgroundPlayback` / `supportsPictureInPicture`: true adds `audio`, false removes it, both unset does nothing), android/src/main/AndroidManifest.xml (ExpoVideoPlaybackService mediaPlayback and both permissions)',
    plugin: (o) => {
      const out = outcome();
      expoVideoIos(o, out);
      return out;
    },
    libraryManifest: expoVideoServiceManifest(EXPO_VIDEO_SERVICE),
    summary: 'its plugin adds the `audio` background mode only with `supportsBackgroundPlayback` (or `supportsPictureInPicture`) true, and removes it when they are false',
  },
  {
    // 3.0.1-3.0.10 are not in the registry audiobg could read; 3.0.11 is the first read with this layout.
    from: '3.0.11',
    until: '3.0.12',
    read: 'expo-video 3.0.11: plugin/build/withExpoVideo.js (adds ExpoVideoPlaybackService for `supportsBackgroundPlayback`), android/src/main/AndroidManifest.xml (both permissions, no service)',
    plugin: (o) => {
      const out = outcome();
      expoVideoIos(o, out);
      expoVideoAndroid(o, out, true);
      return out;
    },
    libraryManifest: { permissions: [PERMISSION_FGS, PERMISSION_FGS_MEDIA], services: [] },
    summary: 'its plugin adds the `audio` mode and the Android playback service only with `supportsBackgroundPlayback: true`',
  },
  {
    from: '3.0.12',
    until: null,
    read: 'expo-video 3.0.12-3.0.16, 55.0.3, 55.0.21, 56.0.2, 58.0.1: plugin/build/withExpoVideo.js, android/src/main/AndroidManifest.xml (INTERNET only)',
    plugin: (o) => {
      const out = outcome();
      expoVideoIos(o, out);
      expoVideoAndroid(o, out, true);
      return out;
    },
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` mode and the Android playback service only with `supportsBackgroundPlayback: true`',
  },
];

// ---------------------------------------------------------------------------------------------
// react-native-track-player: no config plugin in any version; the library manifest brings the service.

const rntp: VersionRange[] = [
  {
    from: null,
    until: '3.0.0',
    read: 'react-native-track-player 2.1.3: android/src/main/AndroidManifest.xml (com.guichaguri.trackplayer MusicService without foregroundServiceType; WAKE_LOCK, FOREGROUND_SERVICE)',
    plugin: null,
    libraryManifest: { permissions: [WAKE_LOCK, PERMISSION_FGS], services: [{ name: 'com.guichaguri.trackplayer.service.MusicService', types: [] }] },
    summary: 'it has no config plugin, and its MusicService declares no foregroundServiceType',
  },
  {
    from: '3.0.0',
    until: '4.0.0',
    read: 'react-native-track-player 3.0.0, 3.2.0: android/src/main/AndroidManifest.xml (MusicService without foregroundServiceType; WAKE_LOCK, FOREGROUND_SERVICE)',
    plugin: null,
    libraryManifest: { permissions: [WAKE_LOCK, PERMISSION_FGS], services: [{ name: 'com.doublesymmetry.trackplayer.service.MusicService', types: [] }] },
    summary: 'it has no config plugin, and its MusicService declares no foregroundServiceType and no FOREGROUND_SERVICE_MEDIA_PLAYBACK (added in 4.0.0)',
  },
  {
    from: '4.0.0',
    until: null,
    read: 'react-native-track-player 4.0.0, 4.0.1, 4.1.2, 5.0.0-alpha0: android/src/main/AndroidManifest.xml (MusicService mediaPlayback; WAKE_LOCK, FOREGROUND_SERVICE, FOREGROUND_SERVICE_MEDIA_PLAYBACK); ios/RNTrackPlayer/RNTrackPlayer.swift (default category .playback, setCategory with try?)',
    plugin: null,
    libraryManifest: {
      permissions: [WAKE_LOCK, PERMISSION_FGS, PERMISSION_FGS_MEDIA],
      services: [{ name: 'com.doublesymmetry.trackplayer.service.MusicService', types: ['mediaPlayback'] }],
    },
    summary: 'it has no config plugin: the iOS `audio` background mode must be set by hand',
  },
];

// ---------------------------------------------------------------------------------------------
// react-native-video

const RNV_SERVICE = 'com.brentvatne.exoplayer.VideoPlaybackService';

/** react-native-video 6.x: `enableNotificationControls` adds its playback service with both permissions. */
function rnvNotificationControls(o: OptionReader, out: PluginOutcome): void {
  const nc = flag(o, out, 'enableNotificationControls', false, 'react-native-video', 'android');
  if (!nc?.on) return;
  out.androidPermissions.push(permission(PERMISSION_FGS, nc.because), permission(PERMISSION_FGS_MEDIA, nc.because));
  out.androidServices.push({ name: RNV_SERVICE, types: ['mediaPlayback'], because: nc.because });
}

const rnVideo: VersionRange[] = [
  {
    from: null,
    until: '6.4.1',
    read: 'react-native-video 5.2.1, 6.0.0, 6.4.0: no app.plugin.js (6.4.0 has lib/expo-plugins but no app.plugin.js; npm run test:plugins found app.plugin.js from 6.4.1)',
    plugin: null,
    libraryManifest: { permissions: [], services: [] },
    summary: 'it has no config plugin',
  },
  {
    // Found by npm run test:plugins: 6.4.1-6.4.5 push `audio` into a fresh array when Info.plist has
    // no UIBackgroundModes yet and never store it, so `enableBackgroundAudio: true` adds nothing to
    // an app without other background modes (fixed in 6.5.0).
    from: '6.4.1',
    until: '6.5.0',
    read: 'react-native-video 6.4.1-6.4.5: app.plugin.js, lib/expo-plugins/withBackgroundAudio.js (`modes.push` on a copy), withRNVideo.js',
    plugin: (o) => {
      const out = outcome();
      flag(o, out, 'enableBackgroundAudio', false, 'react-native-video', 'ios');
      rnvNotificationControls(o, out);
      return out;
    },
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin does not add the `audio` background mode even with `enableBackgroundAudio: true` unless UIBackgroundModes already lists another mode (fixed in 6.5.0)',
  },
  {
    from: '6.5.0',
    until: '7.0.0',
    read: 'react-native-video 6.5.0-6.9.1, 6.10.0, 6.14.0, 6.18.0, 6.19.3: lib/expo-plugins/withRNVideo.js (withBackgroundAudio runs only when `enableBackgroundAudio` is true, so false leaves UIBackgroundModes alone; `enableNotificationControls` adds VideoPlaybackService and both permissions), android/src/main/AndroidManifest.xml (empty)',
    plugin: (o) => {
      const out = outcome();
      const bg = flag(o, out, 'enableBackgroundAudio', false, 'react-native-video', 'ios');
      if (bg?.on) out.iosAudio = { action: 'add', because: bg.because };
      rnvNotificationControls(o, out);
      return out;
    },
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` background mode only with `enableBackgroundAudio: true`',
  },
  {
    from: '7.0.0',
    until: null,
    // Corrected by npm run test:plugins: withAndroidNotificationControls appends its service with
    // `mainApplication.service?.push(...)`, so nothing is added to a manifest without a <service>
    // yet, and it pushes the two permissions onto `config.android.permissions` from inside a
    // manifest mod, after the permissions were written: they never reach the manifest.
    read: 'react-native-video 7.0.0-beta.9, 7.0.0-beta.11: lib/commonjs/expo-plugins/withReactNativeVideo.js (`enableBackgroundAudio` adds `audio`), withAndroidNotificationControls.js (service only appended to an existing service list; permissions pushed too late)',
    plugin: (o) => {
      const out = outcome();
      const bg = flag(o, out, 'enableBackgroundAudio', false, 'react-native-video', 'ios');
      if (bg?.on) out.iosAudio = { action: 'add', because: bg.because };
      return out;
    },
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` background mode only with `enableBackgroundAudio: true`',
  },
];

// ---------------------------------------------------------------------------------------------
// react-native-audio-api

function audioApi(serviceName: string, defaultPermissions: string[] | null): (o: OptionReader) => PluginOutcome {
  return (o) => {
    const out = outcome();
    const ios = flag(o, out, 'iosBackgroundMode', true, 'react-native-audio-api', 'ios');
    if (ios?.on) out.iosAudio = { action: 'add', because: ios.because };
    const fgs = flag(o, out, 'androidForegroundService', true, 'react-native-audio-api', 'android');
    // 0.6.0 names the option androidFSPermissions and defaults both lists to [].
    const permOption = defaultPermissions ? 'androidPermissions' : 'androidFSPermissions';
    const perms = o.strings(permOption);
    const types = o.strings('androidFSTypes');
    for (const [n, v] of [[permOption, perms], ['androidFSTypes', types]] as const) {
      if (v.value === 'unresolved') out.unresolved.push({ text: `react-native-audio-api's \`${n}\` option`, location: v.location, platform: 'android' });
    }
    const permList = perms.value === undefined ? (defaultPermissions ?? []) : perms.value === 'unresolved' ? null : perms.value;
    const typeList = types.value === undefined ? (defaultPermissions ? ['mediaPlayback'] : []) : types.value === 'unresolved' ? null : types.value;
    const permBecause: Reason =
      perms.value === undefined
        ? { text: `react-native-audio-api's default \`${permOption}\``, location: o.entry }
        : { text: `react-native-audio-api's \`${permOption}\` option`, location: perms.location };
    // 0.6.0 adds the permissions only together with the service; later versions always.
    if (permList && (defaultPermissions || fgs?.on)) for (const p of permList) out.androidPermissions.push(permission(p, permBecause));
    if (fgs?.on && typeList) {
      out.androidServices.push({
        name: serviceName,
        types: typeList,
        because: types.value === undefined ? { text: `react-native-audio-api's default \`androidFSTypes\``, location: o.entry } : { text: "react-native-audio-api's `androidFSTypes` option", location: types.location },
      });
    }
    return out;
  };
}

const AA_PKG = 'com.swmansion.audioapi.system.';
const audioApiRanges: VersionRange[] = [
  {
    from: null,
    until: '0.6.0',
    read: 'react-native-audio-api 0.4.18, 0.5.7: no app.plugin.js',
    plugin: null,
    libraryManifest: { permissions: [], services: [] },
    summary: 'it has no config plugin',
  },
  {
    from: '0.6.0',
    until: '0.6.4',
    read: 'react-native-audio-api 0.6.0: lib/commonjs/plugin/withAudioAPI.js (iosBackgroundMode = true; androidFSPermissions = [], androidFSTypes = [])',
    plugin: audioApi(`${AA_PKG}MediaNotificationManager$NotificationService`, null),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` background mode unless `iosBackgroundMode` is false, but adds no foreground-service permission by default',
  },
  {
    from: '0.6.4',
    until: '0.6.5',
    read: 'react-native-audio-api 0.6.4: lib/commonjs/plugin/withAudioAPI.js (default androidPermissions FOREGROUND_SERVICE and WAKE_LOCK, androidFSTypes mediaPlayback)',
    plugin: audioApi(`${AA_PKG}MediaNotificationManager$NotificationService`, [PERMISSION_FGS, WAKE_LOCK]),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin declares a mediaPlayback service but, by default, not FOREGROUND_SERVICE_MEDIA_PLAYBACK (added to the defaults in 0.6.5)',
  },
  {
    from: '0.6.5',
    until: '0.8.0',
    read: 'react-native-audio-api 0.6.5, 0.7.2: lib/commonjs/plugin/withAudioAPI.js (defaults: iosBackgroundMode true, androidPermissions FOREGROUND_SERVICE + FOREGROUND_SERVICE_MEDIA_PLAYBACK, androidForegroundService true, androidFSTypes mediaPlayback)',
    plugin: audioApi(`${AA_PKG}MediaNotificationManager$NotificationService`, [PERMISSION_FGS, PERMISSION_FGS_MEDIA]),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` mode and a mediaPlayback service with both permissions unless its options turn them off',
  },
  {
    from: '0.8.0',
    until: '0.11.1',
    read: 'react-native-audio-api 0.8.4, 0.9.3, 0.10.3, 0.11.0 (found by npm run test:plugins): lib/commonjs/plugin/withAudioAPI.js (same defaults; service MediaNotificationManager$AudioForegroundService)',
    plugin: audioApi(`${AA_PKG}MediaNotificationManager$AudioForegroundService`, [PERMISSION_FGS, PERMISSION_FGS_MEDIA]),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` mode and a mediaPlayback service with both permissions unless its options turn them off',
  },
  {
    from: '0.11.1',
    until: null,
    read: 'react-native-audio-api 0.11.1, 0.11.7, 0.13.6: lib/commonjs/plugin/withAudioAPI.js (same defaults; service CentralizedForegroundService); ios/audioapi/ios/system/AudioSessionManager.mm (setCategory with the iosCategory / iosOptions strings)',
    plugin: audioApi(`${AA_PKG}CentralizedForegroundService`, [PERMISSION_FGS, PERMISSION_FGS_MEDIA]),
    libraryManifest: { permissions: [], services: [] },
    summary: 'its plugin adds the `audio` mode and a mediaPlayback service with both permissions unless its options turn them off',
  },
];

export const PLUGIN_EFFECTS: Record<AudioPackage, VersionRange[]> = {
  'expo-audio': expoAudio,
  'expo-av': expoAv,
  'expo-video': expoVideo,
  'react-native-track-player': rntp,
  'react-native-video': rnVideo,
  'react-native-audio-api': audioApiRanges,
};

/** Java package prefixes of each library's services, to recognise "the library's own service". */
export const SERVICE_PREFIXES: Record<AudioPackage, string[]> = {
  'expo-audio': ['expo.modules.audio.'],
  'expo-av': ['expo.modules.av.'],
  'expo-video': ['expo.modules.video.'],
  'react-native-track-player': ['com.doublesymmetry.trackplayer.', 'com.guichaguri.trackplayer.'],
  'react-native-video': ['com.brentvatne.', 'com.twg.video.'],
  'react-native-audio-api': ['com.swmansion.audioapi.'],
};

/** Namespace for relative class names in a library manifest without a `package` attribute. */
export const LIBRARY_NAMESPACES: Record<string, string> = {
  'expo-audio': 'expo.modules.audio',
  'expo-av': 'expo.modules.av',
  'expo-video': 'expo.modules.video',
  'react-native-track-player': 'com.doublesymmetry.trackplayer',
  'react-native-video': 'com.brentvatne.react',
  'react-native-audio-api': 'com.swmansion.audioapi',
};

export function rangeFor(pkg: AudioPackage, version: Version): VersionRange {
  return PLUGIN_EFFECTS[pkg].find((r) => inRange(version, r.from, r.until))!;
}

/**
 * The entry for a package when only a version range is known: one entry if the whole range
 * [low, high) falls in it, else null (the behaviour depends on which version npm installs).
 */
export function rangeForBounds(pkg: AudioPackage, low: Version, high: Version | null): VersionRange | null {
  const first = rangeFor(pkg, low);
  if (first.until === null) return first;
  // high is exclusive: the whole range fits when high <= until.
  if (high !== null && compareVersion(high, parseVersion(first.until)!) <= 0) return first;
  return null;
}
