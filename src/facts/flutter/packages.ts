// What the Flutter audio packages are and do, per version, from their published sources
// (github.com/ryanheise/audio_service, ryanheise/just_audio, ryanheise/audio_session read at their
// release tags). The pub cache, where a build finds the plugins, is not part of a checkout, so these
// facts stand in for the plugins' own files.
//
// - audio_service: its android/src/main/AndroidManifest.xml declares nothing (no permission, no
//   component) in every release from 0.11 to 0.18.13; the app must declare the service, the media
//   button receiver and the permissions itself (README "Android setup"). From 0.18.0 the plugin
//   looks up the FlutterEngine the launcher activity provides (AudioServicePlugin: "The Activity
//   class declared in your AndroidManifest.xml is wrong or has not provided the correct
//   FlutterEngine") and AudioServiceConfig asserts `!androidNotificationOngoing ||
//   androidStopForegroundOnPause`. AudioService extends MediaBrowserServiceCompat, calls
//   startForeground(id, notification) without a type and takes a PARTIAL_WAKE_LOCK while playing.
// - just_audio / audio_session: their manifests are empty too. audio_session's setActive(true)
//   (which just_audio calls before playing) applies `AudioSessionConfiguration.music()` (category
//   playback) when the app configured nothing.
// - just_audio_background is built on audio_service (^0.18.9) and asks for the same manifest entries.


export const AUDIO_SERVICE_CLASS = 'com.ryanheise.audioservice.AudioService';
export const AUDIO_SERVICE_RECEIVER = 'com.ryanheise.audioservice.MediaButtonReceiver';
/** The receiver the pre-0.18 READMEs asked for; it forwards to the same service. */
export const ANDROIDX_MEDIA_BUTTON_RECEIVER = 'androidx.media.session.MediaButtonReceiver';
export const AUDIO_SERVICE_ACTIVITIES = ['com.ryanheise.audioservice.AudioServiceActivity', 'com.ryanheise.audioservice.AudioServiceFragmentActivity'];
export const MEDIA_BROWSER_ACTION = 'android.media.browse.MediaBrowserService';
export const MEDIA_BUTTON_ACTION = 'android.intent.action.MEDIA_BUTTON';

/** The Flutter audio packages audiobg reads. */
export const FLUTTER_AUDIO_PACKAGES = ['audio_service', 'just_audio_background', 'just_audio', 'audio_session', 'audioplayers', 'flutter_sound'] as const;
export type FlutterAudioPackage = (typeof FLUTTER_AUDIO_PACKAGES)[number];

/** Words that make a Dart file worth parsing (a cheap text test before the syntax tree). */
export const DART_PREFILTER_WORDS = ['AudioService', 'JustAudioBackground', 'AudioSession', 'AudioContext', 'AudioPlayer', 'BaseAudioHandler', 'runApp', 'AudioSource', 'setUrl', 'setFilePath', 'setAsset', 'openAudioSession'];

/**
 * just_audio's audio sources that become queue items; with just_audio_background each needs a
 * MediaItem `tag` (it casts the tag to MediaItem: "type 'Null' is not a subtype of type 'MediaItem'",
 * ryanheise/just_audio#990, #1071, #1257). `AudioSource.uri/file/asset` are factory constructors.
 */
export const JUST_AUDIO_SOURCE_TYPES = ['AudioSource', 'ProgressiveAudioSource', 'HlsAudioSource', 'DashAudioSource', 'LockCachingAudioSource', 'ClippingAudioSource', 'LoopingAudioSource'];
/** AudioPlayer's shortcuts that build a source themselves; they take `tag:` only from just_audio 0.9.38 (ryanheise/just_audio#1219). */
export const JUST_AUDIO_SHORTCUTS = ['setUrl', 'setFilePath', 'setAsset'];

/** A service class that lives in a library, not in the app's sources: what it is, for the Android rules. */
export interface LibraryService {
  className: string;
  /** e.g. "audio_service's AudioService (a MediaBrowserServiceCompat that goes foreground while playing)". */
  reason: string;
  /** Always started with the mediaPlayback type (true for Media3); false when the type comes from the manifest only. */
  typedStart: boolean;
  /** Takes a wake lock while playing (needs WAKE_LOCK, or throws SecurityException). */
  wakeLock: boolean;
}

export const LIBRARY_SERVICES: readonly LibraryService[] = [
  {
    className: AUDIO_SERVICE_CLASS,
    reason: "audio_service's playback service (a MediaBrowserServiceCompat that calls startForeground() while playing)",
    typedStart: false,
    wakeLock: true,
  },
];

export function libraryService(className: string): LibraryService | undefined {
  return LIBRARY_SERVICES.find((s) => s.className === className);
}

/** The lowest version a pub constraint allows (`^0.18.12`, `>=0.18.0 <0.19.0`, `0.18.12`), or null. */
export function lowestVersion(constraint: string | null): string | null {
  if (!constraint) return null;
  const c = constraint.trim();
  if (c === 'any' || c === '') return null;
  const m = /^(?:\^|>=|=)?\s*(\d+\.\d+\.\d+(?:[-+][\w.+-]*)?)/.exec(c);
  return m ? m[1]! : null;
}
