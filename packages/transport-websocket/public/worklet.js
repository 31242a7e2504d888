// AudioWorklet processors of the Beluga browser client: microphone capture in 20 ms pcm16 frames,
// and reply playback through a small jitter buffer that reports how much of each response played.

class BelugaCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frameLength = Math.round(sampleRate / 50);
    this.frame = new Int16Array(this.frameLength);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i]));
      this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === this.frameLength) {
        // Transferred, not copied: the old array is detached and a fresh one takes its place.
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new Int16Array(this.frameLength);
        this.filled = 0;
      }
    }
    return true;
  }
}

const PREBUFFER_MS = 60;
const REPORT_EVERY_MS = 100;

class BelugaPlayback extends AudioWorkletProcessor {
  constructor() {
    super();
    /** Queued chunks: { responseId, samples: Float32Array, offset } */
    this.queue = [];
    this.queued = 0;
    this.playing = false;
    this.done = new Set();
    /** Per response: samples played, and the last reported count. */
    this.played = new Map();
    this.port.onmessage = (event) => this.onMessage(event.data);
  }

  onMessage(message) {
    if (message.type === 'audio') {
      const pcm = new Int16Array(message.samples);
      const samples = new Float32Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 32768;
      this.queue.push({ responseId: message.responseId, samples, offset: 0 });
      this.queued += samples.length;
    } else if (message.type === 'response-done') {
      this.done.add(message.responseId);
      this.reportFinished();
    } else if (message.type === 'clear') {
      // The server already holds the cut position: nothing more is reported for what was dropped.
      this.queue = [];
      this.queued = 0;
      this.playing = false;
      this.played.clear();
      this.done.clear();
    }
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    if (!this.playing) {
      const ended = this.queue.length > 0 && this.done.has(this.queue[this.queue.length - 1].responseId);
      if (this.queued >= (PREBUFFER_MS / 1000) * sampleRate || (ended && this.queued > 0)) this.playing = true;
    }
    let i = 0;
    while (this.playing && i < out.length && this.queue.length > 0) {
      const head = this.queue[0];
      const take = Math.min(out.length - i, head.samples.length - head.offset);
      out.set(head.samples.subarray(head.offset, head.offset + take), i);
      head.offset += take;
      i += take;
      this.queued -= take;
      this.count(head.responseId, take);
      if (head.offset === head.samples.length) this.queue.shift();
    }
    out.fill(0, i);
    if (this.queue.length === 0) {
      this.playing = false;
      this.reportFinished();
    }
    return true;
  }

  count(responseId, samples) {
    const record = this.played.get(responseId) ?? { samples: 0, reported: 0 };
    const first = record.samples === 0;
    record.samples += samples;
    this.played.set(responseId, record);
    // The first report dates the start of playback (voice-to-voice latency); then every 100 ms.
    if (first || ((record.samples - record.reported) / sampleRate) * 1000 >= REPORT_EVERY_MS)
      this.report(responseId, record);
  }

  report(responseId, record) {
    record.reported = record.samples;
    this.port.postMessage({ type: 'played', responseId, playedMs: (record.samples / sampleRate) * 1000 });
  }

  /** Responses that are done and fully played report their last position. */
  reportFinished() {
    for (const [responseId, record] of this.played) {
      if (!this.done.has(responseId) || this.queue.some((c) => c.responseId === responseId)) continue;
      if (record.samples !== record.reported) this.report(responseId, record);
      this.played.delete(responseId);
      this.done.delete(responseId);
    }
  }
}

registerProcessor('beluga-capture', BelugaCapture);
registerProcessor('beluga-playback', BelugaPlayback);
