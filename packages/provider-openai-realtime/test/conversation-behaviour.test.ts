import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import {
  concatSamples,
  errorsOf,
  finishWithin,
  fixture16k,
  fixturePath,
  framesOf,
  type SinkLog,
  silence16k,
  sinkLog,
  startRun,
  tempFolder,
  until,
  voicePipeline,
  warningsCoded,
  writeWav,
} from './support/conversation-pipeline.js';

const KEY = 'sk-conversation-behaviour-0123456789';
const LONG_REPLY = { frequencyHz: 330, durationMs: 3000 };
const SHORT_REPLY = { frequencyHz: 550, durationMs: 300 };

const folder = tempFolder('behaviour');
const withCough = folder.path('utterance-then-cough.wav');
const quiet = folder.path('quiet.wav');
beforeAll(() => {
  // Turn 1 ends at 2.6 s; at 4.0 s, while the reply plays, a 250 ms burst of speech (a "mm-hm").
  const interjection = fixture16k('interjection-16k.wav');
  writeWav(
    withCough,
    concatSamples(
      fixture16k('single-utterance-16k.wav'),
      silence16k(400),
      interjection.subarray(0, 16 * 250),
      silence16k(2300),
    ),
  );
  // The fixture's room tone before its first word, looped: a user who says nothing.
  writeWav(quiet, fixture16k('single-utterance-16k.wav').subarray(0, 16 * 450));
});
afterAll(() => folder.remove());

function agentConfig(mock: MockServer, extra: Record<string, unknown>) {
  return { apiKey: KEY, baseUrl: mock.baseUrl, inputTranscription: false, ...extra };
}

function heardMs(log: SinkLog, responseId: string): number {
  return log.frames.filter((f) => f.responseId === responseId).reduce((n, f) => n + f.ms, 0);
}

