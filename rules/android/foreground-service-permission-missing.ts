import { addPermissionFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { appManifestLocation, foregroundServices, hasPermission, PERMISSION_FGS, targetSdkNote } from '../../src/facts/android/queries.js';

export default defineRule({
  meta: {
    id: 'android/foreground-service-permission-missing',
    platform: 'android',
    severity: 'error',
    fixable: true,
    title: 'FOREGROUND_SERVICE permission missing',
    description: 'The app runs a foreground service but its merged manifest does not declare android.permission.FOREGROUND_SERVICE.',
    why:
      'From targetSdk 28, Service.startForeground() throws SecurityException ("Permission Denial: startForeground ... requires android.permission.FOREGROUND_SERVICE") unless the app declares the permission. The playback service never becomes a foreground service, so the system stops it (and the audio) shortly after the app goes to the background.',
    fix: 'Add <uses-permission android:name="android.permission.FOREGROUND_SERVICE" /> to the app manifest (a library module manifest works too, since it is merged).',
    docs: [
      { title: 'Declare foreground services and request permissions', url: 'https://developer.android.com/develop/background-work/services/fgs/declare' },
      { title: 'Foreground service changes by API level', url: 'https://developer.android.com/develop/background-work/services/fgs/changes' },
    ],
    affects: 'targetSdk >= 28',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      if (app.targetSdk.value < 28) continue;
      const services = foregroundServices(app);
      if (!services.length || hasPermission(app, PERMISSION_FGS)) continue;
      const first = services[0]!;
      const names = services.map((s) => `\`${s.decl.name}\``).join(', ');
      out.push({
        message: `App \`${app.name}\` (targetSdk ${app.targetSdk.value}) runs ${names} in the foreground, but neither its manifest nor its library modules declare android.permission.FOREGROUND_SERVICE${targetSdkNote(app)}.`,
        location: appManifestLocation(app, first.decl.location),
        related: services.map((s) => ({ location: s.decl.location, message: `${s.decl.name}: ${s.reason}` })),
        fixes: addPermissionFix(app, PERMISSION_FGS),
      });
    }
    return out;
  },
});
