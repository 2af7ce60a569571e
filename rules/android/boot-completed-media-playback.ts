import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { ComponentDecl, Guard, SourceCall } from '../../src/facts/android/android-model.js';
import { classOfComponent, declaresMediaPlayback, playbackServices, reachableCalls, reachableClassLiterals, targetSdkNote } from '../../src/facts/android/queries.js';
import { lastSegment } from '../../src/facts/android/source-facts.js';

const BOOT_ACTIONS = new Set(['android.intent.action.BOOT_COMPLETED', 'android.intent.action.LOCKED_BOOT_COMPLETED', 'android.intent.action.QUICKBOOT_POWERON', 'com.htc.intent.action.QUICKBOOT_POWERON']);

/** startForegroundService / startService on any context, or connecting a MediaController / MediaBrowser. */
function startsService(call: SourceCall): boolean {
  if (call.name === 'startForegroundService' || call.name === 'startService') return true;
  const recv = call.receiver ? lastSegment(call.receiver) : null;
  return call.name === 'Builder' && (recv === 'MediaController' || recv === 'MediaBrowser');
}

/** A branch that only runs below Android 15 (`SDK_INT < 35`, `SDK_INT < VANILLA_ICE_CREAM`, or the else of `>=`). */
function olderThan35(g: Guard): boolean {
  const c = g.condition.replace(/\s+/g, '');
  const m = /SDK_INT(<=?|>=?)(?:Build\.VERSION_CODES\.)?(\w+)/.exec(c);
  if (!m) return false;
  const level = /^\d+$/.test(m[2]!) ? Number(m[2]) : m[2] === 'VANILLA_ICE_CREAM' ? 35 : m[2] === 'UPSIDE_DOWN_CAKE' ? 34 : m[2] === 'TIRAMISU' ? 33 : m[2] === 'BAKLAVA' ? 36 : NaN;
  if (Number.isNaN(level)) return false;
  const op = m[1]!;
  if (g.branch === 'then') return (op === '<' && level <= 35) || (op === '<=' && level < 35);
  if (g.branch === 'else') return (op === '>=' && level <= 35) || (op === '>' && level < 35);
  return false;
}

export default defineRule({
  meta: {
    id: 'android/boot-completed-media-playback',
    platform: 'android',
    severity: 'error',
    title: 'BOOT_COMPLETED receiver starts media playback',
    description: 'A BOOT_COMPLETED receiver starts a mediaPlayback foreground service.',
    why:
      'Apps targeting Android 15 may not launch a mediaPlayback foreground service from a BOOT_COMPLETED receiver: the start throws ForegroundServiceStartNotAllowedException ("FGS type mediaPlayback not allowed to start from BOOT_COMPLETED!"), and Play pre-launch reports flag it. The receiver crashes the app at boot instead of restoring playback.',
    fix: 'Do not start playback from the boot receiver: post a notification or let the user resume (Media3 playback resumption via MediaButtonReceiver), or schedule non-playback work with WorkManager.',
    docs: [
      { title: 'Android 15: restrictions on BOOT_COMPLETED receivers launching foreground services', url: 'https://developer.android.com/about/versions/15/changes/foreground-service-types' },
      { title: 'Android 15 behavior changes', url: 'https://developer.android.com/about/versions/15/behavior-changes-15' },
    ],
    affects: 'targetSdk >= 35',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      if (app.targetSdk.value < 35) continue;
      const mediaServices: ComponentDecl[] = [...app.manifest.services.filter(declaresMediaPlayback)];
      for (const p of playbackServices(app)) if (!mediaServices.includes(p.decl)) mediaServices.push(p.decl);
      if (!mediaServices.length) continue;
      const serviceFor = (simple: string) => mediaServices.find((s) => lastSegment(s.name.replace(/\$/g, '.')) === simple);
      for (const receiver of app.manifest.receivers) {
        const bootAction = receiver.actions.find((a) => BOOT_ACTIONS.has(a.name));
        if (!bootAction) continue;
        const cls = classOfComponent(app, receiver);
        const onReceive = cls?.functions.find((f) => f.name === 'onReceive');
        if (!cls || !onReceive) continue;
        const literals = reachableClassLiterals(cls, onReceive);
        for (const call of reachableCalls(cls, onReceive)) {
          if (!startsService(call) || call.guards.some(olderThan35)) continue;
          const direct = call.args.flatMap((a) => a.classLiterals);
          const targets = (direct.length ? direct : literals).map(serviceFor).filter((s): s is ComponentDecl => !!s);
          const target = targets[0];
          if (!target) continue;
          out.push({
            message: `Boot receiver \`${receiver.name}\` (${lastSegment(bootAction.name)}) starts mediaPlayback service \`${target.name}\` with ${call.receiver ? lastSegment(call.receiver) + '.' : ''}${call.name}(); at targetSdk ${app.targetSdk.value} this throws ForegroundServiceStartNotAllowedException${targetSdkNote(app)}.`,
            location: call.location,
            related: [
              { location: bootAction.location, message: `${receiver.name} receives ${bootAction.name}` },
              { location: target.location, message: `<service> ${target.name}` },
            ],
          });
        }
      }
    }
    return out;
  },
});
