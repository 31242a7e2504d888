import { type AudioFormat, formatToString } from '../../audio-format.js';
import type { AudioFrame } from '../../frames.js';

/**
 * Streams mono pcm16 audio from one sample rate to another by linear interpolation, keeping its
 * position across frames so that chunking never clicks. The failover provider uses it to meet
 * each provider's formats; graphs use `audio.resample` (polyphase, better quality).
 */
export class PcmRateConverter {
  private readonly step: number;
  /** Where the next output sample falls, in input samples of the next frame (-1 = the last one of the previous frame). */
  private position = 0;
  private last = 0;
  private outMs = 0;

  constructor(
    private readonly from: AudioFormat,
    private readonly to: AudioFormat,
  ) {
    const ok = (f: AudioFormat) => f.encoding === 'pcm16' && f.channels === 1;
    if (!ok(from) || !ok(to))
      throw new Error(`failover: cannot convert ${formatToString(from)} to ${formatToString(to)} (mono pcm16 only)`);
    this.step = from.sampleRate / to.sampleRate;
  }

  convert(frame: AudioFrame): AudioFrame {
    const input = frame.samples as Int16Array;
    if (this.from.sampleRate === this.to.sampleRate) return { ...frame, format: this.to };
    const out: number[] = [];
    let p = this.position;
    while (p < input.length - 1) {
      const k = Math.floor(p);
      const a = k < 0 ? this.last : input[k];
      out.push(Math.round(a + (input[k + 1] - a) * (p - k)));
      p += this.step;
    }
    if (input.length > 0) {
      this.last = input[input.length - 1];
      this.position = p - input.length;
    }
    const samples = Int16Array.from(out);
    const converted: AudioFrame = { ...frame, format: this.to, samples, timestamp: this.outMs };
    this.outMs += (samples.length / this.to.sampleRate) * 1000;
    return converted;
  }
}
