import { serviceTypeFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { declaresMediaPlayback, playbackServices, targetSdkNote } from '../../src/facts/android/queries.js';

export default defineRule({
  meta: {
    id: 'android/service-type-missing',
    platform: 'android',
    severity: 'error',
    fixable: true,
    title: 'Playback service without foregroundServiceType="mediaPlayback"',
    description: 'A media playback service is declared without the mediaPlayback foreground service type.',
    why:
      'Android 10 checks that the type a service is started with is a subset of the foregroundServiceType in its <service> element, and Media3 always starts its session service with FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK, so a Media3 service without the attribute throws IllegalArgumentException on every Android 10+ device whatever the targetSdk. From targetSdk 34 every foreground service needs a type, so any playback service without it throws MissingForegroundServiceTypeException when it goes foreground. Either way the notification never appears and the system stops playback as soon as the app leaves the screen.',
    fix: 'Add android:foregroundServiceType="mediaPlayback" to the playback <service> element (and declare FOREGROUND_SERVICE and FOREGROUND_SERVICE_MEDIA_PLAYBACK).',
    docs: [
      { title: 'Foreground service types: media playback', url: 'https://developer.android.com/develop/background-work/services/fgs/service-types#media' },
      { title: 'Foreground service types are required (Android 14)', url: 'https://developer.android.com/about/versions/14/changes/fgs-types-required' },
      { title: 'Background playback with a MediaSessionService', url: 'https://developer.android.com/media/media3/session/background-playback' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const p of playbackServices(app)) {
        if (declaresMediaPlayback(p.decl)) continue;
        // Without an explicit media type in the start call, the attribute is only enforced from targetSdk 34.
        if (!p.typedStart && app.targetSdk.value < 34) continue;
        const current = p.decl.foregroundServiceTypes?.length ? `foregroundServiceType="${p.decl.foregroundServiceTypes.join('|')}" without mediaPlayback` : 'no android:foregroundServiceType';
        const consequence = p.typedStart
          ? 'it is started with FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK, so going foreground throws on Android 10+'
          : `at targetSdk ${app.targetSdk.value} startForeground() throws MissingForegroundServiceTypeException${targetSdkNote(app)}`;
        out.push({
          message: `Service \`${p.decl.name}\` is ${p.reason} but its <service> has ${current}; ${consequence}.`,
          location: p.decl.location,
          fix: p.decl.foregroundServiceTypes?.length
            ? `Add mediaPlayback to the attribute: android:foregroundServiceType="${[...p.decl.foregroundServiceTypes, 'mediaPlayback'].join('|')}".`
            : 'Add android:foregroundServiceType="mediaPlayback" to this <service> element.',
          related: [
            ...(p.cls ? [{ location: p.cls.location, message: `class ${p.cls.name}` }] : []),
            ...p.evidence.filter((e) => e.location && e.kind !== 'media3').map((e) => ({ location: e.location!, message: `${p.cls?.name ?? p.decl.name} ${e.kind === 'browser' ? 'is ' : ''}${e.what}` })),
          ],
          fixes: serviceTypeFix(p.decl),
        });
      }
    }
    return out;
  },
});
