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
          for (const role of roles) {
            const decl = role.decl;
            const declared = (decl.foregroundServiceTypes ?? []).filter((t) => t !== 'none');
            const via = role.cls && role.cls !== service ? ` (inherited by \`${decl.name}\`)` : '';
            if (fold.kind === 'manifest') {
              if (declared.length || app.targetSdk.value < 34) continue;
              out.push({
                message: `${callText} in \`${service.qualifiedName}\`${via} relies on the manifest type, but its <service> declares no android:foregroundServiceType; at targetSdk ${app.targetSdk.value} this throws MissingForegroundServiceTypeException${targetSdkNote(app)}.`,
                location: call.location,
                fix: role.playback
                  ? 'Declare android:foregroundServiceType="mediaPlayback" on the <service> and pass ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK as the third argument.'
                  : 'Declare the android:foregroundServiceType that matches what this service does (dataSync, location...) on the <service>, and pass the matching ServiceInfo.FOREGROUND_SERVICE_TYPE_* constant as the third argument.',
                related: [{ location: decl.location, message: role.playback ? `<service> ${decl.name}: ${role.reason}` : `<service> ${decl.name}` }],
              });
              continue;
            }
            const missing = [...fold.types].filter((t) => !declared.includes(t));
            if (!missing.length) continue;
            out.push({
              message: `${callText} in \`${service.qualifiedName}\`${via} passes ${missing.map(fgsConstantFor).join(' | ')}, but its <service> declares ${declared.length ? `only foregroundServiceType="${declared.join('|')}"` : 'no android:foregroundServiceType'}; on Android 10+ the call throws IllegalArgumentException.`,
              location: call.location,
              fix: `Add ${missing.join('|')} to android:foregroundServiceType of <service> ${decl.name}, or stop passing that type.`,
              related: [{ location: decl.foregroundServiceTypeLocation ?? decl.location, message: `<service> ${decl.name}` }],
            });
          }
        }
      }
    }
    return out;
  },
});
