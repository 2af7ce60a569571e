// The UIBackgroundModes values iOS and Xcode know, and a suggester for near misses.
//
// Sources: Apple's table in "Configuring background execution modes"
// (https://developer.apple.com/documentation/xcode/configuring-background-execution-modes) and
// the UIBackgroundModes key reference, joined with the values the Xcode build engine knows
// (swift-build InfoPlistProcessorTaskAction, the per-platform UIBackgroundModes table). The
// build engine copies any other string into the app unchanged and without a warning.

export const KNOWN_BACKGROUND_MODES: readonly string[] = [
  'audio',
  'voip',
  'push-to-talk',
  'fetch',
  'remote-notification',
  'processing',
  'location',
  'external-accessory',
  'bluetooth-central',
  'bluetooth-peripheral',
  'nearby-interaction',
  'workout-processing',
  'newsstand-content',
  'network-authentication',
  'screen-capture',
];

const KNOWN = new Set(KNOWN_BACKGROUND_MODES);

export function isKnownBackgroundMode(value: string): boolean {
  return KNOWN.has(value);
}

/** Spellings seen in the wild whose intended mode is clear (shorthands, checkbox labels). */
const ALIASES: Record<string, string> = {
  ptt: 'push-to-talk',
  pushtotalk: 'push-to-talk',
  'background-audio': 'audio',
  'audio-playback': 'audio',
  'audio-airplay-pip': 'audio',
  'audio-airplay-and-picture-in-picture': 'audio',
  'voice-over-ip': 'voip',
  'background-fetch': 'fetch',
  'background-processing': 'processing',
  'remote-notifications': 'remote-notification',
  'location-updates': 'location',
};

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The valid mode an unknown value most likely meant, or null when nothing is close.
 * Tries, in order: case and separator mistakes, known aliases, a `background-` / `UIBackgroundMode`
 * prefix, a plural, then the closest known value by edit distance (at most 3 edits).
 */
export function suggestBackgroundMode(value: string): string | null {
  const normalized = value
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const candidates = [
    normalized,
    normalized.replace(/-/g, ''),
    normalized.replace(/^(ui-?background-?modes?-?|background-)/, ''),
  ];
  for (const c of candidates) {
    if (KNOWN.has(c)) return c;
    if (ALIASES[c]) return ALIASES[c]!;
    if (c.endsWith('s') && KNOWN.has(c.slice(0, -1))) return c.slice(0, -1);
  }
  // Known values written without hyphens ("pushtotalk", "remotenotification").
  const squashed = normalized.replace(/-/g, '');
  for (const k of KNOWN_BACKGROUND_MODES) if (k.replace(/-/g, '') === squashed) return k;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of KNOWN_BACKGROUND_MODES) {
    const d = levenshtein(normalized, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= Math.min(3, Math.floor((best?.length ?? 0) / 2)) ? best : null;
}
