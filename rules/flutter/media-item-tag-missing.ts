import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, Location } from '../../src/findings/finding.js';
import { flutterApps, packageLabel, packageUse } from '../../src/facts/flutter/queries.js';
import { JUST_AUDIO_SHORTCUTS, JUST_AUDIO_SOURCE_TYPES } from '../../src/facts/flutter/packages.js';

// Sources whose own tag is not read because a wrapper's tag is (ClippingAudioSource's child).
const WRAPPERS = ['ClippingAudioSource', 'LoopingAudioSource'];

export default defineRule({
  meta: {
    id: 'flutter/media-item-tag-missing',
    platform: 'flutter',
    severity: 'error',
    title: 'just_audio source without a MediaItem tag under just_audio_background',
    description:
      'JustAudioBackground.init is called, but an AudioSource (AudioSource.uri / .file / .asset, ProgressiveAudioSource, HlsAudioSource, ...) is built without a `tag:`, with a string tag, or the player is fed through setUrl / setFilePath / setAsset without `tag:`.',
    why: "just_audio_background builds the notification, lock-screen and queue entries from each source's tag, which it casts to MediaItem. A source without one throws \"type 'Null' is not a subtype of type 'MediaItem' in type cast\" when it is loaded or added to the queue, so playback never starts (or the queue update fails) and no media notification appears.",
    fix: "Give every source a MediaItem: AudioSource.uri(Uri.parse(url), tag: MediaItem(id: ..., title: ...)). With setUrl / setFilePath / setAsset pass tag: MediaItem(...) (just_audio 0.9.38 and later), or use setAudioSource with a tagged source.",
    docs: [
      { title: 'just_audio_background: usage (tag: MediaItem)', url: 'https://pub.dev/packages/just_audio_background' },
      { title: "just_audio #990: type 'Null' is not a subtype of type 'MediaItem'", url: 'https://github.com/ryanheise/just_audio/issues/990' },
      { title: 'just_audio #1219: tag on setUrl / setFilePath / setAsset', url: 'https://github.com/ryanheise/just_audio/pull/1219' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of flutterApps(project)) {
      const jab = packageUse(app, 'just_audio_background');
      // The tag is read only by just_audio_background's player, which JustAudioBackground.init installs.
      if (!jab || !app.dart.calls.some((c) => c.callee === 'JustAudioBackground.init')) continue;
      const key = (l: Location) => `${l.file}:${l.line}:${l.column}`;
      // Children of a tagged wrapper carry no tag of their own.
      const exempt = new Set<string>();
      for (const { value } of app.dart.objects) {
        if (!WRAPPERS.includes(value.type) || (value.type === 'ClippingAudioSource' && !value.args.named.has('tag'))) continue;
        const child = value.args.named.get('child')?.value;
        if (child) exempt.add(key(child.loc));
      }
      for (const { value, imports } of app.dart.objects) {
        if (!imports.includes('just_audio') || !JUST_AUDIO_SOURCE_TYPES.includes(value.type) || value.type === 'LoopingAudioSource') continue;
        if (value.type === 'AudioSource' && !['uri', 'file', 'asset'].includes(value.ctor ?? '')) continue;
        if (exempt.has(key(value.loc))) continue;
        const tag = value.args.named.get('tag');
        const name = value.ctor ? `${value.type}.${value.ctor}` : value.type;
        if (!tag) {
          out.push({
            message: `${name}(...) has no tag, but ${packageLabel(jab)} reads every source's tag as its MediaItem; loading it throws "type 'Null' is not a subtype of type 'MediaItem'" and nothing plays.`,
            location: value.loc,
          });
        } else if (tag.value.kind === 'string') {
          out.push({
            message: `${name}(...) is tagged with a string, but ${packageLabel(jab)} casts the tag to MediaItem; loading it throws "type 'String' is not a subtype of type 'MediaItem'".`,
            location: tag.value.loc,
          });
        }
      }
      for (const c of app.dart.calls) {
        const last = c.members[c.members.length - 1];
        if (!last || !JUST_AUDIO_SHORTCUTS.includes(last) || c.args.named.has('tag')) continue;
        const imports = app.dart.imports.get(c.location.file) ?? [];
        // audioplayers 0.x also had setUrl: only files that use just_audio and not audioplayers.
        if (!imports.includes('just_audio') || imports.includes('audioplayers')) continue;
        out.push({
          message: `${c.callee}(...) gives no tag, but ${packageLabel(jab)} needs a MediaItem for every source; it throws "type 'Null' is not a subtype of type 'MediaItem'" and nothing plays.`,
          location: c.location,
        });
      }
    }
    return out;
  },
});
