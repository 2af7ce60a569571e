import { intentFilterFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { LEGACY_BROWSER_ACTION, MEDIA3_LIBRARY_ACTION, MEDIA3_SESSION_ACTION, playbackServices } from '../../src/facts/android/queries.js';

export default defineRule({
  meta: {
    id: 'android/session-service-intent-filter-missing',
    platform: 'android',
    severity: 'error',
    fixable: true,
    title: 'Media3 session service without its intent-filter action',
    description: 'A Media3 MediaSessionService / MediaLibraryService is declared without the androidx.media3.session action controllers look for.',
    why:
      'Controllers find a Media3 session service through its intent-filter: androidx.media3.session.MediaSessionService, or androidx.media3.session.MediaLibraryService for a library service. Without it, Bluetooth and headset media buttons (Media3 MediaButtonReceiver throws "Could not find any Service that handles any of the actions"), system UI resumption, Wear OS and Android Auto cannot reach the service, so playback cannot be controlled or resumed while the app is in the background.',
    fix: 'Add <intent-filter><action android:name="androidx.media3.session.MediaSessionService"/></intent-filter> to the <service> (use androidx.media3.session.MediaLibraryService for a MediaLibraryService, and add android.media.browse.MediaBrowserService for legacy controllers).',
    docs: [
      { title: 'MediaSessionService reference', url: 'https://developer.android.com/reference/androidx/media3/session/MediaSessionService' },
      { title: 'Background playback with a MediaSessionService', url: 'https://developer.android.com/media/media3/session/background-playback' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const p of playbackServices(app)) {
        if (!p.media3) continue;
        const actions = p.decl.actions.map((a) => a.name);
        const required = p.media3 === 'library' ? MEDIA3_LIBRARY_ACTION : MEDIA3_SESSION_ACTION;
        if (actions.includes(required)) continue;
        const kind = p.media3 === 'library' ? 'MediaLibraryService' : 'MediaSessionService';
        let detail = 'has no intent-filter';
        if (actions.includes(LEGACY_BROWSER_ACTION)) detail = `declares only the legacy ${LEGACY_BROWSER_ACTION} action`;
        else if (actions.length) detail = `has no ${required} action`;
        out.push({
          message: `Service \`${p.decl.name}\` is a Media3 ${kind} but its <service> ${detail}; media controllers and media buttons cannot find it.`,
          location: p.decl.location,
          fix: `Add <intent-filter><action android:name="${required}" /></intent-filter> to this <service>.`,
          related: p.cls ? [{ location: p.cls.location, message: `class ${p.cls.name}` }] : undefined,
          fixes: intentFilterFix(p.decl, required),
        });
      }
    }
    return out;
  },
});
