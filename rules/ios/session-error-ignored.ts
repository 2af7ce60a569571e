import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';
import type { ErrorHandling } from '../../src/facts/ios/source-facts.js';

const IGNORED: ErrorHandling[] = ['try?', 'error-nil', 'empty-catch'];

function how(e: ErrorHandling): string {
  switch (e) {
    case 'try?':
      return '`try?` discards';
    case 'error-nil':
      return 'Passing nil for the error discards';
    default:
      return 'The empty catch block discards';
  }
}

// CAT-005: failures of setCategory / setActive thrown away.
export default defineRule({
  meta: {
    id: 'ios/session-error-ignored',
    platform: 'ios',
    severity: 'warning',
    title: 'Audio session error ignored',
    description: 'setCategory or setActive(true) is called with try?, error:nil or an empty catch.',
    why: 'setCategory fails for an invalid option combination (-50) and setActive fails when another app or a call holds a higher-priority session (\'!pri\', \'!int\'). With the error thrown away the app goes on in the default .soloAmbient category or with an inactive session: audio is muted by the Silent switch, stops on lock, and nothing in the logs says why.',
    fix: 'Use do { try ... } catch { ... } and log the error (and, for setActive, do not start playback); or let the error propagate to a caller that reports it. Deactivation (setActive(false)) is not reported.',
    docs: [
      { title: 'setCategory(_:mode:options:)', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/setcategory(_:mode:options:)' },
      { title: 'setActive(_:options:)', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/setactive(_:options:)' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const app of project.ios) {
      for (const target of app.targets) {
        for (const call of target.code.setCategory) {
          if (!IGNORED.includes(call.errorHandling) || !once(call.location)) continue;
          out.push({
            message: `${how(call.errorHandling)} a setCategory failure here, so an invalid configuration silently leaves the session in its previous (by default .soloAmbient) category.`,
            location: call.location,
          });
        }
        for (const call of target.code.setActive) {
          if (call.active === false || !IGNORED.includes(call.errorHandling) || !once(call.location)) continue;
          out.push({
            message: `${how(call.errorHandling)} a setActive failure here, so playback goes on with an inactive session that stops in the background without a trace.`,
            location: call.location,
          });
        }
      }
    }
    return out;
  },
});
