import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { AndroidApp, SourceArg } from '../../src/facts/android/android-model.js';
import { targetSdkNote } from '../../src/facts/android/queries.js';

const NOISY = 'android.media.AUDIO_BECOMING_NOISY';

export default defineRule({
  meta: {
    id: 'android/becoming-noisy-in-manifest',
    platform: 'android',
    severity: 'warning',
    title: 'AUDIO_BECOMING_NOISY receiver declared in the manifest',
    description: 'A manifest <receiver> listens for android.media.AUDIO_BECOMING_NOISY.',
    why:
      'From targetSdk 26, receivers declared in the manifest no longer get implicit broadcasts unless the action is on the exemption list, and ACTION_AUDIO_BECOMING_NOISY is not. The receiver never fires, so unplugging headphones or disconnecting Bluetooth keeps the audio playing out loud through the speaker.',
    fix: 'Register the receiver at runtime with registerReceiver(receiver, IntentFilter(AudioManager.ACTION_AUDIO_BECOMING_NOISY)) while playing, or let ExoPlayer do it with setHandleAudioBecomingNoisy(true).',
    docs: [
      { title: 'Handling changes in audio output', url: 'https://developer.android.com/guide/topics/media-apps/volume-and-earphones' },
      { title: 'Implicit broadcast exceptions', url: 'https://developer.android.com/develop/background-work/background-tasks/broadcasts/broadcast-exceptions' },
    ],
    affects: 'targetSdk >= 26',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      if (app.targetSdk.value < 26) continue;
      // The dead manifest entry only costs the user something when nothing else pauses on noisy.
      if (handlesNoisyAtRunTime(app)) continue;
      for (const receiver of app.manifest.receivers) {
        const action = receiver.actions.find((a) => a.name === NOISY);
        if (!action) continue;
        out.push({
          message: `Receiver \`${receiver.name}\` is declared in the manifest for ${NOISY}; at targetSdk ${app.targetSdk.value} manifest receivers do not get this broadcast, so playback will not pause when headphones are unplugged${targetSdkNote(app)}.`,
          location: action.location,
          related: [{ location: receiver.location, message: `<receiver> ${receiver.name}` }],
        });
      }
    }
    return out;
  },
});

/**
 * Does the app's code pause on AUDIO_BECOMING_NOISY some other way: ExoPlayer's
 * setHandleAudioBecomingNoisy(true), or an IntentFilter for the action (built with the action, or
 * given it with addAction) for a receiver registered at run time?
 */
function handlesNoisyAtRunTime(app: AndroidApp): boolean {
  for (const cls of app.sources.classes) {
    for (const call of cls.calls) {
      if (call.name === 'setHandleAudioBecomingNoisy') {
        const v = call.args[0]?.value;
        if (v?.kind === 'bool' && v.value) return true;
      } else if ((call.name === 'IntentFilter' && call.constructor) || call.name === 'addAction') {
        if (call.args.some(isNoisyAction)) return true;
      }
    }
  }
  return false;
}

function isNoisyAction(arg: SourceArg): boolean {
  const v = arg.value;
  if (v.kind === 'string') return v.value === NOISY;
  if (v.kind !== 'name' || v.name !== 'ACTION_AUDIO_BECOMING_NOISY') return false;
  return v.qualifier === null || v.qualifier === 'AudioManager' || v.qualifier.endsWith('.AudioManager');
}
