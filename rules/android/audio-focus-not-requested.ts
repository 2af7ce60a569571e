import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { SourceCall } from '../../src/facts/android/android-model.js';
import { enclosingService, isPlayerConstruction } from '../../src/facts/android/queries.js';
import { lastSegment } from '../../src/facts/android/source-facts.js';

/** Whether a call shows the app handles audio focus itself or lets ExoPlayer do it. */
function handlesFocus(call: SourceCall): boolean {
  if (call.name === 'requestAudioFocus') return true;
  const recv = call.receiver ? lastSegment(call.receiver) : null;
  if (call.name === 'Builder' && (recv === 'AudioFocusRequest' || recv === 'AudioFocusRequestCompat')) return true;
  if (call.name === 'setAudioAttributes') {
    const flag = call.args.find((a) => a.label === 'handleAudioFocus') ?? (call.args.length >= 2 && !call.args[1]!.label ? call.args[1] : undefined);
    if (!flag) return false;
    // A literal false opts out; anything else (true, a variable, a setting) counts as handled.
    return !(flag.value.kind === 'bool' && !flag.value.value);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'android/audio-focus-not-requested',
    platform: 'android',
    severity: 'warning',
    title: 'Playback without audio focus',
    description: 'A service builds an ExoPlayer or MediaPlayer, but the app never requests audio focus and does not let ExoPlayer handle it.',
    why:
      'ExoPlayer handles audio focus only when built with setAudioAttributes(attributes, /* handleAudioFocus= */ true); the default is false, and MediaPlayer never requests focus. Without focus the app keeps playing over calls, navigation prompts and other media apps, ignores their pauses, and from targetSdk 35 a background app that is not already holding focus is denied it.',
    fix: 'For ExoPlayer call setAudioAttributes(AudioAttributes.Builder().setUsage(C.USAGE_MEDIA).build(), true) on the builder; for MediaPlayer request focus with AudioFocusRequest and AudioManager.requestAudioFocus() before starting playback and react to focus changes.',
    docs: [
      { title: 'Manage audio focus', url: 'https://developer.android.com/media/optimize/audio-focus' },
      { title: 'AudioFocusRequest', url: 'https://developer.android.com/reference/android/media/AudioFocusRequest' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.android) {
      const all = app.sources.classes.flatMap((c) => c.calls);
      if (all.some(handlesFocus)) continue;
      for (const call of all) {
        if (!isPlayerConstruction(call)) continue;
        const service = enclosingService(app, call);
        if (!service) continue;
        const exo = call.name !== 'MediaPlayer' && lastSegment(call.receiver ?? '') !== 'MediaPlayer';
        out.push({
          message: exo
            ? `ExoPlayer built in \`${service.qualifiedName}\` does not handle audio focus (no setAudioAttributes(..., true)) and the app never calls requestAudioFocus().`
            : `MediaPlayer created in \`${service.qualifiedName}\` plays without audio focus: the app never calls requestAudioFocus().`,
          location: call.location,
          fix: exo
            ? 'Call .setAudioAttributes(AudioAttributes.Builder().setUsage(C.USAGE_MEDIA).setContentType(C.AUDIO_CONTENT_TYPE_MUSIC).build(), true) on this builder.'
            : 'Request focus with AudioManager.requestAudioFocus(AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN)...build()) before start(), and pause on focus loss.',
        });
      }
    }
    return out;
  },
});
