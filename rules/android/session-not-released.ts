import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { SourceCall } from '../../src/facts/android/android-model.js';
import { effectiveReceiver, isPlayerConstruction, isService, isSessionConstruction, reachableCalls, receiverName } from '../../src/facts/android/queries.js';

/** Does a release() call act on one of `names` (or, failing names, on something called like `hint`)? */
function releases(call: SourceCall, names: Set<string>, hint: RegExp): boolean {
  if (call.name !== 'release') return false;
  const recv = receiverName(effectiveReceiver(call));
  if (!recv) return false;
  // The object released is the last segment: `session.player.release()` releases the player.
  const last = recv.split('.').pop()!.replace(/\(\)$/, '').replace(/^get(?=[A-Z])/, '');
  if (names.has(last)) return true;
  return hint.test(last);
}

export default defineRule({
  meta: {
    id: 'android/session-not-released',
    platform: 'android',
    severity: 'warning',
    title: 'Session or player not released in onDestroy',
    description: 'A service builds a MediaSession or player but its onDestroy() does not release them.',
    why:
      'A MediaSession that is not released stays registered with the system after its service is destroyed, so media buttons, the lock screen and Bluetooth controllers keep targeting a dead session, and the next service instance competes with it. A player that is not released keeps its codecs, audio track and wake lock. Media3 asks services to release the player and the session in onDestroy().',
    fix: 'In onDestroy() release both, then call super: mediaSession?.run { player.release(); release(); mediaSession = null }; super.onDestroy().',
    docs: [
      { title: 'Background playback with a MediaSessionService (release resources)', url: 'https://developer.android.com/media/media3/session/background-playback' },
      { title: 'MediaSessionService reference', url: 'https://developer.android.com/reference/androidx/media3/session/MediaSessionService' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      for (const cls of app.sources.classes) {
        if (!isService(app, cls)) continue;
        const sessions = cls.calls.filter(isSessionConstruction);
        const players = cls.calls.filter(isPlayerConstruction);
        if (!sessions.length && !players.length) continue;
        const sessionNames = new Set(sessions.map((c) => c.assignedTo).filter((n): n is string => !!n));
        const playerNames = new Set(players.map((c) => c.assignedTo).filter((n): n is string => !!n));
        const onDestroy = cls.functions.find((f) => f.name === 'onDestroy');
        const what = [sessions.length ? 'MediaSession' : null, players.length ? 'player' : null].filter(Boolean).join(' and ');
        if (!onDestroy) {
          out.push({
            message: `Service \`${cls.qualifiedName}\` builds a ${what} but has no onDestroy() that releases ${sessions.length && players.length ? 'them' : 'it'}.`,
            location: cls.location,
          });
          continue;
        }
        const calls = reachableCalls(cls, onDestroy);
        const missing: string[] = [];
        if (sessions.length && !calls.some((c) => releases(c, sessionNames, /session/i))) missing.push(`the session${sessionNames.size ? ` \`${[...sessionNames][0]}\`` : ''}`);
        if (players.length && !calls.some((c) => releases(c, playerNames, /player/i))) missing.push(`the player${playerNames.size ? ` \`${[...playerNames][0]}\`` : ''}`);
        if (!missing.length) continue;
        out.push({
          message: `\`${cls.name}.onDestroy()\` does not release ${missing.join(' or ')}.`,
          location: onDestroy.location,
        });
      }
    }
    return out;
  },
});
