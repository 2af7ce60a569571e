import { addPermissionFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { appManifestLocation, declaresMediaPlayback, hasPermission, PERMISSION_FGS_MEDIA, playbackServices, targetSdkNote } from '../../src/facts/android/queries.js';
import type { ComponentDecl } from '../../src/facts/android/android-model.js';

export default defineRule({
  meta: {
    id: 'android/media-playback-permission-missing',
    platform: 'android',
    severity: 'error',
    fixable: true,
    title: 'FOREGROUND_SERVICE_MEDIA_PLAYBACK permission missing',
    description: 'A playback service (typed mediaPlayback, a Media3 session service, or any service that plays media in the foreground, whose only valid type is mediaPlayback) runs but the merged manifest lacks android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK.',
    why:
      'From targetSdk 34, starting a foreground service of type mediaPlayback requires the FOREGROUND_SERVICE_MEDIA_PLAYBACK permission; without it startForeground() throws SecurityException ("Starting FGS with type mediaPlayback ... requires permissions ... FOREGROUND_SERVICE_MEDIA_PLAYBACK"). Media3 starts its session service with that type, so playback stops (or the app crashes) as soon as it should move to the background.',
    fix: 'Add <uses-permission android:name="android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" /> next to FOREGROUND_SERVICE in the app manifest. It is a normal permission, granted at install.',
    docs: [
      { title: 'Foreground service types: media playback', url: 'https://developer.android.com/develop/background-work/services/fgs/service-types#media' },
      { title: 'Foreground service types are required (Android 14)', url: 'https://developer.android.com/about/versions/14/changes/fgs-types-required' },
      { title: 'Declare foreground services and request permissions', url: 'https://developer.android.com/develop/background-work/services/fgs/declare' },
    ],
    affects: 'targetSdk >= 34',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      if (app.targetSdk.value < 34 || hasPermission(app, PERMISSION_FGS_MEDIA)) continue;
      // One decision for every rule: a service typed mediaPlayback in the manifest, a Media3 service, or
      // any other playback service (on Android 14 mediaPlayback is the only type it can go foreground with).
      const services: { decl: ComponentDecl; reason: string }[] = playbackServices(app).map((p) => ({
        decl: p.decl,
        reason: p.media3 ? `${p.reason}, which Media3 starts with the mediaPlayback type` : declaresMediaPlayback(p.decl) ? 'declared with foregroundServiceType mediaPlayback' : `${p.reason}; mediaPlayback is the only foreground type that fits it`,
      }));
      if (!services.length) continue;
      const names = services.map((s) => `\`${s.decl.name}\``).join(', ');
      out.push({
        message: `App \`${app.name}\` (targetSdk ${app.targetSdk.value}) starts ${names} as a mediaPlayback foreground service, but no manifest of the app or its library modules declares android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK${targetSdkNote(app)}.`,
        location: appManifestLocation(app, services[0]!.decl.location),
        related: services.map((s) => ({ location: s.decl.location, message: `${s.decl.name}: ${s.reason}` })),
        fixes: addPermissionFix(app, PERMISSION_FGS_MEDIA),
      });
    }
    return out;
  },
});
