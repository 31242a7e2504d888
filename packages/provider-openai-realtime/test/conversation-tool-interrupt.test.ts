import { defineTool } from '@beluga-voice/nodes-tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import {
  concatSamples,
  errorsOf,
  finishWithin,
  fixture16k,
  framesOf,
  marksNamed,
  metricsNamed,
  silence16k,
  sinkLog,
  startRun,
  tempFolder,
  voicePipeline,
  warningsCoded,
  writeWav,
} from './support/conversation-pipeline.js';

const KEY = 'sk-conversation-tool-interrupt-0123456789';
const TOOL_MS = 2000;
const REPLY = { frequencyHz: 500, durationMs: 300 };

const folder = tempFolder('tool-interrupt');
const input = folder.path('question-then-interjection.wav');
beforeAll(() => {
  // The question ends at 2.6 s; the user interjects at 3.9 s, while the 2 s tool call runs.
  writeWav(
    input,
    concatSamples(
      fixture16k('single-utterance-16k.wav'),
      silence16k(300),
      fixture16k('interjection-16k.wav'),
      silence16k(1000),
    ),
  );
});
afterAll(() => folder.remove());

/** A lookup that takes TOOL_MS unless its signal aborts it; records what happened to each call. */
function slowLookup() {
  const calls: Array<{ query: string; startedAt: number; abortedAt?: number; finishedAt?: number }> = [];
  const tool = defineTool({
    name: 'slow_lookup',
    description: 'Looks a topic up in a slow database',
    parameters: z.object({ query: z.string().describe('What to look up') }),
    cancelOnInterrupt: true,
    execute: ({ query }, { signal }) => {
      const call: (typeof calls)[number] = { query, startedAt: performance.timeOrigin + performance.now() };
      calls.push(call);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          call.finishedAt = performance.timeOrigin + performance.now();
          resolve(`${query}: sunny, 21 °C`);
        }, TOOL_MS);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            call.abortedAt = performance.timeOrigin + performance.now();
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
  });
  return { tool, calls };
}

describe('a tool call interrupted by the user mid-conversation', () => {
  let mock: MockServer;
  afterEach(() => mock.close());

  it('cancels the cancellable tool, tells the model, and the conversation goes on to a completed reply', async () => {
    mock = await startMockServer({
      apiKey: KEY,
      script: {
        replies: ({ responseIndex }) =>
          responseIndex === 0
            ? { functionCall: { name: 'slow_lookup', arguments: { query: 'weather in Paris' } } }
            : { text: 'All right.', audio: { tone: REPLY } },
        chunkMs: 20,
      },
    });
    const { tool, calls } = slowLookup();
    const log = sinkLog();
    const graph = voicePipeline('tool-interrupt', {
      input,
      agent: { apiKey: KEY, baseUrl: mock.baseUrl, inputTranscription: false, turnDetection: { type: 'server_vad' } },
      log,
    })
      .node('tools', 'tools.router', { tools: [tool] })
      .link('agent.toolCalls', 'tools.calls')
      .feedback('tools.results', 'agent.toolResults')
      .build();
    const run = startRun(graph);
    await finishWithin(run, 20_000);
    const { events } = run;

    // The pipeline ended by itself, cleanly, and released the socket.
    expect(run.pipeline.state).toBe('stopped');
    expect(errorsOf(events)).toEqual([]);
    expect(mock.openConnections).toBe(0);

    // The model called the tool after the first turn; the tool started.
    const toolCalls = framesOf(events, 'agent', 'tool-call').map((e) => e.frame);
    expect(toolCalls).toMatchObject([{ name: 'slow_lookup', arguments: '{"query":"weather in Paris"}' }]);
    expect(calls).toHaveLength(1);

    // The user's speech while it ran interrupted it: the tool's signal aborted well before TOOL_MS.
    const speechStarts = framesOf(events, 'agent', 'speech-start');
    expect(speechStarts).toHaveLength(2);
    const interruptAt = marksNamed(events, 'control.interrupt', 'agent')[0]?.time;
    expect(interruptAt, 'the agent sent no interrupt while the tool ran').toBeGreaterThan(calls[0].startedAt);
    expect(calls[0].finishedAt).toBeUndefined();
    expect((calls[0].abortedAt as number) - interruptAt).toBeLessThan(50);
    expect((calls[0].abortedAt as number) - calls[0].startedAt).toBeLessThan(TOOL_MS - 500);
    expect(warningsCoded(events, 'tool-cancelled')).toHaveLength(1);
    expect(metricsNamed(events, 'tool.duration').map((m) => m.attributes?.status)).toEqual(['cancelled']);

    // The cancellation went back to the model as the call's output.
    const results = framesOf(events, 'tools', 'tool-result').map((e) => e.frame);
    expect(results).toMatchObject([{ id: toolCalls[0].id, cancelled: true, isError: true }]);
    const outputs = mock.received
      .map((r) => r.event.item as { type?: string; call_id?: string; output?: string } | undefined)
      .filter((item) => item?.type === 'function_call_output');
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.call_id).toBe(toolCalls[0].id);
    expect(outputs[0]?.output).toMatch(/^Cancelled: tool "slow_lookup" was stopped because the user interrupted/);

    // The conversation recovered: a later reply completed and was heard in full.
    const done = framesOf(events, 'agent', 'response-done').map((e) => e.frame);
    const resultAt = framesOf(events, 'tools', 'tool-result')[0].time;
    const later = done.filter((f) => f.status === 'completed' && f.responseId !== toolCalls[0].responseId);
    expect(later.length).toBeGreaterThanOrEqual(1);
    const lastReply = later.at(-1)?.responseId as string;
    const heard = log.frames.filter((f) => f.responseId === lastReply);
    expect(heard.reduce((n, f) => n + f.ms, 0)).toBeCloseTo(REPLY.durationMs, 6);
    expect(heard[0].at).toBeGreaterThan(resultAt);
  });
});
