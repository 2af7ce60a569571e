// The sample sound every generated app plays on first run, synthesised here so the templates
// carry no binary files: a short, soft arpeggio as 16-bit mono PCM WAV. Deterministic.

const SAMPLE_RATE = 22_050;

/** Frequencies (Hz) of the notes, each held for `noteSeconds`. C major, then its octave. */
const NOTES = [523.25, 659.25, 783.99, 1046.5, 783.99, 659.25];

export function synthesizeSampleWav(noteSeconds = 0.5): Buffer {
  const perNote = Math.round(SAMPLE_RATE * noteSeconds);
  const frames = perNote * NOTES.length;
  const data = Buffer.alloc(frames * 2);
  for (let n = 0; n < NOTES.length; n++) {
    const f = NOTES[n]!;
    for (let i = 0; i < perNote; i++) {
      const t = i / SAMPLE_RATE;
      // 10 ms attack, exponential decay: a plucked, click-free envelope.
      const attack = Math.min(1, t / 0.01);
      const env = attack * Math.exp(-3.5 * t);
      const s = Math.sin(2 * Math.PI * f * t) + 0.25 * Math.sin(4 * Math.PI * f * t);
      const v = Math.round(0.35 * env * s * 32767);
      data.writeInt16LE(Math.max(-32768, Math.min(32767, v)), (n * perNote + i) * 2);
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // PCM chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
