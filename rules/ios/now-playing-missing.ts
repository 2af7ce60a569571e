import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { backgroundModes } from '../../src/facts/ios/effective-config.js';
import { appTargets, apiUses, categoryCalls, isPttTarget, mixableOptions, nowPlayingUses, usesCallKit } from '../../src/facts/ios/audio-session-queries.js';
import { categoryText, targetLabel } from '../../src/facts/ios/audio-session-wording.js';

// NP: background playback with no lock-screen / headphone controls.
export default defineRule({
  meta: {
    id: 'ios/now-playing-missing',
    platform: 'ios',
    severity: 'warning',
    title: 'Background playback without Now Playing controls',
    description: 'The app plays in the background with a non-mixable .playback session but never uses MPNowPlayingInfoCenter or MPRemoteCommandCenter.',
    why: 'Once the screen is locked, the user controls background audio from the Lock Screen, Control Center, headphone buttons, CarPlay and AirPods. Those controls talk to the Now Playing app through MPRemoteCommandCenter and show MPNowPlayingInfoCenter metadata; an app that registers no commands gets no controls, so the user can neither pause nor resume it without opening the app. (AVPlayerViewController publishes Now Playing information itself, so apps that use it are not reported.)',
    fix: 'Set MPNowPlayingInfoCenter.default().nowPlayingInfo (title, duration, elapsed time, playback rate) when playback starts, pauses or seeks, and add targets to MPRemoteCommandCenter.shared() play/pause/togglePlayPause commands.',
    docs: [
      { title: 'Becoming a now playable app', url: 'https://developer.apple.com/documentation/mediaplayer/becoming-a-now-playable-app' },
      { title: 'MPNowPlayingInfoCenter', url: 'https://developer.apple.com/documentation/mediaplayer/mpnowplayinginfocenter' },
      { title: 'MPRemoteCommandCenter', url: 'https://developer.apple.com/documentation/mediaplayer/mpremotecommandcenter' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of appTargets(project)) {
      if (isPttTarget(target) || usesCallKit(target)) continue;
      if (!backgroundModes(target).has('audio')) continue;
      const calls = categoryCalls(target, ['playback']);
      if (calls.length === 0) continue;
      // Only a session known to be non-mixable can be the Now Playing app (see ios/now-playing-mixable).
      if (calls.some((c) => !c.optionsResolved || mixableOptions(c).length > 0)) continue;
      if (nowPlayingUses(target).length > 0 || apiUses(target, ['AVPlayerViewController']).length > 0) continue;
      const call = calls[0]!;
      out.push({
        message: `${categoryText(call)} plays in the background here, but ${targetLabel(target)} never sets MPNowPlayingInfoCenter or MPRemoteCommandCenter, so lock-screen and headphone controls do nothing.`,
        location: call.location,
      });
    }
    return out;
  },
});
