import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import {
  concatSamples,
  errorsOf,
  finishWithin,
  fixture16k,
  framesOf,
  marksNamed,
  metricsNamed,
  type Run,
  type SinkLog,
  silence16k,
  sinkLog,
  startRun,
  tempFolder,
  voicePipeline,
  writeWav,
} from './support/conversation-pipeline.js';

const KEY = 'sk-conversation-barge-in-0123456789';
const LONG_REPLY = { frequencyHz: 330, durationMs: 6000 };
/**
 * The local-VAD run needs the long reply still generating when the user speaks, with well over
 * 500 ms of it received ahead of playback, even when a loaded machine stretches every mock timer
 * (each 20 ms chunk waits its interval after the previous one, so a late timer slows the stream
 * to little over real time): a reply far longer than the run, streamed at ten times real time on
 * an idle machine, and a later interjection (4.5 s of reply played), so that even a stream only
 * 1.15 times faster than playback is 500 ms ahead.
 */
const ENDLESS_REPLY = { frequencyHz: 330, durationMs: 60_000 };
const ENDLESS_CHUNK_INTERVAL_MS = 2;
const SHORT_REPLY = { frequencyHz: 550, durationMs: 400 };
/** The bound on the time from the user's speech start to the last assistant audio. */
const REACTION_LIMIT_MS = 25;
const FRAME_MS = 20;

const folder = tempFolder('barge-in');
const input = folder.path('utterance-then-interjection.wav');
const lateInput = folder.path('utterance-then-late-interjection.wav');
/** Turn 1 (speech 0.5–2.6 s), `gapMs` of silence, then the interjection while the reply plays. */
const utteranceThenInterjection = (gapMs: number) =>
  concatSamples(
    fixture16k('single-utterance-16k.wav'),
    silence16k(gapMs),
    fixture16k('interjection-16k.wav'),
    silence16k(1000),
  );
beforeAll(() => {
  // The interjection at 5.8 s: the reply has played about 2.5 s by then, so a reply delayed by a
  // loaded machine still plays over 1 s, and the 6 s reply is still playing.
  writeWav(input, utteranceThenInterjection(2200));
  writeWav(lateInput, utteranceThenInterjection(4200));
});
afterAll(() => folder.remove());

/** The pipeline's clock (its scheduler reads the same). */
const clock = () => performance.timeOrigin + performance.now();

interface Stalls {
  /** Sum of the stalls of at least `minMs` that overlap the span from `from` to `to`. */
  within(from: number, to: number, minMs?: number): number;
}

/**
 * Records how late a 5 ms timer fires while a run plays: the spans in which this process could not
 * run. A loaded machine stalls every timer and every synchronous path (the pacer's, the barge-in's),
 * and a pacer stalled past its underrun limit restarts its schedule from then, so its play position
 * falls behind the wall clock by those stalls. The timing checks allow for the stalls this run saw
 * in the span they measure (none on an idle machine) and no more, so a slow path or a drifting
 * pacer still fails.
 */
function watchStalls(): { stop(): Stalls } {
  const TICK_MS = 5;
  const stalls: Array<{ at: number; ms: number }> = [];
  let last = clock();
  const timer = setInterval(() => {
    const now = clock();
    const late = now - last - TICK_MS;
    if (late > 1) stalls.push({ at: now, ms: late });
    last = now;
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      return {
        within: (from, to, minMs = 0) =>
          stalls.filter((s) => s.at - s.ms <= to && s.at >= from && s.ms >= minMs).reduce((sum, s) => sum + s.ms, 0),
      };
    },
  };
}

type ControlOf<T extends string> = Extract<SinkLog['controls'][number]['event'], { type: T }>;

