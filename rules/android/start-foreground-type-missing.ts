import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { enclosingService, fgsConstantFor, foldFgsType, rolesOfClass, startForegroundForm, targetSdkNote } from '../../src/facts/android/queries.js';

export default defineRule({
  meta: {
    id: 'android/start-foreground-type-missing',
    platform: 'android',
    severity: 'error',
    title: 'startForeground() type does not match the manifest',
    description: 'startForeground() passes no type, FOREGROUND_SERVICE_TYPE_NONE, or a type the service does not declare in android:foregroundServiceType.',
    why:
      'On Android 10+ the type passed to startForeground(id, notification, type) must be a subset of the <service> element\'s foregroundServiceType, or the call throws IllegalArgumentException ("foregroundServiceType 0x00000002 is not a subset of foregroundServiceType attribute"). From targetSdk 34 the two-argument form uses the manifest type and throws MissingForegroundServiceTypeException when there is none, and FOREGROUND_SERVICE_TYPE_NONE throws InvalidForegroundServiceTypeException. The service never becomes foreground, so background playback is killed.',
    fix: 'Pass ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK for playback and declare android:foregroundServiceType="mediaPlayback" on the same <service>.',
    docs: [
      { title: 'Foreground service types', url: 'https://developer.android.com/develop/background-work/services/fgs/service-types#media' },
      { title: 'Foreground service types are required (Android 14)', url: 'https://developer.android.com/about/versions/14/changes/fgs-types-required' },
      { title: 'InvalidForegroundServiceTypeException', url: 'https://developer.android.com/reference/android/app/InvalidForegroundServiceTypeException' },
    ],
    affects: 'Android 10+ devices (type not in manifest); targetSdk >= 34 (no type / NONE)',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const cls of app.sources.classes) {
        for (const call of cls.calls) {
          const form = startForegroundForm(call);
          if (!form) continue;
          const service = enclosingService(app, call);
          if (!service) continue;
          // A call in a base class runs in every declared service built on it.
          const roles = rolesOfClass(app, service);
          const callText = form.compat ? 'ServiceCompat.startForeground()' : 'startForeground()';
          const fold = form.typeArg ? foldFgsType(form.typeArg.value) : { kind: 'manifest' as const };
          if (fold.kind === 'unknown') continue;
          if (fold.kind !== 'manifest' && fold.types.size === 0) {
            if (app.targetSdk.value < 34) continue;
            out.push({
              message: `${callText} in \`${service.qualifiedName}\` passes \`${form.typeArg!.text}\` (no type); at targetSdk ${app.targetSdk.value} this throws InvalidForegroundServiceTypeException${targetSdkNote(app)}.`,
              location: call.location,
              fix:
                !roles.length || roles.some((r) => r.playback)
                  ? 'Pass ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK (declared in the manifest) instead of NONE / 0.'
                  : 'Pass the FOREGROUND_SERVICE_TYPE_* constant that matches what the service does (declared in the manifest) instead of NONE / 0.',
              related: roles.length ? roles.map((r) => ({ location: r.decl.location, message: `<service> ${r.decl.name}` })) : undefined,
            });
            continue;
          }
          // One finding per call, naming every declared service it fails for.
          const noType = roles.filter((r) => !(r.decl.foregroundServiceTypes ?? []).some((t) => t !== 'none'));
          const inherited = (r: (typeof roles)[number]) => (r.cls && r.cls !== service ? ` (inherited by \`${r.decl.name}\`)` : '');
          if (fold.kind === 'manifest') {
            if (!noType.length || app.targetSdk.value < 34) continue;
            const playback = noType.some((r) => r.playback);
            out.push({
              message: `${callText} in \`${service.qualifiedName}\`${noType.length === 1 ? inherited(noType[0]!) : ''} relies on the manifest type, but ${noType.length === 1 ? 'its <service> declares' : `<service> ${noType.map((r) => `\`${r.decl.name}\``).join(', ')} declare`} no android:foregroundServiceType; at targetSdk ${app.targetSdk.value} this throws MissingForegroundServiceTypeException${targetSdkNote(app)}.`,
              location: call.location,
              fix: playback
                ? 'Declare android:foregroundServiceType="mediaPlayback" on the <service> and pass ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK as the third argument.'
                : 'Declare the android:foregroundServiceType that matches what this service does (dataSync, location...) on the <service>, and pass the matching ServiceInfo.FOREGROUND_SERVICE_TYPE_* constant as the third argument.',
              related: noType.map((r) => ({ location: r.decl.location, message: r.playback ? `<service> ${r.decl.name}: ${r.reason}` : `<service> ${r.decl.name}` })),
            });
            continue;
          }
          const failing = roles
            .map((r) => {
              const declared = (r.decl.foregroundServiceTypes ?? []).filter((t) => t !== 'none');
              return { r, declared, missing: [...fold.types].filter((t) => !declared.includes(t)) };
            })
            .filter((x) => x.missing.length);
          if (!failing.length) continue;
          const first = failing[0]!;
          out.push({
            message: `${callText} in \`${service.qualifiedName}\`${failing.length === 1 ? inherited(first.r) : ''} passes ${first.missing.map(fgsConstantFor).join(' | ')}, but ${failing.length === 1 ? 'its <service>' : `<service> ${failing.map((x) => `\`${x.r.decl.name}\``).join(', ')}`} declares ${first.declared.length ? `only foregroundServiceType="${first.declared.join('|')}"` : 'no android:foregroundServiceType'}; on Android 10+ the call throws IllegalArgumentException.`,
            location: call.location,
            fix: `Add ${first.missing.join('|')} to android:foregroundServiceType of <service> ${failing.map((x) => x.r.decl.name).join(', ')}, or stop passing that type.`,
            related: failing.map((x) => ({ location: x.r.decl.foregroundServiceTypeLocation ?? x.r.decl.location, message: `<service> ${x.r.decl.name}` })),
          });
        }
      }
    }
    return out;
  },
});
