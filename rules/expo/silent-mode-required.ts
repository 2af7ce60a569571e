import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { boolOf, getProp, getPropRecord } from '../../src/facts/expo/config-value.js';
import { expoApps, viaRelated } from '../../src/facts/expo/queries.js';

const KEYS = {
  'expo-audio': { background: 'shouldPlayInBackground', silent: 'playsInSilentMode' },
  'expo-av': { background: 'staysActiveInBackground', silent: 'playsInSilentModeIOS' },
} as const;

// XP-EXPO-001 / XP-EXPO-003.
export default defineRule({
  meta: {
    id: 'expo/silent-mode-required',
    platform: 'expo',
    severity: 'error',
    title: 'Background playback without playsInSilentMode',
    description: 'expo-audio setAudioModeAsync with shouldPlayInBackground: true, or expo-av Audio.setAudioModeAsync with staysActiveInBackground: true, without playsInSilentMode(IOS): true.',
    why: 'Both libraries only use the .playback category when playsInSilentMode is true; otherwise they pick .ambient / .soloAmbient, which the Silent switch mutes and screen lock stops. They check this combination and reject the call on iOS ("Impossible audio mode: playsInSilentMode == false and staysActiveInBackground == true cannot be set on iOS"), so the session keeps its previous, non-background category and the rejected promise is often never awaited.',
    fix: 'Pass playsInSilentMode: true (expo-audio) or playsInSilentModeIOS: true (expo-av) in the same call.',
    docs: [
      { title: 'Expo Audio: AudioMode', url: 'https://docs.expo.dev/versions/v56.0.0/sdk/audio/#audiomode' },
      { title: 'expo-av AudioMode (playsInSilentModeIOS, staysActiveInBackground)', url: 'https://app.unpkg.com/expo-av@15.0.2/files/src/Audio.types.ts' },
      { title: 'AVAudioSession.Category.ambient', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/ambient' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of expoApps(project)) {
      const avCalls = app.js.calls.filter((c) => c.kind === 'audio-mode' && c.library === 'expo-av');
      for (const call of app.js.calls) {
        if (call.kind !== 'audio-mode' || (call.library !== 'expo-audio' && call.library !== 'expo-av')) continue;
        const keys = KEYS[call.library];
        if (boolOf(getProp(call.options, keys.background)) !== true) continue;
        const silent = boolOf(getProp(call.options, keys.silent));
        if (silent === true || typeof silent === 'object') continue; // true, or a value audiobg cannot read
        // expo-av keeps keys a call omits from the previous call: another call may have set it.
        if (silent === undefined && call.library === 'expo-av' && avCalls.some((c) => c !== call && getProp(c.options, keys.silent) !== undefined)) continue;
        const silentRec = getPropRecord(call.options, keys.silent);
        const bgRec = getPropRecord(call.options, keys.background)!;
        out.push({
          message: `\`${keys.background}: true\` without \`${keys.silent}: true\`: ${call.library} rejects this audio mode on iOS ("playsInSilentMode == false and staysActiveInBackground == true"), so ${call.api} fails and the session stays in a category that the Silent switch mutes and screen lock stops.`,
          location: silentRec ? silentRec.keyLoc : bgRec.keyLoc,
          fix: silentRec ? `Set \`${keys.silent}: true\` here.` : `Add \`${keys.silent}: true\` to this ${call.api} call.`,
          related: [...(silentRec ? [{ location: bgRec.keyLoc, message: `${keys.background}: true` }] : []), ...viaRelated(call)],
        });
      }
    }
    return out;
  },
});