/** What every barge-in must show, whichever VAD detected the user. */
function expectCleanBargeIn(
  run: Run,
  log: SinkLog,
  mock: MockServer,
  truncateEndMs: number,
  interruptedStatus: 'completed' | 'cancelled',
  stalls: Stalls,
  longReplyMs = LONG_REPLY.durationMs,
) {
  const { events } = run;
  expect(errorsOf(events)).toEqual([]);
  const [interrupted, next] = framesOf(events, 'agent', 'response-start').map((e) => e.frame.responseId);
  expect(next).toBeDefined();

  // The agent interrupted the long reply once, out of band.
  const interrupts = log.controls.filter((c) => c.event.type === 'interrupt');
  expect(interrupts.map((c) => c.event)).toEqual([
    { type: 'interrupt', source: 'agent', responseId: interrupted, reason: 'barge-in' },
  ]);
  const interruptAt = marksNamed(events, 'control.interrupt', 'agent')[0].time;

  // The pacer flushed at once and reported what it had played.
  const playouts = log.controls.filter(
    (c): c is { at: number; event: ControlOf<'playout'> } =>
      c.event.type === 'playout' && c.event.responseId === interrupted,
  );
  const flush = playouts.find((c) => c.event.final === true);
  expect(flush).toBeDefined();
  const flushAt = flush?.at as number;
  const playedMs = flush?.event.playedMs as number;
  expect(flushAt - interruptAt).toBeLessThan(REACTION_LIMIT_MS + stalls.within(interruptAt, flushAt));
  expect(playedMs).toBeGreaterThan(1000);
  expect(playedMs).toBeLessThan(longReplyMs - 1000);

  // No audio of the interrupted reply reached the sink after the interrupt, and what did is what the pacer reported.
  const heard = log.frames.filter((f) => f.responseId === interrupted);
  expect(heard.filter((f) => f.at > interruptAt)).toEqual([]);
  expect(heard.reduce((n, f) => n + f.ms, 0)).toBeCloseTo(playedMs, 6);
  // It was still playing when the user spoke: its last frame left the pacer in the frame before
  // (or earlier by what this run stalled in between).
  const lastHeardAt = heard.at(-1)?.at as number;
  expect(interruptAt - lastHeardAt).toBeLessThanOrEqual(2 * FRAME_MS + stalls.within(lastHeardAt, interruptAt));

  // The server's copy of the reply was cut at the played position (±1 frame).
  expect(Math.abs(truncateEndMs - playedMs)).toBeLessThanOrEqual(FRAME_MS);

  // More than half a second of the reply had reached the node unplayed: the flush dropped it.
  const cut = marksNamed(events, 'interrupt', 'agent')[0].data as { playedMs: number; receivedMs: number };
  expect(cut.playedMs).toBe(playedMs);
  expect(cut.receivedMs - cut.playedMs).toBeGreaterThan(500);

  // The interrupted reply ended as the provider saw it; the next turn proceeds normally: its reply completes and plays in full.
  const done = framesOf(events, 'agent', 'response-done').map((e) => e.frame);
  expect(done.find((f) => f.responseId === interrupted)?.status).toBe(interruptedStatus);
  expect(done.find((f) => f.responseId === next)?.status).toBe('completed');
  const nextHeard = log.frames.filter((f) => f.responseId === next);
  expect(nextHeard.reduce((n, f) => n + f.ms, 0)).toBeCloseTo(SHORT_REPLY.durationMs, 6);
  expect(nextHeard[0].at).toBeGreaterThan(flushAt);
  expect(log.frames.every((f) => f.responseId === interrupted || f.responseId === next)).toBe(true);

  // The provider node's per-turn view of the same interruption.
  const reaction = metricsNamed(events, 'turn.interrupt_reaction').filter((m) => m.node === 'agent');
  expect(reaction.map((m) => m.attributes?.responseId)).toEqual([interrupted]);
  expect(reaction[0].unit).toBe('ms');
  expect(reaction[0].value).toBeGreaterThanOrEqual(0);
  expect(reaction[0].value).toBeLessThan(REACTION_LIMIT_MS + stalls.within(flushAt - reaction[0].value, flushAt));
  const turns = marksNamed(events, 'turn', 'agent').map((m) => m.data ?? {});
  expect(turns).toMatchObject([
    { responseId: interrupted, interrupted: true },
    { responseId: next, status: 'completed', interrupted: false },
  ]);
  expect(Math.abs((turns[0].playedMs as number) - playedMs)).toBeLessThanOrEqual(FRAME_MS);
  expect(mock.openConnections).toBe(0);

  // Played position and wall clock agree within a frame (the pacer counts a frame when it starts
  // playing): a pacer that falls behind real time stretches the reply and delays all that follows.
  // Behind by more than the stalls of this run that the pacer could not catch up means drift, not load.
  const elapsed = interruptAt - heard[0].at;
  const uncaught = stalls.within(heard[0].at, interruptAt, FRAME_MS);
  expect(playedMs - elapsed).toBeGreaterThanOrEqual(-FRAME_MS - uncaught);
  expect(playedMs - elapsed).toBeLessThanOrEqual(FRAME_MS + 5);
}

