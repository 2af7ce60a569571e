import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { SourceCall } from '../../src/facts/android/android-model.js';
import { helperRemovals, pausePathTo, repostsAfter } from '../../src/facts/android/pause-paths.js';
import { enclosingService, isPlaybackServiceClass, isThisArg, playbackServices, rolesOfClass } from '../../src/facts/android/queries.js';
import { lastSegment } from '../../src/facts/android/source-facts.js';

/** The flag argument of a removal, when it is `true`, `1` or `STOP_FOREGROUND_REMOVE`. */
function removeFlag(arg: SourceCall['args'][number] | undefined): boolean {
  if (!arg) return false;
  const v = arg.value;
  return (v.kind === 'bool' && v.value) || (v.kind === 'int' && v.value === 1) || (v.kind === 'name' && v.name === 'STOP_FOREGROUND_REMOVE');
}

/** `stopForeground(REMOVE)` / `ServiceCompat.stopForeground(this, REMOVE)` in the service's own code. */
function removesNotification(call: SourceCall): boolean {
  if (call.name !== 'stopForeground') return false;
  if ((call.receiver === null || call.receiver === 'this') && call.args.length === 1) return removeFlag(call.args[0]);
  if (call.receiver && lastSegment(call.receiver) === 'ServiceCompat' && call.args.length === 2 && isThisArg(call.args[0]!.text)) return removeFlag(call.args[1]);
  return false;
}

/** The same removal made by a helper on the service handed to it: `service.stopForeground(true)`, `ServiceCompat.stopForeground(service, REMOVE)`. */
function removesServiceNotification(call: SourceCall): boolean {
  if (call.name !== 'stopForeground' || call.receiver === null || call.receiver === 'this' || call.receiver === 'super') return false;
  if (lastSegment(call.receiver) === 'ServiceCompat') return call.args.length === 2 && !isThisArg(call.args[0]!.text) && removeFlag(call.args[1]);
  return call.args.length === 1 && removeFlag(call.args[0]);
}

export default defineRule({
  meta: {
    id: 'android/stop-foreground-removes-notification',
    platform: 'android',
    severity: 'warning',
    title: 'Notification removed when playback pauses',
    description: 'stopForeground(true) / STOP_FOREGROUND_REMOVE on a pause path (also the not-ongoing branch of PlayerNotificationManager onNotificationPosted), without stopping the service.',
    why:
      'STOP_FOREGROUND_REMOVE (and the deprecated stopForeground(true)) takes the service out of the foreground and cancels its notification at once, but does not stop it. A paused, invisible background service is soon stopped by the system, taking the player state with it, and the user has no notification to resume from; resuming later needs startForeground() again, which Android 12+ refuses from the background (ForegroundServiceStartNotAllowedException).',
    fix: 'Stay in the foreground while paused so the notification (and the resume button) stays and the service survives (Media3 MediaSessionService does this for you); call stopForeground(STOP_FOREGROUND_REMOVE) only together with stopSelf() when playback really ends. Removing the notification and posting it again at once on the same path (NotificationManager.notify() or startForeground(), directly or through a helper: the usual substitute below API 24, where STOP_FOREGROUND_DETACH does not exist) leaves the user a notification and is not reported. STOP_FOREGROUND_DETACH keeps the notification, but resuming then needs startForeground() again, which Android 12+ may refuse from the background.',
    docs: [
      { title: 'Service.stopForeground(int) (API 33 changes)', url: 'https://developer.android.com/sdk/api_diff/33/changes/android.app.Service' },
      { title: 'Restrictions on starting a foreground service from the background', url: 'https://developer.android.com/develop/background-work/services/fgs/restrictions-bg-start' },
      { title: 'Foreground services', url: 'https://developer.android.com/guide/components/foreground-services' },
      { title: 'PlayerNotificationManager.NotificationListener (ongoing: whether the service should be in the foreground)', url: 'https://developer.android.com/reference/androidx/media3/ui/PlayerNotificationManager.NotificationListener' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const cls of app.sources.classes) {
        for (const call of cls.calls) {
          if (!removesNotification(call)) continue;
          const service = enclosingService(app, call);
          // Only playback services: a download or location service may well drop its notification when paused.
          if (!service || !isPlaybackServiceClass(app, service)) continue;
          // A base class helper can be reached from a pause in the declared subclass: search from each.
          const roots = rolesOfClass(app, service).filter((r) => r.playback && r.cls).map((r) => r.cls!);
          let path = null;
          let owner = service;
          for (const root of roots.length ? roots : [service]) {
            path = pausePathTo(app, root, call);
            owner = root;
            if (path) break;
          }
          if (!path) continue;
          // Removed and posted again at once (the pre-API 24 stand-in for STOP_FOREGROUND_DETACH): the user keeps a notification.
          if (repostsAfter(app, owner, call)) continue;
          const where = call.functionChain.length ? ` in \`${call.functionChain[0]}\`` : '';
          const via = path.via.length ? ` (reached through ${path.via.map((f) => `\`${f}()\``).join(' → ')})` : '';
          out.push({
            message: `\`${call.receiver ? call.receiver + '.' : ''}stopForeground(${call.args.map((a) => a.text).join(', ')})\`${where} runs ${path.why}${via} and removes the playback notification of \`${owner.qualifiedName}\` while the service keeps running paused in the background.`,
            location: call.location,
            related: path.pause ? [path.pause] : undefined,
          });
        }
      }
      // Removals made by a helper the service holds (`stateManager.stopForeground(true)` → the helper's
      // `ServiceCompat.stopForeground(service, STOP_FOREGROUND_REMOVE)`), reported at the service's call.
      const done = new Set<SourceCall>();
      for (const role of playbackServices(app)) {
        if (!role.cls) continue;
        for (const h of helperRemovals(app, role.cls, removesServiceNotification)) {
          if (done.has(h.call)) continue;
          const path = pausePathTo(app, role.cls, h.call);
          if (!path || repostsAfter(app, role.cls, h.call)) continue;
          done.add(h.call);
          const where = h.call.functionChain.length ? ` in \`${h.call.functionChain[0]}\`` : '';
          const via = path.via.length ? ` (reached through ${path.via.map((f) => `\`${f}()\``).join(' → ')})` : '';
          out.push({
            message: `\`${h.call.receiver}.${h.call.name}(${h.call.args.map((a) => a.text).join(', ')})\`${where} runs ${path.why}${via}; \`${h.helper.name}.${h.fn.name}\` then removes the playback notification of \`${role.cls.qualifiedName}\` (\`${h.removal.receiver}.stopForeground(${h.removal.args.map((a) => a.text).join(', ')})\`) while the service keeps running paused in the background.`,
            location: h.call.location,
            related: [...(path.pause ? [path.pause] : []), { location: h.removal.location, message: `\`${h.helper.name}.${h.fn.name}\` removes the notification here` }],
          });
        }
      }
    }
    return out;
  },
});
