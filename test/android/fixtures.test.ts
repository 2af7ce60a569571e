import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, type JsonFinding } from '../support/cli.js';
import { variant } from '../support/fixture-copies.js';

const ANDROID_RULES = [
  'android/audio-focus-not-requested',
  'android/becoming-noisy-in-manifest',
  'android/boot-completed-media-playback',
  'android/foreground-service-permission-missing',
  'android/media-button-receiver-unresolvable',
  'android/media-playback-permission-missing',
  'android/service-type-missing',
  'android/session-not-released',
  'android/session-service-intent-filter-missing',
  'android/session-service-not-exported',
  'android/start-foreground-type-missing',
  'android/stop-foreground-removes-notification',
  'android/wake-lock-permission-missing',
];

/** Every Android rule's locations, so a test states the full expected picture of a fixture. */
function androidLocations(findings: JsonFinding[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of ANDROID_RULES) {
    const locs = locationsOf(findings, id);
    if (locs.length) out[id] = locs;
  }
  return out;
}

function only(findings: JsonFinding[], ruleId: string): JsonFinding {
  const list = findings.filter((f) => f.ruleId === ruleId);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('android: clean Media3 app', () => {
  it('reports nothing for a correct Media3 session service (targetSdk from the version catalog)', async () => {
    const { code, findings } = await doctorJson('android/media3-clean');
    expect(findings.filter((f) => f.ruleId.startsWith('android/') || f.ruleId === 'audiobg/parse-error')).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('android: Media3 service without a foreground service type (targetSdk 33)', () => {
  it('reports the missing type, the missing FOREGROUND_SERVICE and the missing WAKE_LOCK, and nothing gated at 34', async () => {
    const { findings, code } = await doctorJson('android/media3-no-type');
    expect(androidLocations(findings)).toEqual({
      'android/foreground-service-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      'android/service-type-missing': ['app/src/main/AndroidManifest.xml:9'],
      'android/wake-lock-permission-missing': ['app/src/main/java/com/example/audiobook/LibraryPlaybackService.kt:24'],
    });
    expect(code).toBe(1);
  });

  it('names the service and explains that Media3 passes the type on Android 10+', async () => {
    const { findings } = await doctorJson('android/media3-no-type');
    const f = only(findings, 'android/service-type-missing');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('`com.example.audiobook.LibraryPlaybackService`');
    expect(f.message).toContain('Media3 MediaLibraryService');
    expect(f.message).toContain('Android 10+');
    expect(f.fix).toContain('android:foregroundServiceType="mediaPlayback"');
  });

  it('ignores a permission named only in an XML comment and reports the real targetSdk, not the commented one', async () => {
    const { findings } = await doctorJson('android/media3-no-type');
    const f = only(findings, 'android/foreground-service-permission-missing');
    expect(f.message).toContain('targetSdk 33');
    expect(f.message).not.toContain('could not be resolved');
  });

  it('mentions the Media3 version read from a string template when the wake lock permission is missing', async () => {
    const { findings } = await doctorJson('android/media3-no-type');
    expect(only(findings, 'android/wake-lock-permission-missing').message).toContain('media3-exoplayer 1.4.1');
  });
});

describe('android: permissions and service declared in a library module', () => {
  it('merges the library manifest (no permission findings) and honours tools:node="remove"', async () => {
    const { findings } = await doctorJson('android/library-manifest');
    expect(androidLocations(findings)).toEqual({
      // WAKE_LOCK comes from :core:playback but the app removes it; :core:ui is not a dependency.
      // LegacyRadioService (no type, no intent-filter) is removed by the app manifest, so it is not reported.
      'android/wake-lock-permission-missing': ['core/playback/src/main/java/com/example/core/playback/RadioService.kt:17'],
    });
  });

  it('reports the library service once the app stops removing it', async () => {
    const dir = variant('android/library-manifest', {
      'app/src/main/AndroidManifest.xml': (t) => t.replace('LegacyRadioService"\n            tools:node="remove"', 'LegacyRadioService"\n            tools:node="merge"'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/service-type-missing')).toEqual(['app/src/main/AndroidManifest.xml:20']);
    expect(locationsOf(findings, 'android/session-service-intent-filter-missing')).toEqual(['app/src/main/AndroidManifest.xml:20']);
  });
});

describe('android: legacy Java service (Groovy build, targetSdk via rootProject.ext)', () => {
  it('reports exactly the expected locations', async () => {
    const { findings } = await doctorJson('android/legacy-java');
    expect(androidLocations(findings)).toEqual({
      'android/audio-focus-not-requested': ['app/src/main/java/com/example/podcast/PodcastService.java:24'],
      'android/media-playback-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      'android/session-not-released': ['app/src/main/java/com/example/podcast/PodcastService.java:62'],
      // Line 31 is a startForeground( call split over five lines; the one in the comment on line 29 does not count.
      'android/start-foreground-type-missing': ['app/src/main/java/com/example/podcast/PodcastService.java:31'],
      // pause() removes the notification; stop() also calls stopSelf(); the string on line 56 is not a call.
      'android/stop-foreground-removes-notification': ['app/src/main/java/com/example/podcast/PodcastService.java:45'],
    });
  });

  it('explains which type is not declared', async () => {
    const { findings } = await doctorJson('android/legacy-java');
    const f = only(findings, 'android/start-foreground-type-missing');
    expect(f.message).toContain('FOREGROUND_SERVICE_TYPE_DATA_SYNC');
    expect(f.message).toContain('foregroundServiceType="mediaPlayback"');
    expect(only(findings, 'android/media-playback-permission-missing').message).toContain('targetSdk 34');
  });
});

describe('android: Kotlin startForeground forms (targetSdk 34 from a dashed catalog key)', () => {
  it('reports exactly the expected locations', async () => {
    const { findings } = await doctorJson('android/kotlin-start-foreground');
    expect(androidLocations(findings)).toEqual({
      'android/service-type-missing': ['app/src/main/AndroidManifest.xml:8'],
      'android/start-foreground-type-missing': [
        // ServiceCompat.startForeground(..., FOREGROUND_SERVICE_TYPE_NONE) split over six lines
        'app/src/main/java/com/example/fm/PodcastService.kt:18',
        // two-argument form while the <service> has no type
        'app/src/main/java/com/example/fm/RadioService.kt:24',
      ],
      // else-branch of `if (isPlaying)`; PodcastService.pausePlayback uses STOP_FOREGROUND_DETACH
      'android/stop-foreground-removes-notification': ['app/src/main/java/com/example/fm/RadioService.kt:26'],
    });
  });

  it('accepts the two-argument form and an SDK-guarded MEDIA_PLAYBACK type when the manifest declares the type', async () => {
    const { findings } = await doctorJson('android/kotlin-start-foreground');
    const podcast = findings.filter((f) => f.ruleId === 'android/start-foreground-type-missing' && f.file.endsWith('PodcastService.kt'));
    expect(podcast.map((f) => f.line)).toEqual([18]);
    expect(podcast[0]!.message).toContain('InvalidForegroundServiceTypeException');
  });
});

describe('android: Media3 session service manifest entries', () => {
  it('reports missing intent-filter actions, non-exported services and a session never released', async () => {
    const { findings } = await doctorJson('android/session-manifest');
    expect(androidLocations(findings)).toEqual({
      'android/session-not-released': ['app/src/main/java/com/example/music/SessionService.kt:8'],
      'android/session-service-intent-filter-missing': ['app/src/main/AndroidManifest.xml:13', 'app/src/main/AndroidManifest.xml:8'],
      'android/session-service-not-exported': ['app/src/main/AndroidManifest.xml:11', 'app/src/main/AndroidManifest.xml:13'],
    });
  });

  it('recognises a Java MediaLibraryService through a Kotlin base class and asks for the library action', async () => {
    const { findings } = await doctorJson('android/session-manifest');
    const f = findings.find((x) => x.ruleId === 'android/session-service-intent-filter-missing' && x.line === 13)!;
    expect(f.message).toContain('com.example.music.LibraryService');
    expect(f.message).toContain('legacy android.media.browse.MediaBrowserService');
    expect(f.fix).toContain('androidx.media3.session.MediaLibraryService');
  });
});

describe('android: boot receivers (targetSdk 35 app and targetSdk 34 app in one build)', () => {
  it('reports the boot receiver that starts playback through a helper, and the manifest noisy receiver', async () => {
    const { findings } = await doctorJson('android/boot-receiver');
    expect(androidLocations(findings)).toEqual({
      'android/becoming-noisy-in-manifest': ['app/src/main/AndroidManifest.xml:46'],
      // LegacyBootReceiver is guarded by SDK_INT < VANILLA_ICE_CREAM, AlarmReceiver is not a boot receiver,
      // and the :car app targets 34.
      'android/boot-completed-media-playback': ['app/src/main/java/com/example/alarm/BootReceiver.kt:16'],
      // PlaybackService calls setWakeMode without WAKE_LOCK, but media3-exoplayer 1.9.0 merges the permission.
    });
  });

  it('reports the unguarded Java receiver and the :car receiver when the guard and the gate go away', async () => {
    const dir = variant('android/boot-receiver', {
      'app/src/main/java/com/example/alarm/LegacyBootReceiver.java': (t) => t.replace('Build.VERSION.SDK_INT < Build.VERSION_CODES.VANILLA_ICE_CREAM', 'Build.VERSION.SDK_INT >= 26'),
      'car/build.gradle.kts': (t) => t.replace('targetSdk = 34', 'targetSdk = 35'),
      'gradle/libs.versions.toml': (t) => t.replace('media3 = "1.9.0"', 'media3 = "1.8.0"'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/boot-completed-media-playback')).toEqual([
      'app/src/main/java/com/example/alarm/BootReceiver.kt:16',
      'app/src/main/java/com/example/alarm/LegacyBootReceiver.java:13',
      'car/src/main/java/com/example/alarm/car/CarBootReceiver.kt:9',
    ]);
    expect(locationsOf(findings, 'android/wake-lock-permission-missing')).toEqual(['app/src/main/java/com/example/alarm/PlaybackService.kt:17']);
  });

  it('names the receiver, the action and the service', async () => {
    const { findings } = await doctorJson('android/boot-receiver');
    const f = only(findings, 'android/boot-completed-media-playback');
    expect(f.message).toContain('`com.example.alarm.BootReceiver`');
    expect(f.message).toContain('BOOT_COMPLETED');
    expect(f.message).toContain('`com.example.alarm.PlaybackService`');
    expect(f.message).toContain('targetSdk 35');
  });
});

describe('android: targetSdk 27 app (below every gate)', () => {
  it('reports nothing at targetSdk 27', async () => {
    const { findings } = await doctorJson('android/old-target');
    expect(androidLocations(findings)).toEqual({});
  });

  it('reports the gated rules when the same project targets 34', async () => {
    const dir = variant('android/old-target', {
      'app/build.gradle': (t) => t.replace('targetSdkVersion 27', 'targetSdkVersion 34'),
    });
    const { findings } = await doctorJson(dir);
    expect(androidLocations(findings)).toEqual({
      'android/foreground-service-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      'android/media-playback-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      'android/service-type-missing': ['app/src/main/AndroidManifest.xml:15'],
      'android/session-service-not-exported': ['app/src/main/AndroidManifest.xml:7'],
      'android/start-foreground-type-missing': ['app/src/main/java/com/example/oldradio/ClassicPlaybackService.java:18'],
    });
  });
});

describe('android: inline suppressions', () => {
  it('honours audiobg-ignore-next-line in a manifest comment and a Kotlin comment', async () => {
    const dir = variant('android/media3-no-type', {
      'app/src/main/AndroidManifest.xml': (t) =>
        t.replace('        <service\n', '        <!-- audiobg-ignore-next-line android/service-type-missing: migrating in the next release -->\n        <service\n'),
      'app/src/main/java/com/example/audiobook/LibraryPlaybackService.kt': (t) =>
        t.replace('            .setWakeMode(\n', '            // audiobg-ignore-next-line android/wake-lock-permission-missing -- permission comes from a flavour\n            .setWakeMode(\n'),
    });
    const { findings } = await doctorJson(dir);
    expect(androidLocations(findings)).toEqual({
      'android/foreground-service-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
    });
  });
});

describe('android: MediaButtonReceiver resolution (three apps in one build)', () => {
  it('reports two matching session services and a receiver left without a service, not the legacy app with one', async () => {
    const { findings } = await doctorJson('android/media-button');
    expect(androidLocations(findings)).toEqual({
      'android/media-button-receiver-unresolvable': ['phone/src/main/AndroidManifest.xml:7', 'watch/src/main/AndroidManifest.xml:7'],
    });
    const phone = findings.find((f) => f.ruleId === 'android/media-button-receiver-unresolvable' && f.file.startsWith('phone/'))!;
    expect(phone.message).toContain('`com.example.phone.MusicService`, `com.example.phone.PodcastService`');
  });

  it('accepts the Media3 receiver once only one service keeps the session action', async () => {
    const dir = variant('android/media-button', {
      'phone/src/main/AndroidManifest.xml': (t) => t.replace(/(PodcastService"[\s\S]*?)<action android:name="androidx.media3.session.MediaSessionService" \/>/, '$1<action android:name="com.example.phone.PODCASTS" />'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/media-button-receiver-unresolvable')).toEqual(['watch/src/main/AndroidManifest.xml:7']);
  });
});

describe('android: unresolved targetSdk and a malformed manifest', () => {
  it('assumes targetSdk 36, says so, and keeps checking past the broken debug manifest', async () => {
    const { findings } = await doctorJson('android/unresolved-target');
    expect(androidLocations(findings)).toEqual({
      'android/media-playback-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
    });
    expect(only(findings, 'android/media-playback-permission-missing').message).toContain('targetSdk could not be resolved; assuming 36');
    expect(locationsOf(findings, 'audiobg/parse-error')).toEqual(['app/src/debug/AndroidManifest.xml:5']);
  });
});

describe('android: service subclassing a library module whose folder settings.gradle remaps', () => {
  it('follows project(":x").projectDir to the library and sees the Media3 base class two levels up', async () => {
    const { findings, raw } = await doctorJson('android/remapped-library-service');
    expect(raw.apps.map((a: { path: string }) => a.path)).toEqual(['player-app']);
    expect(androidLocations(findings)).toEqual({ 'android/service-type-missing': ['player-app/src/main/AndroidManifest.xml:16'] });
    expect(only(findings, 'android/service-type-missing').message).toContain('a Media3 MediaLibraryService');
  });

  it('still knows the service is a Media3 one when the base class is not in the checked sources', async () => {
    // Without the library module's sources the hierarchy stops at an unknown class; the
    // androidx.media3.session action in the intent filter settles what the service is.
    const dir = variant('android/remapped-library-service', {});
    fs.rmSync(path.join(dir, 'playback/src/main/java'), { recursive: true });
    const { findings } = await doctorJson(dir);
    expect(androidLocations(findings)).toEqual({ 'android/service-type-missing': ['player-app/src/main/AndroidManifest.xml:16'] });
  });

  it('is clean once the service declares the mediaPlayback type', async () => {
    const dir = variant('android/remapped-library-service', {
      'player-app/src/main/AndroidManifest.xml': (t) => t.replace('android:exported="true">\n            <intent-filter>\n                <action android:name="androidx.media3', 'android:exported="true"\n            android:foregroundServiceType="mediaPlayback">\n            <intent-filter>\n                <action android:name="androidx.media3'),
    });
    const { findings } = await doctorJson(dir);
    expect(androidLocations(findings)).toEqual({});
  });
});

describe('android: stopForeground on pause paths', () => {
  it('reports a pause that removes the notification even when an early-return branch stops the service', async () => {
    const { findings } = await doctorJson('android/pause-paths');
    // pause() line 38 fires although `if (!prepared) { stopSelf(); return }` sits above it;
    // pauseAndQuit() stops the service on the same path and is quiet.
    expect(androidLocations(findings)).toEqual({
      'android/stop-foreground-removes-notification': ['app/src/main/java/com/example/talk/TalkRadioService.kt:38'],
    });
  });
});

/** A finding's related locations as "file:line". */
function relatedOf(f: JsonFinding): string[] {
  return ((f as JsonFinding & { related?: { file: string; line: number }[] }).related ?? []).map((r) => `${r.file}:${r.line}`);
}

describe('android: playback services neither Media3 nor typed (targetSdk 34, Kotlin)', () => {
  it('recognises a MediaBrowserServiceCompat through a base class, a held MediaPlayer and a helper-owned ExoPlayer, not a backup or location service', async () => {
    const { findings } = await doctorJson('android/untyped-playback');
    expect(androidLocations(findings)).toEqual({
      'android/media-playback-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      // JukeboxService, StreamService, AudiobookService; not BackupService (no player) or TrackingService (typed location).
      'android/service-type-missing': ['app/src/main/AndroidManifest.xml:17', 'app/src/main/AndroidManifest.xml:21', 'app/src/main/AndroidManifest.xml:9'],
      // Any foreground service needs a type at 34, so BackupService is reported here, with a fix that is not mediaPlayback.
      'android/start-foreground-type-missing': [
        'app/src/main/java/com/example/tunes/BackupService.kt:13',
        'app/src/main/java/com/example/tunes/BaseAudioService.kt:12',
        'app/src/main/java/com/example/tunes/StreamService.kt:41',
      ],
      // relaxResources(false) after the pause action's player.pause(); goQuiet() after the focus-loss pause.
      // Not: updateForeground(false), the ACTION_STOP path (stopSelf), the reconnect/retry cycle, DETACH, BackupService.pauseUpload,
      // dropIdleNotification (the pause sits in another listener's initializer).
      'android/stop-foreground-removes-notification': [
        'app/src/main/java/com/example/tunes/BaseAudioService.kt:17',
        'app/src/main/java/com/example/tunes/StreamService.kt:46',
      ],
    });
  });

  it('names the evidence: the base class, the player and how it goes foreground', async () => {
    const { findings } = await doctorJson('android/untyped-playback');
    const perm = only(findings, 'android/media-playback-permission-missing');
    expect(perm.message).toContain('`com.example.tunes.JukeboxService`, `com.example.tunes.StreamService`, `com.example.tunes.AudiobookService`');
    expect(perm.message).not.toContain('BackupService');
    const types = findings.filter((f) => f.ruleId === 'android/service-type-missing');
    expect(types.find((f) => f.line === 9)!.message).toContain('MediaBrowserServiceCompat (through BaseAudioService)');
    expect(types.find((f) => f.line === 17)!.message).toContain('holds a MediaPlayer');
    expect(types.find((f) => f.line === 21)!.message).toContain('creates a NarrationEngine, which creates an ExoPlayer and calls startForeground() through ChapterNotifier');
    const starts = findings.filter((f) => f.ruleId === 'android/start-foreground-type-missing');
    expect(starts.find((f) => f.file.endsWith('BaseAudioService.kt'))!.message).toContain('inherited by `com.example.tunes.JukeboxService`');
    expect(starts.find((f) => f.file.endsWith('BaseAudioService.kt'))!.fix).toContain('mediaPlayback');
    expect(starts.find((f) => f.file.endsWith('BackupService.kt'))!.fix).not.toContain('mediaPlayback');
  });

  it('points the stopForeground finding at the pause that reaches it', async () => {
    const { findings } = await doctorJson('android/untyped-playback');
    const list = findings.filter((f) => f.ruleId === 'android/stop-foreground-removes-notification');
    const base = list.find((f) => f.file.endsWith('BaseAudioService.kt'))!;
    expect(base.message).toContain('after `player.pause()` in `onStartCommand`');
    expect(base.message).toContain('`com.example.tunes.JukeboxService`');
    expect(relatedOf(base)).toEqual(['app/src/main/java/com/example/tunes/JukeboxService.kt:26']);
    const stream = list.find((f) => f.file.endsWith('StreamService.kt'))!;
    expect(relatedOf(stream)).toEqual(['app/src/main/java/com/example/tunes/StreamService.kt:20']);
  });

  it('reports the parameter-guarded removal once the pause path passes true, and a backup service once it holds a player', async () => {
    const dir = variant('android/untyped-playback', {
      'app/src/main/java/com/example/tunes/JukeboxService.kt': (t) => t.replace('updateForeground(false)', 'updateForeground(true)'),
      'app/src/main/java/com/example/tunes/BackupService.kt': (t) => t.replace('    private val uploader = Uploader()', '    private val uploader = Uploader()\n    private val chime = android.media.MediaPlayer()'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/stop-foreground-removes-notification')).toEqual([
      // BackupService gained a line (the player), so pauseUpload's stopForeground is on line 20.
      'app/src/main/java/com/example/tunes/BackupService.kt:20',
      'app/src/main/java/com/example/tunes/BaseAudioService.kt:17',
      'app/src/main/java/com/example/tunes/BaseAudioService.kt:24',
      'app/src/main/java/com/example/tunes/StreamService.kt:46',
    ]);
    expect(locationsOf(findings, 'android/service-type-missing')).toContain('app/src/main/AndroidManifest.xml:25');
  });

  it('is quiet on the helper once the only pause path stops the service too', async () => {
    const dir = variant('android/untyped-playback', {
      'app/src/main/java/com/example/tunes/JukeboxService.kt': (t) => t.replace('                relaxResources(false)\n', '                relaxResources(false)\n                stopSelf()\n'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/stop-foreground-removes-notification')).toEqual(['app/src/main/java/com/example/tunes/StreamService.kt:46']);
  });
});

describe('android: pause paths through helpers (Java)', () => {
  it('reports the helpers reached from a pause action, a pause key and a focus loss, and nothing on stop paths', async () => {
    const { findings } = await doctorJson('android/java-pause-helpers');
    expect(androidLocations(findings)).toEqual({
      // PlaybackService (declared mediaPlayback) and AlarmToneService (a CrossfadePlayer, a MediaPlayer subclass); not UploadService.
      'android/media-playback-permission-missing': ['app/src/main/AndroidManifest.xml:2'],
      'android/service-type-missing': ['app/src/main/AndroidManifest.xml:12'],
      'android/start-foreground-type-missing': ['app/src/main/java/com/example/radio/AlarmToneService.java:16'],
      // KEYCODE_MEDIA_PAUSE case; dropNotification() after the AUDIOFOCUS_LOSS pause; relaxResources(false) after
      // the ACTION_PAUSE pause. Not: KEYCODE_MEDIA_STOP and onCompletion (stopSelf), updateNotification(false), UploadService.pause,
      // finishPlayback (its removal depends on the caller's literal), halt() (pause then stop ends playback).
      // hideNotification() (124) is called from the nested session callback's onPause().
      'android/stop-foreground-removes-notification': [
        'app/src/main/java/com/example/radio/PlaybackService.java:124',
        'app/src/main/java/com/example/radio/PlaybackService.java:55',
        'app/src/main/java/com/example/radio/PlaybackService.java:88',
        'app/src/main/java/com/example/radio/PlaybackService.java:92',
      ],
    });
    const focus = findings.find((f) => f.ruleId === 'android/stop-foreground-removes-notification' && f.line === 88)!;
    expect(focus.message).toContain('`onAudioFocusChange`');
    expect(relatedOf(focus)).toEqual(['app/src/main/java/com/example/radio/PlaybackService.java:71']);
  });

  it('still sees the pause action without a player pause, and drops it when the action is not a pause', async () => {
    const withoutPause = variant('android/java-pause-helpers', {
      'app/src/main/java/com/example/radio/PlaybackService.java': (t) => t.replace('            player.pause();\n            relaxResources(false);', '            relaxResources(false);'),
    });
    const a = await doctorJson(withoutPause);
    const relax = a.findings.find((f) => f.ruleId === 'android/stop-foreground-removes-notification' && f.message.includes('relaxResources'))!;
    expect(relax.message).toContain('when `ACTION_PAUSE.equals(action)`');
    const notPause = variant('android/java-pause-helpers', {
      'app/src/main/java/com/example/radio/PlaybackService.java': (t) => t.replace('            player.pause();\n            relaxResources(false);', '            relaxResources(false);').replace('if (ACTION_PAUSE.equals(action))', 'if (ACTION_STOP.equals(action) == false && action != null)'),
    });
    const b = await doctorJson(notPause);
    // One line shorter: the other two findings move up by one, relaxResources is no longer reported.
    expect(locationsOf(b.findings, 'android/stop-foreground-removes-notification')).toEqual([
      'app/src/main/java/com/example/radio/PlaybackService.java:123',
      'app/src/main/java/com/example/radio/PlaybackService.java:54',
      'app/src/main/java/com/example/radio/PlaybackService.java:87',
    ]);
  });
});

describe('android: pause evidence without a player pause (Kotlin)', () => {
  it('treats the pause action case and the focus-loss branch as pause paths on their own', async () => {
    const dir = variant('android/untyped-playback', {
      'app/src/main/java/com/example/tunes/JukeboxService.kt': (t) => t.replace('                player?.pause()\n                relaxResources(false)', '                relaxResources(false)'),
      'app/src/main/java/com/example/tunes/StreamService.kt': (t) => t.replace('                player.pause()\n                goQuiet()', '                player.stop()\n                goQuiet()'),
    });
    const { findings } = await doctorJson(dir);
    const list = findings.filter((f) => f.ruleId === 'android/stop-foreground-removes-notification');
    expect(list.map((f) => `${f.file}:${f.line}`).sort()).toEqual([
      'app/src/main/java/com/example/tunes/BaseAudioService.kt:17',
      'app/src/main/java/com/example/tunes/StreamService.kt:46',
    ]);
    const base = list.find((f) => f.file.endsWith('BaseAudioService.kt'))!;
    expect(base.message).toContain('when handling `ACTION_PAUSE`');
    expect(relatedOf(base)).toEqual(['app/src/main/java/com/example/tunes/JukeboxService.kt:25']);
    const stream = list.find((f) => f.file.endsWith('StreamService.kt'))!;
    expect(stream.message).toContain('on audio focus loss (`AudioManager.AUDIOFOCUS_LOSS`)');
    expect(relatedOf(stream)).toEqual(['app/src/main/java/com/example/tunes/StreamService.kt:19']);
  });
});

describe('android: notification removed on pause, seen through PlayerNotificationManager and re-posting', () => {
  const RULE = 'android/stop-foreground-removes-notification';

  it('reports the not-ongoing branch of onNotificationPosted (Kotlin anonymous, Java named with a renamed flag), not onNotificationCancelled, and not a removal re-posted at once', async () => {
    const { findings } = await doctorJson('android/notification-listener');
    expect(locationsOf(findings, RULE)).toEqual([
      // Through the helper it holds: leaveForeground(true) removes; (false) detaches; (!setting) is unknown, not reported.
      'app/src/main/java/com/example/shows/DeckService.kt:28',
      // pauseAndEmpty() passes QUEUE_EMPTIED down to `when (what)`; pause() passes STATE_CHANGED and is ruled out.
      'app/src/main/java/com/example/shows/DispatchService.kt:38',
      'app/src/main/java/com/example/shows/EpisodeService.kt:24',
      // pauseQuietly: the helper called after the removal posts nothing. Not pause(): showPaused() calls notify()
      // (TapeNotifier's annotated constructor on its own line must not hide its body).
      'app/src/main/java/com/example/shows/LegacyTapeService.kt:56',
      'app/src/main/java/com/example/shows/RadioService.java:24',
    ]);
    const episode = findings.find((f) => f.ruleId === RULE && f.file.endsWith('EpisodeService.kt'))!;
    expect(episode.message).toContain('where `ongoing` is false');
    const deck = findings.find((f) => f.ruleId === RULE && f.file.endsWith('DeckService.kt'))!;
    expect(deck.message).toContain('`DeckState.leaveForeground` then removes the playback notification');
  });

  it('reports the pre-24 removal once the helper no longer posts the notification; not the ongoing branch, nor a dispatcher case no pause selects', async () => {
    const dir = variant('android/notification-listener', {
      'app/src/main/java/com/example/shows/LegacyTapeService.kt': (t) => t.replace('manager.notify(3, notification)', 'manager.cancelAll()'),
      'app/src/main/java/com/example/shows/EpisodeService.kt': (t) => t.replace('if (ongoing) {', 'if (!ongoing) {'),
      'app/src/main/java/com/example/shows/DispatchService.kt': (t) => t.replace('changed(QUEUE_EMPTIED)', 'changed(STATE_CHANGED)'),
      'app/src/main/java/com/example/shows/DeckService.kt': (t) => t.replace('state.leaveForeground(!keepNotification)', 'state.leaveForeground(removeNotification = true)'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, RULE)).toEqual([
      'app/src/main/java/com/example/shows/DeckService.kt:28',
      'app/src/main/java/com/example/shows/DeckService.kt:40',
      'app/src/main/java/com/example/shows/LegacyTapeService.kt:48',
      'app/src/main/java/com/example/shows/LegacyTapeService.kt:56',
      'app/src/main/java/com/example/shows/RadioService.java:24',
    ]);
  });
});

describe('android: foreground through a helper of a helper (targetSdk 28, Java)', () => {
  it('names the service whose helper casts its Context back to Service to go foreground, not one whose helper never does', async () => {
    const { findings } = await doctorJson('android/helper-foreground');
    expect(locationsOf(findings, 'android/foreground-service-permission-missing')).toEqual(['app/src/main/AndroidManifest.xml:2']);
    const f = only(findings, 'android/foreground-service-permission-missing');
    expect(f.message).toContain('com.example.reader.ReaderService');
    expect(f.message).not.toContain('SyncService');
  });

  it('finds nothing once the cast call is gone', async () => {
    const dir = variant('android/helper-foreground', {
      'app/src/main/java/com/example/reader/ReaderNotifier.java': (t) => t.replace('((Service) mContext).startForeground(ID, n);', 'mContext.getSystemService(Service.NOTIFICATION_SERVICE);'),
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'android/foreground-service-permission-missing')).toEqual([]);
  });
});
