import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GraphBuilder } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { toneRuns } from './support/conversation-audio.js';
import {
  conversationRegistry,
  errorsOf,
  finishWithin,
  fixturePath,
  fixtureSpeech,
  framesOf,
  marksNamed,
  metricsNamed,
  recordingSink,
  sinkLog,
  startRun,
  tempFolder,
} from './support/conversation-pipeline.js';

const KEY = 'sk-conversation-two-turns-0123456789';
const FIRST = { frequencyHz: 440, durationMs: 600 };
const SECOND = { frequencyHz: 660, durationMs: 800 };
const [turn1, turn2] = fixtureSpeech('two-turns-16k.wav');
const folder = tempFolder('two-turns');
afterAll(() => folder.remove());

describe('a two-turn conversation through file-source → resample → provider.openai-realtime → pace → file-sink', () => {
  let mock: MockServer;
  afterEach(() => mock.close());

  it('hears two user turns, answers each in order, and writes both replies to the WAV', async () => {
    // The pacer cannot keep time better than the event loop does: a loaded machine's lag widens the margin.
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    mock = await startMockServer({
      apiKey: KEY,
      script: {
        replies: [
          { text: 'First reply.', audio: { tone: FIRST } },
          { text: 'Second reply.', audio: { tone: SECOND } },
        ],
        chunkMs: 20,
      },
    });
    const outPath = folder.path('reply.wav');
    const log = sinkLog();
    const graph = new GraphBuilder(conversationRegistry(), 'two-turns')
      .node('mic', 'audio.file-source', { path: fixturePath('two-turns-16k.wav'), pace: 'realtime' })
      .node('up', 'audio.resample', { sampleRate: 24000 })
      .node('agent', 'provider.openai-realtime', {
        apiKey: KEY,
        baseUrl: mock.baseUrl,
        inputTranscription: false,
        turnDetection: { type: 'server_vad' },
      })
      .node('pace', 'audio.pace')
      .node('out', 'audio.file-sink', { path: outPath })
      .node('rec', recordingSink, { log })
      .chain('mic', 'up', 'agent', 'pace', 'out')
      .link('agent.events', 'pace.responses')
      .link('pace', 'rec')
      .build();
    const run = startRun(graph);
    await finishWithin(run, 20_000);
    const { events } = run;

    expect(errorsOf(events)).toEqual([]);
    const turnFrames = events.filter((e) => e.type === 'frame' && e.node === 'agent' && e.port === 'events');
    expect(turnFrames.map((e) => (e.type === 'frame' ? e.frame.kind : ''))).toEqual([
      'speech-start',
      'speech-stop',
      'response-start',
      'response-done',
      'speech-start',
      'speech-stop',
      'response-start',
      'response-done',
    ]);
    // The server's speech-stop comes after each utterance plus its 500 ms of silence.
    const stops = framesOf(events, 'agent', 'speech-stop').map((e) => e.frame.timestamp);
    expect(stops[0]).toBeGreaterThan(turn1[1]);
    expect(stops[0]).toBeLessThan(turn1[1] + 800);
    expect(stops[1]).toBeGreaterThan(turn2[1]);
    expect(stops[1]).toBeLessThan(turn2[1] + 800);

    const starts = framesOf(events, 'agent', 'response-start').map((e) => e.frame.responseId);
    const done = framesOf(events, 'agent', 'response-done').map((e) => e.frame);
    expect(done.map((f) => f.responseId)).toEqual(starts);
    expect(done.map((f) => f.status)).toEqual(['completed', 'completed']);
    expect(new Set(starts).size).toBe(2);
    // The server answered by itself: the client never asked for a response.
    expect(mock.received.filter((r) => r.event.type === 'response.create')).toEqual([]);

    // Each reply reached the sink whole, the first before the second, after its turn ended.
    const playedMs = (id: string) => log.frames.filter((f) => f.responseId === id).reduce((n, f) => n + f.ms, 0);
    expect(playedMs(starts[0])).toBeCloseTo(FIRST.durationMs, 0);
    expect(playedMs(starts[1])).toBeCloseTo(SECOND.durationMs, 0);
    const lastOfFirst = log.frames.filter((f) => f.responseId === starts[0]).at(-1)?.at as number;
    const firstOfSecond = log.frames.find((f) => f.responseId === starts[1])?.at as number;
    expect(firstOfSecond).toBeGreaterThan(lastOfFirst);
    const stopAt = framesOf(events, 'agent', 'speech-stop').map((e) => e.time);
    expect(log.frames.find((f) => f.responseId === starts[0])?.at).toBeGreaterThan(stopAt[0]);
    expect(firstOfSecond).toBeGreaterThan(stopAt[1]);
    // Told when each response is complete, the pacer reports its final position once it has played.
    const finals = log.controls.flatMap((c) =>
      c.event.type === 'playout' && c.event.final ? [[c.event.responseId, c.event.playedMs]] : [],
    );
    expect(finals).toEqual([
      [starts[0], FIRST.durationMs],
      [starts[1], SECOND.durationMs],
    ]);

    // The WAV holds exactly both replies: a 440 Hz region, then a 660 Hz region.
    const wav = decodeWav(readFileSync(outPath), outPath, 'pcm16');
    expect(wav.format).toEqual({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });
    expect((wav.samples.length / 24000) * 1000).toBeCloseTo(FIRST.durationMs + SECOND.durationMs, 0);
    const runs = toneRuns(wav.samples, 24000, [FIRST.frequencyHz, SECOND.frequencyHz]);
    expect(runs.map((r) => r.frequencyHz)).toEqual([FIRST.frequencyHz, SECOND.frequencyHz]);
    expect(runs[0].startMs).toBe(0);
    expect(Math.abs(runs[0].endMs - FIRST.durationMs)).toBeLessThanOrEqual(20);
    expect(Math.abs(runs[1].endMs - (FIRST.durationMs + SECOND.durationMs))).toBeLessThanOrEqual(20);

    // Per-turn metrics and marks from the provider node.
    const v2v = metricsNamed(events, 'turn.voice_to_voice').filter((m) => m.node === 'agent');
    expect(v2v.map((m) => m.attributes?.responseId)).toEqual(starts);
    for (const m of v2v) {
      expect(m.unit).toBe('ms');
      expect(m.value).toBeGreaterThan(0);
      expect(m.value).toBeLessThan(500);
    }
    // Voice-to-voice splits into the provider's time to first audio and the time the framework added.
    const metricOf = (name: string, responseId: string) =>
      metricsNamed(events, name).find((m) => m.node === 'agent' && m.attributes?.responseId === responseId)?.value;
    for (const [i, id] of starts.entries()) {
      const providerMs = metricOf('turn.provider_first_audio', id) as number;
      const frameworkMs = metricOf('turn.framework_latency', id) as number;
      expect(providerMs).toBeGreaterThanOrEqual(0);
      expect(frameworkMs).toBeGreaterThanOrEqual(0);
      expect(Math.abs(v2v[i].value - (providerMs + frameworkMs))).toBeLessThanOrEqual(1);
    }
    const turns = marksNamed(events, 'turn', 'agent').map((m) => m.data ?? {});
    expect(turns).toMatchObject([
      { responseId: starts[0], status: 'completed', interrupted: false },
      { responseId: starts[1], status: 'completed', interrupted: false },
    ]);
    expect(turns.map((t) => t.voiceToVoiceMs)).toEqual(v2v.map((m) => m.value));
    expect(Math.abs((turns[0].playedMs as number) - FIRST.durationMs)).toBeLessThanOrEqual(20);
    expect(Math.abs((turns[1].playedMs as number) - SECOND.durationMs)).toBeLessThanOrEqual(20);
    expect(mock.openConnections).toBe(0);

    // Each reply left the pacer at real-time pace: its frames span its duration, within a frame
    // (plus the loop's worst lag in this run).
    lag.disable();
    for (const [id, reply] of [
      [starts[0], FIRST],
      [starts[1], SECOND],
    ] as const) {
      const frames = log.frames.filter((f) => f.responseId === id);
      const span = (frames.at(-1)?.at as number) - frames[0].at;
      expect(Math.abs(span - (reply.durationMs - 20))).toBeLessThanOrEqual(20 + lag.max / 1e6);
    }
  });
});
