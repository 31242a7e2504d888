/** A sine tone in mono pcm16, with 5 ms fades so it starts and ends without clicks. */
export function generateTone(sampleRate: number, freqHz: number, ms: number, amplitude = 0.3): Int16Array {
  const length = Math.round((sampleRate * ms) / 1000);
  const fade = Math.min(Math.round(sampleRate * 0.005), Math.floor(length / 2));
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const envelope = Math.min(1, i / fade, (length - 1 - i) / fade);
    out[i] = Math.round(32767 * amplitude * envelope * Math.sin((2 * Math.PI * freqHz * i) / sampleRate));
  }
  return out;
}