describe('conversation behaviour of provider.openai-realtime in a pipeline', () => {
  let mock: MockServer;
  afterEach(() => mock.close());

  it('false interruption: a burst shorter than falseInterruptionMs pauses the reply, then resumes it to the end', async () => {
    mock = await startMockServer({
      apiKey: KEY,
      script: {
        replies: ({ responseIndex }) =>
          responseIndex === 0
            ? { text: 'A reply long enough to cough over.', audio: { tone: LONG_REPLY } }
            : { text: 'Yes?', audio: { tone: SHORT_REPLY } },
        chunkMs: 20,
      },
    });
    const log = sinkLog();
    const graph = voicePipeline('false-interruption', {
      input: withCough,
      vad: { minSilenceMs: 200 },
      agent: agentConfig(mock, { turnDetection: { type: 'none' }, conversation: { falseInterruptionMs: 1000 } }),
      log,
    }).build();
    const run = startRun(graph);
    await finishWithin(run, 20_000);
    const { events } = run;
    expect(errorsOf(events)).toEqual([]);

    const reply = framesOf(events, 'agent', 'response-start')[0].frame.responseId;
    const vad = events.filter((e) => e.type === 'frame' && e.node === 'vad' && e.port === 'audio');
    expect(vad.map((e) => (e.type === 'frame' ? e.frame.kind : ''))).toEqual([
      'speech-start',
      'speech-stop',
      'speech-start',
      'speech-stop',
    ]);
    // The agent paused and resumed the reply: no interrupt, no truncation, no cancel.
    const fromAgent = log.controls.filter((c) => c.event.source === 'agent').map((c) => c.event);
    expect(fromAgent.map((e) => e.type)).toEqual(['pause', 'resume']);
    const sent = (type: string) => mock.received.filter((r) => r.event.type === type);
    expect(sent('conversation.item.truncate')).toEqual([]);
    expect(sent('response.cancel')).toEqual([]);
    const pauseAt = log.controls.find((c) => c.event.type === 'pause')?.at as number;
    const resumeAt = log.controls.find((c) => c.event.type === 'resume')?.at as number;
    expect(pauseAt).toBeGreaterThanOrEqual(vad[2].time);
    expect(resumeAt).toBeGreaterThanOrEqual(vad[3].time);
    // Nothing played while paused, and the whole reply played in the end.
    expect(log.frames.filter((f) => f.at > pauseAt && f.at < resumeAt)).toEqual([]);
    expect(log.frames.some((f) => f.responseId === reply && f.at > resumeAt)).toBe(true);
    expect(heardMs(log, reply)).toBeCloseTo(LONG_REPLY.durationMs, 6);
    const final = log.controls.find((c) => c.event.type === 'playout' && c.event.responseId === reply && c.event.final);
    expect(final?.event).toMatchObject({ playedMs: LONG_REPLY.durationMs });
    expect(framesOf(events, 'agent', 'response-done')[0].frame).toMatchObject({
      responseId: reply,
      status: 'completed',
    });
  });

  it("idle timeout with idleAction 'end': warns and ends the pipeline when the user says nothing", async () => {
    mock = await startMockServer({ apiKey: KEY });
    const graph = voicePipeline('idle-end', {
      input: quiet,
      loop: true,
      agent: agentConfig(mock, {
        turnDetection: { type: 'server_vad' },
        conversation: { idleTimeoutMs: 1000, idleAction: 'end' },
      }),
      log: sinkLog(),
    }).build();
    const run = startRun(graph);
    // The source loops forever: only the idle policy can end this pipeline.
    await finishWithin(run, 12_000);
    const { events } = run;
    expect(run.pipeline.state).toBe('stopped');
    expect(errorsOf(events)).toEqual([]);
    const idle = warningsCoded(events, 'idle-timeout');
    expect(idle.map((w) => w.node)).toEqual(['agent']);
    const runningAt = events.find((e) => e.type === 'pipeline-state' && e.state === 'running')?.time as number;
    expect(idle[0].time - runningAt).toBeGreaterThanOrEqual(1000);
    expect(idle[0].time - runningAt).toBeLessThan(2000);
    expect(framesOf(events, 'agent', 'response-start')).toEqual([]);
    expect(mock.openConnections).toBe(0);
  });

  it("idle timeout with idleAction 'prompt': warns and sends the idle prompt, which gets a reply", async () => {
    mock = await startMockServer({
      apiKey: KEY,
      script: { replies: [{ text: 'Still here?', audio: { tone: SHORT_REPLY } }] },
    });
    const log = sinkLog();
    const prompt = 'The user has been quiet for a while: check whether they are still there.';
    const graph = voicePipeline('idle-prompt', {
      input: quiet,
      loop: true,
      agent: agentConfig(mock, {
        turnDetection: { type: 'server_vad' },
        conversation: { idleTimeoutMs: 800, idleAction: 'prompt', idlePrompt: prompt },
      }),
      log,
    }).build();
    const run = startRun(graph);
    try {
      await until(() => framesOf(run.events, 'agent', 'response-done').length > 0, 5000, 'a reply to the idle prompt');
    } finally {
      await run.pipeline.stop();
    }
    const { events } = run;
    expect(errorsOf(events)).toEqual([]);
    expect(warningsCoded(events, 'idle-timeout').map((w) => w.node)).toEqual(['agent']);
    const prompted = mock.received.filter((r) => JSON.stringify(r.event).includes(prompt));
    expect(prompted.length).toBeGreaterThanOrEqual(1);
    const reply = framesOf(events, 'agent', 'response-done')[0].frame;
    expect(reply.status).toBe('completed');
    expect(heardMs(log, reply.responseId)).toBeCloseTo(SHORT_REPLY.durationMs, 6);
  });

  /** One user turn whose reply sends nothing for 2.5 s, watched with an 800 ms stall timeout. */
  async function stalledTurn(stallAction: 'report' | 'cancel') {
    mock = await startMockServer({
      apiKey: KEY,
      script: { replies: [{ text: 'Late.', audio: { tone: SHORT_REPLY } }] },
    });
    mock.injectFault({ type: 'slow', firstAudioLatencyMs: 2500 });
    const log = sinkLog();
    const graph = voicePipeline(`stall-${stallAction}`, {
      input: fixturePath('single-utterance-16k.wav'),
      agent: agentConfig(mock, {
        turnDetection: { type: 'server_vad' },
        conversation: { stallTimeoutMs: 800, stallAction },
      }),
      log,
    }).build();
    const run = startRun(graph);
    await finishWithin(run, 15_000);
    return { run, log, events: run.events };
  }

  it("stalled provider with stallAction 'report': warns while the response is silent, then plays it when it comes", async () => {
    const { events, log } = await stalledTurn('report');
    expect(errorsOf(events)).toEqual([]);
    const start = framesOf(events, 'agent', 'response-start')[0];
    const stalled = warningsCoded(events, 'provider-stalled');
    expect(stalled.map((w) => w.node)).toEqual(['agent']);
    // Reported once the response had been silent for stallTimeoutMs, before its audio came.
    expect(stalled[0].time - start.time).toBeGreaterThanOrEqual(800);
    const firstHeard = log.frames.find((f) => f.responseId === start.frame.responseId)?.at as number;
    expect(stalled[0].time).toBeLessThan(firstHeard);
    expect(firstHeard - start.time).toBeGreaterThanOrEqual(2400);
    const done = framesOf(events, 'agent', 'response-done')[0].frame;
    expect(done).toMatchObject({ responseId: start.frame.responseId, status: 'completed' });
    expect(heardMs(log, done.responseId)).toBeCloseTo(SHORT_REPLY.durationMs, 6);
  });

  it("stalled provider with stallAction 'cancel': warns, cancels the silent response and the session carries on", async () => {
    const { run, events, log } = await stalledTurn('cancel');
    expect(errorsOf(events)).toEqual([]);
    expect(run.pipeline.state).toBe('stopped');
    const stalled = warningsCoded(events, 'provider-stalled');
    expect(stalled.map((w) => w.node)).toEqual(['agent']);
    const cancels = mock.received.filter((r) => r.event.type === 'response.cancel');
    expect(cancels).toHaveLength(1);
    const done = framesOf(events, 'agent', 'response-done')[0].frame;
    expect(done.status).toBe('cancelled');
    expect(heardMs(log, done.responseId)).toBe(0);
    expect(mock.openConnections).toBe(0);
  });
});
