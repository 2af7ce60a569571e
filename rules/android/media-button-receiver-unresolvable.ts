import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { ComponentDecl } from '../../src/facts/android/android-model.js';
import { LEGACY_BROWSER_ACTION, MEDIA3_LIBRARY_ACTION, MEDIA3_SESSION_ACTION } from '../../src/facts/android/queries.js';

const MEDIA_BUTTON = 'android.intent.action.MEDIA_BUTTON';
const RECEIVERS: Record<string, { label: string; actions: string[] }> = {
  // The order is the order the receiver searches in: the first action handled by exactly one service wins.
  'androidx.media3.session.MediaButtonReceiver': { label: 'Media3 MediaButtonReceiver', actions: [MEDIA_BUTTON, MEDIA3_LIBRARY_ACTION, MEDIA3_SESSION_ACTION] },
  'androidx.media.session.MediaButtonReceiver': { label: 'androidx.media MediaButtonReceiver', actions: [MEDIA_BUTTON, LEGACY_BROWSER_ACTION] },
  // The pre-AndroidX support library class (support-media-compat); androidx.media is its renamed copy and searches the same way.
  'android.support.v4.media.session.MediaButtonReceiver': { label: 'Support library MediaButtonReceiver', actions: [MEDIA_BUTTON, LEGACY_BROWSER_ACTION] },
};

export default defineRule({
  meta: {
    id: 'android/media-button-receiver-unresolvable',
    platform: 'android',
    severity: 'error',
    title: 'MediaButtonReceiver cannot find its service',
    description: 'A MediaButtonReceiver is declared, but no single service of the app handles the actions it looks for.',
    why:
      'When a media button (headset, Bluetooth, car) is pressed while the app is in the background, MediaButtonReceiver forwards the event to the one service that handles MEDIA_BUTTON or the session / browser service action. If no service matches it throws IllegalStateException ("Could not find any Service that handles ..."), and if two services match the same action it throws "Expected 1 service that handles ...": the app crashes instead of resuming playback.',
    fix: 'Give exactly one playback service the intent-filter the receiver looks for (androidx.media3.session.MediaSessionService / MediaLibraryService for Media3, android.media.browse.MediaBrowserService for androidx.media), or remove the receiver.',
    docs: [
      { title: 'Media3 MediaButtonReceiver', url: 'https://developer.android.com/reference/androidx/media3/session/MediaButtonReceiver' },
      { title: 'androidx.media MediaButtonReceiver', url: 'https://developer.android.com/reference/androidx/media/session/MediaButtonReceiver' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const receiver of app.manifest.receivers) {
        const spec = RECEIVERS[receiver.name];
        if (!spec || receiver.enabled === 'false') continue;
        let outcome: { kind: 'none' } | { kind: 'many'; action: string; services: ComponentDecl[] } | { kind: 'ok' } = { kind: 'none' };
        for (const action of spec.actions) {
          // A service whose android:enabled is a placeholder may be on or off, and one disabled in the manifest
          // can be switched on at run time (PackageManager.setComponentEnabledSetting, e.g. to pick one of two
          // engines): either counts for "some service", not for "two services".
          const possible = app.manifest.services.filter((s) => s.actions.some((a) => a.name === action));
          const definite = possible.filter((s) => s.enabled === null || s.enabled === 'true');
          if (definite.length > 1) {
            outcome = { kind: 'many', action, services: definite };
            break;
          }
          if (possible.length) {
            outcome = { kind: 'ok' };
            break;
          }
        }
        if (outcome.kind === 'ok') continue;
        if (outcome.kind === 'many') {
          out.push({
            message: `${spec.label} \`${receiver.name}\` finds ${outcome.services.length} services handling ${outcome.action} (${outcome.services.map((s) => `\`${s.name}\``).join(', ')}); a media button press throws IllegalStateException ("Expected 1 service that handles ...").`,
            location: receiver.location,
            related: outcome.services.map((s) => ({ location: s.location, message: `<service> ${s.name}` })),
          });
        } else {
          out.push({
            message: `${spec.label} \`${receiver.name}\` is declared but no service handles ${spec.actions.join(', ')}; a media button press throws IllegalStateException ("Could not find any Service that handles ...").`,
            location: receiver.location,
          });
        }
      }
    }
    return out;
  },
});
