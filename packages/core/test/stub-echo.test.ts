import { readFileSync } from 'node:fs';
import { type AudioFrame, EchoProvider, type S2SEvent, type S2SSession } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';

const wav = decodeWav(
  readFileSync(new URL('../../../fixtures/audio/single-utterance-16k.wav', import.meta.url)),
  'single-utterance',
  'pcm16',
);
const RATE = 16_000;

/** An echo session on virtual time; every event is recorded with the virtual time it came at. */
async function open(options: { latencyMs?: number; realtime?: boolean } = {}) {
  const scheduler = new TestScheduler(() => {});
  scheduler.maxFrames = 60_000;
  const provider = new EchoProvider({
    sampleRate: RATE,
    latencyMs: options.latencyMs ?? 300,
    realtime: options.realtime ?? true,
    scheduler,
  });
  const session = (await provider.startSession({})) as S2SSession & { pendingTimers: number };
  const timeline: Array<{ at: number; event: S2SEvent }> = [];
  session.events$.subscribe((event) => timeline.push({ at: scheduler.now(), event }));
  return { scheduler, session, timeline };
}

function sendFixture(session: S2SSession, samples = wav.samples): void {
  for (let at = 0; at < samples.length; at += 320) {
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: (at / RATE) * 1000,
      format: wav.format,
      samples: samples.slice(at, at + 320),
    };
    session.sendAudio(frame);
  }
}

const audioOf = (timeline: Array<{ event: S2SEvent }>) =>
  timeline.flatMap(({ event }) => (event.type === 'audio' ? [event.frame] : []));

describe('provider.echo session', () => {
  it('plays the turn back latencyMs after its end, from 100 ms before the speech to its end, in 20 ms chunks', async () => {
    const { scheduler, session, timeline } = await open();
    sendFixture(session);
    scheduler.flush();
    const types = timeline.map(({ at, event }) => `${event.type}@${at}`).filter((t) => !t.startsWith('audio'));
    expect(types).toEqual([
      'session-started@0',
      'speech-start@0',
      'speech-stop@0',
      'response-start@300',
      `response-done@${300 + 2200}`,
    ]);
    const speech = timeline.find((t) => t.event.type === 'speech-start')?.event as { timestamp: number };
    const stop = timeline.find((t) => t.event.type === 'speech-stop')?.event as { timestamp: number };
    expect(speech.timestamp).toBe(500);
    expect(stop.timestamp).toBe(2600);
    const frames = audioOf(timeline);
    expect(frames).toHaveLength(110);
    expect(frames.every((f) => f.samples.length === 320 && f.responseId === 'echo-1-response-1')).toBe(true);
    expect(frames.map((f) => f.timestamp)).toEqual(frames.map((_, i) => 300 + i * 20));
    const audioTimes = timeline.filter((t) => t.event.type === 'audio').map((t) => t.at);
    expect(audioTimes).toEqual(frames.map((_, i) => 300 + i * 20));
    const played = new Int16Array(frames.length * 320);
    for (const [i, f] of frames.entries()) played.set(f.samples as Int16Array, i * 320);
    expect(played).toEqual(wav.samples.slice(400 * 16, 2600 * 16));
  });

  it('sends the whole reply at once when realtime is off', async () => {
    const { scheduler, session, timeline } = await open({ realtime: false, latencyMs: 50 });
    sendFixture(session);
    scheduler.flush();
    const audioTimes = new Set(timeline.filter((t) => t.event.type === 'audio').map((t) => t.at));
    expect([...audioTimes]).toEqual([50]);
  });

  it('takes the turn from a local VAD’s speech start/stop and then ignores its own detector', async () => {
    const { scheduler, session, timeline } = await open({ latencyMs: 100 });
    session.speechStarted(1000);
    sendFixture(session);
    session.speechStopped(1500);
    scheduler.flush();
    expect(timeline.some((t) => t.event.type === 'speech-start' || t.event.type === 'speech-stop')).toBe(false);
    const frames = audioOf(timeline);
    expect(frames.reduce((n, f) => n + f.samples.length, 0)).toBe(600 * 16);
    expect(frames[0].samples).toEqual(wav.samples.slice(900 * 16, 900 * 16 + 320));
  });

  it('stops on interrupt and reports the played position, clamped to what it sent', async () => {
    const { scheduler, session, timeline } = await open();
    sendFixture(session);
    const results: unknown[] = [];
    scheduler.schedule(() => results.push(session.interrupt({ playedMs: 5000 })), 400);
    scheduler.schedule(() => results.push(session.interrupt()), 500);
    scheduler.flush();
    // Chunks went out at 300..380 ms; the interrupt at 400 comes before the chunk due then.
    expect(results).toEqual([{ responseId: 'echo-1-response-1', playedMs: 100 }, null]);
    expect(audioOf(timeline)).toHaveLength(5);
    expect(timeline.slice(-2).map(({ at, event }) => [at, event])).toEqual([
      [400, { type: 'interrupted', responseId: 'echo-1-response-1', playedMs: 100 }],
      [400, { type: 'response-done', responseId: 'echo-1-response-1', status: 'cancelled' }],
    ]);
    expect(session.pendingTimers).toBe(0);
  });

  it('answers a text message with the same text as an assistant transcript', async () => {
    const { scheduler, session, timeline } = await open({ latencyMs: 10 });
    session.sendText('ping');
    scheduler.flush();
    expect(timeline.map(({ at, event }) => [at, event])).toEqual([
      [0, { type: 'session-started', sessionId: 'echo-1' }],
      [0, { type: 'transcript', role: 'user', text: 'ping', final: true }],
      [10, { type: 'response-start', responseId: 'echo-1-response-1' }],
      [10, { type: 'transcript', role: 'assistant', text: 'ping', final: true, responseId: 'echo-1-response-1' }],
      [10, { type: 'response-done', responseId: 'echo-1-response-1', status: 'completed' }],
    ]);
  });

  it('closes a pending reply without playing it and leaves no timer', async () => {
    const { scheduler, session, timeline } = await open();
    sendFixture(session);
    expect(session.pendingTimers).toBe(1);
    await session.close();
    scheduler.flush();
    expect(session.pendingTimers).toBe(0);
    expect(timeline.map((t) => t.event.type)).toEqual(['session-started', 'speech-start', 'speech-stop', 'closed']);
  });
});