/** A mock whose odd replies are long and even ones short, sent every `chunkIntervalMs` in 20 ms chunks. */
function longThenShort(chunkIntervalMs: number, long = LONG_REPLY): Promise<MockServer> {
  return startMockServer({
    apiKey: KEY,
    script: {
      replies: ({ responseIndex }) =>
        responseIndex % 2 === 0
          ? { text: 'A long answer that goes on and on.', audio: { tone: long } }
          : { text: 'Sure.', audio: { tone: SHORT_REPLY } },
      chunkMs: 20,
      chunkIntervalMs,
    },
  });
}

describe('barge-in while a long reply is queued in the pacer', () => {
  let mock: MockServer;
  afterEach(() => mock.close());

  it('with the server VAD: stops the reply at the sink at once and truncates it at the played position', async () => {
    // The whole reply arrives at once: the provider is done with it, all of it waits in the pacer.
    mock = await longThenShort(0);
    const log = sinkLog();
    const graph = voicePipeline('barge-in-server-vad', {
      input,
      agent: {
        apiKey: KEY,
        baseUrl: mock.baseUrl,
        inputTranscription: false,
        turnDetection: { type: 'server_vad' },
      },
      pace: { bufferMs: 10_000 },
      log,
    }).build();
    const watch = watchStalls();
    const run = startRun(graph);
    await finishWithin(run, 20_000);
    const stalls = watch.stop();

    const kinds = framesOf(run.events, 'agent', 'speech-start').map((e) => e.frame.source);
    expect(kinds).toEqual(['server', 'server']);
    // The reply was complete server-side: the client only truncated it to what was played.
    expect(mock.received.filter((r) => r.event.type === 'response.cancel')).toEqual([]);
    const truncates = mock.received.filter((r) => r.event.type === 'conversation.item.truncate');
    expect(truncates).toHaveLength(1);
    expectCleanBargeIn(run, log, mock, truncates[0].event.audio_end_ms as number, 'completed', stalls);
  });

  it('with a local VAD (audio.vad-energy, turnDetection none): the same, driven by the VAD speech-start', async () => {
    // The reply arrives faster than real time: it is still generating when the user speaks,
    // so the client cancels it and its late audio is in flight.
    mock = await longThenShort(ENDLESS_CHUNK_INTERVAL_MS, ENDLESS_REPLY);
    const log = sinkLog();
    const graph = voicePipeline('barge-in-local-vad', {
      input: lateInput,
      vad: {},
      agent: {
        apiKey: KEY,
        baseUrl: mock.baseUrl,
        inputTranscription: false,
        turnDetection: { type: 'none' },
      },
      // Room for all of the reply that can arrive before the interjection.
      pace: { bufferMs: ENDLESS_REPLY.durationMs },
      log,
    }).build();
    const watch = watchStalls();
    const run = startRun(graph);
    await finishWithin(run, 20_000);
    const stalls = watch.stop();

    // The local VAD drove both turns: two commits and two response requests, no server VAD events.
    const sent = (type: string) => mock.received.filter((r) => r.event.type === type);
    expect(sent('input_audio_buffer.commit')).toHaveLength(2);
    expect(sent('response.create')).toHaveLength(2);
    expect(framesOf(run.events, 'agent', 'speech-start')).toEqual([]);
    const vadStarts = framesOf(run.events, 'vad', 'speech-start').filter((e) => e.port === 'audio');
    expect(vadStarts).toHaveLength(2);
    // From the VAD's speech-start to the interrupt, across the resampler and the provider node.
    const interruptAt = marksNamed(run.events, 'control.interrupt', 'agent')[0].time;
    expect(interruptAt - vadStarts[1].time).toBeLessThan(
      REACTION_LIMIT_MS + stalls.within(vadStarts[1].time, interruptAt),
    );
    // Without server VAD the client cancels the reply it is still generating, and truncates it.
    expect(sent('response.cancel')).toHaveLength(1);
    const truncates = sent('conversation.item.truncate');
    expect(truncates).toHaveLength(1);
    expectCleanBargeIn(
      run,
      log,
      mock,
      truncates[0].event.audio_end_ms as number,
      'cancelled',
      stalls,
      ENDLESS_REPLY.durationMs,
    );
  });
});
