import { addPermissionFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { hasPermission, PERMISSION_WAKE_LOCK } from '../../src/facts/android/queries.js';
import { libraryService } from '../../src/facts/flutter/packages.js';

export default defineRule({
  meta: {
    id: 'android/wake-lock-permission-missing',
    platform: 'android',
    severity: 'warning',
    fixable: true,
    title: 'setWakeMode() without WAKE_LOCK',
    description: 'The player is asked to hold a wake lock (or a library playback service that takes one, such as Flutter audio_service\'s AudioService, is declared), but the merged manifest does not declare android.permission.WAKE_LOCK.',
    why:
      'ExoPlayer.setWakeMode(C.WAKE_MODE_LOCAL / WAKE_MODE_NETWORK) and MediaPlayer.setWakeMode() keep the CPU (and Wi-Fi) awake while playing with the screen off, which needs the WAKE_LOCK permission. Without it ExoPlayer only logs "WAKE_LOCK permission not granted" and plays without the lock, so streams stall or stop once the device sleeps. media3-exoplayer 1.9.0 and later merge the permission from their own manifest.',
    fix: 'Add <uses-permission android:name="android.permission.WAKE_LOCK" /> to the app manifest, or update media3-exoplayer to 1.9.0 or later.',
    docs: [
      { title: 'Background playback with Media3 (wake locks)', url: 'https://developer.android.com/media/media3/session/background-playback' },
      { title: '<uses-permission> element', url: 'https://developer.android.com/guide/topics/manifest/uses-permission-element' },
      { title: 'audio_service: Android setup (Flutter)', url: 'https://pub.dev/packages/audio_service#android-setup' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      if (hasPermission(app, PERMISSION_WAKE_LOCK)) continue;
      // Library services that take a wake lock themselves (Flutter's audio_service: PowerManager.newWakeLock, then acquire() while playing).
      for (const decl of app.manifest.services) {
        const known = libraryService(decl.name);
        if (!known?.wakeLock || decl.enabled === 'false') continue;
        out.push({
          message: `\`${decl.name}\` (${known.reason}) takes a PARTIAL_WAKE_LOCK when playback starts, but no manifest of app \`${app.name}\` declares android.permission.WAKE_LOCK; acquiring it throws SecurityException.`,
          location: decl.location,
          fix: 'Add <uses-permission android:name="android.permission.WAKE_LOCK" /> to the app manifest, as the audio_service README asks.',
        });
      }
      for (const cls of app.sources.classes) {
        for (const call of cls.calls) {
          if (call.name !== 'setWakeMode') continue;
          let player: string;
          if (call.args.length === 1) {
            // ExoPlayer: C.WAKE_MODE_NONE (0) asks for no lock; a value we cannot fold is skipped.
            const v = call.args[0]!.value;
            const mode = v.kind === 'name' ? v.name : v.kind === 'int' ? ['WAKE_MODE_NONE', 'WAKE_MODE_LOCAL', 'WAKE_MODE_NETWORK'][v.value] : undefined;
            if (mode !== 'WAKE_MODE_LOCAL' && mode !== 'WAKE_MODE_NETWORK') continue;
            player = 'ExoPlayer';
          } else if (call.args.length === 2) {
            player = 'MediaPlayer';
          } else continue;
          const media3 = player === 'ExoPlayer' ? (app.media3 ? ` (media3-exoplayer ${app.media3.version} does not add it; 1.9.0+ does)` : '') : '';
          out.push({
            message: `\`setWakeMode(${call.args.map((a) => a.text).join(', ')})\` needs android.permission.WAKE_LOCK, which no manifest of app \`${app.name}\` declares${media3}; the ${player} plays without the lock and can stall with the screen off.`,
            location: call.location,
            fixes: addPermissionFix(app, PERMISSION_WAKE_LOCK),
          });
        }
      }
    }
    return out;
  },
});
