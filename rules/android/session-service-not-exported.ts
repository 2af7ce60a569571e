import { exportedFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { playbackServices } from '../../src/facts/android/queries.js';

export default defineRule({
  meta: {
    id: 'android/session-service-not-exported',
    platform: 'android',
    severity: 'warning',
    fixable: true,
    title: 'Media3 session service not exported',
    description: 'A Media3 MediaSessionService / MediaLibraryService is declared with android:exported other than "true".',
    why:
      'System UI, Bluetooth, Wear OS, Android Auto and other apps bind to the session service from outside the app. A service that is not exported cannot be bound by them, so the media controls and playback resumption of background audio only work from inside the app.',
    fix: 'Set android:exported="true" on the session <service> (Media3 checks callers itself in MediaSession.Callback.onConnect).',
    docs: [
      { title: 'Background playback with a MediaSessionService', url: 'https://developer.android.com/media/media3/session/background-playback' },
      { title: 'MediaSessionService reference', url: 'https://developer.android.com/reference/androidx/media3/session/MediaSessionService' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const p of playbackServices(app)) {
        if (!p.media3) continue;
        const exported = p.decl.exported;
        if (exported === 'true') continue;
        // Before targetSdk 31 a component with an intent-filter is exported by default.
        if (exported === null && p.decl.hasIntentFilter && app.targetSdk.value < 31) continue;
        if (exported !== null && exported !== 'false') continue; // a placeholder or resource we cannot read
        out.push({
          message:
            exported === 'false'
              ? `Service \`${p.decl.name}\` is a Media3 session service declared with android:exported="false"; controllers outside the app (system UI, Bluetooth, Auto, Wear) cannot connect to it.`
              : `Service \`${p.decl.name}\` is a Media3 session service without android:exported="true"; controllers outside the app (system UI, Bluetooth, Auto, Wear) cannot connect to it.`,
          location: p.decl.exportedLocation ?? p.decl.location,
          fixes: exportedFix(p.decl),
        });
      }
    }
    return out;
  },
});
