import { defineProviderNode, type Frame, type ToolSpec } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS, FAKE_FORMAT, FakeProvider, FakeSession } from './provider-fake-session.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const tool = (name: string): ToolSpec => ({ name, description: name, parameters: { type: 'object' } });

async function setup(
  options: {
    tools?: ToolSpec[];
    linked?: ToolSpec[][];
    scheduler?: TestScheduler;
    drainTimeoutMs?: number;
    stopDeadline?: () => number | undefined;
  } = {},
) {
  const log: string[] = [];
  const session = new FakeSession(log);
  const provider = new FakeProvider(session);
  const spec = defineProviderNode({
    type: 'provider.fake',
    summary: 'test provider',
    config: z.object({ prompt: z.string().default('Be brief.') }).strict(),
    capabilities: () => FAKE_CAPS,
    createProvider: () => provider,
    context: (c) => ({ systemPrompt: c.prompt, tools: options.tools ?? [] }),
    drainTimeoutMs: options.drainTimeoutMs ?? 1000,
  });
  const audioIn = new Subject<Frame>();
  const toolResults = new Subject<Frame>();
  const control = new Subject<Frame>();
  const h = await runNode(spec, {
    id: 'agent',
    inputs: { audio: audioIn, toolResults, control },
    linkedOffers: { tools: options.linked ?? [] },
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.stopDeadline ? { stopDeadline: options.stopDeadline } : {}),
  });
  const out: Record<string, Frame[]> = {};
  const ended: Record<string, string> = {};
  for (const [port, stream] of Object.entries(h.outputs)) {
    out[port] = [];
    stream?.subscribe({
      next: (frame) => out[port].push(frame),
      complete: () => {
        ended[port] = 'complete';
      },
      error: (e: Error) => {
        ended[port] = `error: ${e.message}`;
      },
    });
  }
  await flush();
  return { h, session, provider, log, out, ended, audioIn, toolResults, control };
}

describe('provider node lifecycle', () => {
  it('opens the session on subscription with the context and the linked tools, each once', async () => {
    const { h, provider } = await setup({ tools: [tool('clock')], linked: [[tool('weather'), tool('clock')]] });
    expect(provider.context?.systemPrompt).toBe('Be brief.');
    expect(provider.context?.tools?.map((t) => t.name)).toEqual(['clock', 'weather']);
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        code: 'duplicate-tool',
        message: 'provider.fake "agent": tool "clock" is offered twice; using the first',
      }),
    );
  });

  it('forwards audio, local VAD events, text and tool results to the session', async () => {
    const { session, log, audioIn, control, toolResults } = await setup();
    audioIn.next({ kind: 'audio', timestamp: 0, format: FAKE_FORMAT, samples: new Int16Array(480) });
    audioIn.next({ kind: 'speech-stop', timestamp: 20, source: 'vad' });
    control.next({ kind: 'text', timestamp: 30, text: 'hello' });
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.emit({ type: 'tool-call', id: 'c1', name: 'clock', arguments: '{}', responseId: 'r1' });
    toolResults.next({ kind: 'tool-result', timestamp: 40, id: 'c1', output: '"noon"' });
    toolResults.next({ kind: 'tool-result', timestamp: 41, id: 'c2', output: 'oops', isError: true });
    expect(log).toEqual([
      'start tools=',
      'sendAudio 0',
      'speechStopped 20',
      'sendText hello',
      'sendToolResult c1 "noon"',
      'sendToolResult c2 oops (error)',
    ]);
  });

  it('maps session events to frames on the transcripts, toolCalls and events ports', async () => {
    const { session, out } = await setup();
    session.emit({ type: 'speech-start', timestamp: 100 });
    session.emit({ type: 'speech-stop', timestamp: 900 });
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.emit({ type: 'transcript', role: 'assistant', text: 'Hi', final: true, responseId: 'r1' });
    session.emit({ type: 'tool-call', id: 'c1', name: 'clock', arguments: '{"tz":"UTC"}', responseId: 'r1' });
    session.emit({
      type: 'response-done',
      responseId: 'r1',
      status: 'completed',
      usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 },
    });
    expect(out.events.map((f) => `${f.kind}${'source' in f ? `:${f.source}@${f.timestamp}` : ''}`)).toEqual([
      'speech-start:server@100',
      'speech-stop:server@900',
      'response-start',
      'response-done',
    ]);
    expect(out.transcripts).toEqual([
      expect.objectContaining({ kind: 'transcript', role: 'assistant', text: 'Hi', final: true, responseId: 'r1' }),
    ]);
    expect(out.toolCalls).toEqual([
      expect.objectContaining({
        kind: 'tool-call',
        id: 'c1',
        name: 'clock',
        arguments: '{"tz":"UTC"}',
        responseId: 'r1',
      }),
    ]);
    expect(out.events[3]).toMatchObject({ kind: 'response-done', status: 'completed', usage: { totalTokens: 12 } });
  });

  it('reports latency marks, time to first audio and token usage on the bus', async () => {
    const scheduler = new TestScheduler(() => {});
    const { h, session, audioIn } = await setup({ scheduler });
    scheduler.schedule(() => audioIn.next({ kind: 'speech-stop', timestamp: 900, source: 'vad' }), 100);
    scheduler.schedule(() => session.emit({ type: 'response-start', responseId: 'r1' }), 250);
    scheduler.schedule(() => session.audio('r1', 40), 420);
    scheduler.schedule(
      () =>
        session.emit({
          type: 'response-done',
          responseId: 'r1',
          status: 'completed',
          usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
        }),
      500,
    );
    scheduler.flush();
    const bus = h.events
      .filter((e) => e.type === 'mark' || e.type === 'metric')
      .map((e) => {
        if (e.type === 'mark') return `${e.time} mark ${e.name} ${JSON.stringify(e.data)}`;
        return e.type === 'metric' ? `${e.time} metric ${e.name}=${e.value}${e.unit}` : '';
      });
    expect(bus).toEqual([
      '250 mark response-start {"responseId":"r1"}',
      '420 metric turn.provider_first_audio=320ms',
      '420 mark first-audio {"responseId":"r1","sinceResponseStartMs":170,"sinceTurnEndMs":320}',
      '500 mark turn {"responseId":"r1","status":"completed","interrupted":false,"playedMs":0,"providerFirstAudioMs":320}',
      '500 mark response-done {"responseId":"r1","status":"completed","audioMs":40,"durationMs":250}',
      '500 metric provider.tokens.input=3tokens',
      '500 metric provider.tokens.output=4tokens',
      '500 metric provider.tokens.total=7tokens',
    ]);
  });

  it('on end of input, finishes the current response and its tool round trip, then closes and completes', async () => {
    const { session, log, ended, audioIn, toolResults } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.emit({ type: 'tool-call', id: 'c1', name: 'clock', arguments: '{}', responseId: 'r1' });
    session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' });
    audioIn.complete();
    await flush();
    expect(ended).toEqual({});
    toolResults.next({ kind: 'tool-result', timestamp: 0, id: 'c1', output: 'noon' });
    session.emit({ type: 'response-start', responseId: 'r2' });
    await flush();
    expect(ended).toEqual({});
    session.emit({ type: 'response-done', responseId: 'r2', status: 'completed' });
    await flush();
    expect(log.at(-1)).toBe('close');
    expect(ended).toEqual({ audio: 'complete', transcripts: 'complete', toolCalls: 'complete', events: 'complete' });
  });

  it('closes after the drain bound when the response never ends, with a warning', async () => {
    const scheduler = new TestScheduler(() => {});
    const { h, session, log, ended, audioIn } = await setup({ scheduler, drainTimeoutMs: 500 });
    session.emit({ type: 'response-start', responseId: 'r1' });
    scheduler.schedule(() => audioIn.complete(), 100);
    scheduler.flush();
    await flush();
    expect(log.at(-1)).toBe('close');
    expect(ended.audio).toBe('complete');
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        time: 600,
        code: 'drain-timeout',
        message: 'provider.fake "agent": still responding 500 ms after the audio input ended; closing the session',
      }),
    );
  });

  it("on stop, the pipeline's deadline governs the drain: an 8 s reply under a 10 s stop is not cut at the node's 5 s", async () => {
    const scheduler = new TestScheduler(() => {});
    scheduler.maxFrames = 20_000;
    let deadline: number | undefined;
    const { h, session, log, ended, audioIn } = await setup({
      scheduler,
      drainTimeoutMs: 5000,
      stopDeadline: () => deadline,
    });
    session.emit({ type: 'response-start', responseId: 'r1' });
    scheduler.schedule(() => {
      // pipeline.stop({ timeoutMs: 10_000 }) at 100: the sources end, then the audio input.
      deadline = 100 + 10_000;
      audioIn.complete();
    }, 100);
    scheduler.schedule(() => session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' }), 8100);
    scheduler.flush();
    await flush();
    expect(log.at(-1)).toBe('close');
    expect(ended.audio).toBe('complete');
    expect(h.events.filter((e) => e.type === 'warning' && e.code === 'drain-timeout')).toEqual([]);
  });

  it('a stop that begins while the node drains on its own moves its limit out to the stop deadline', async () => {
    const scheduler = new TestScheduler(() => {});
    scheduler.maxFrames = 20_000;
    let deadline: number | undefined;
    const { h, session, log, audioIn } = await setup({ scheduler, drainTimeoutMs: 500, stopDeadline: () => deadline });
    session.emit({ type: 'response-start', responseId: 'r1' });
    scheduler.schedule(() => audioIn.complete(), 100);
    scheduler.schedule(() => {
      deadline = 300 + 2000;
    }, 300);
    scheduler.flush();
    await flush();
    expect(log.at(-1)).toBe('close');
    expect(h.events.filter((e) => e.type === 'warning' && e.code === 'drain-timeout')).toEqual([
      expect.objectContaining({
        time: 2300,
        message: 'provider.fake "agent": still responding 2200 ms after the audio input ended; closing the session',
      }),
    ]);
  });

  it('ends after the current response on an end-session control event', async () => {
    const { h, session, log, ended } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    h.sendControl({ type: 'end-session', source: 'tools', reason: 'user said goodbye' });
    await flush();
    expect(ended).toEqual({});
    session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' });
    await flush();
    expect(log.at(-1)).toBe('close');
    expect(ended.events).toBe('complete');
  });

  it('reports a fatal session error on the bus and errors every output with a clear message', async () => {
    const { h, session, log, ended } = await setup();
    const { S2SError } = await import('@beluga-voice/core');
    session.emit({ type: 'error', error: new S2SError('auth', 'invalid API key', { fatal: true }) });
    await flush();
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'error',
        code: 'auth',
        fatal: true,
        message: 'provider.fake "agent": invalid API key',
      }),
    );
    expect(ended).toEqual({
      audio: 'error: provider.fake "agent": invalid API key',
      transcripts: 'error: provider.fake "agent": invalid API key',
      toolCalls: 'error: provider.fake "agent": invalid API key',
      events: 'error: provider.fake "agent": invalid API key',
    });
    expect(log.at(-1)).toBe('close');
  });

  it("forwards the session's warnings (audio lost, replay incomplete) to the bus with the node named", async () => {
    const { h, session, ended } = await setup();
    session.emit({ type: 'warning', code: 'audio-dropped', message: '500 ms of user audio dropped' });
    await flush();
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        node: 'agent',
        code: 'audio-dropped',
        message: 'provider.fake "agent": 500 ms of user audio dropped',
      }),
    );
    expect(ended).toEqual({});
  });

  it('reports a rejected call once on the bus and keeps running', async () => {
    const { h, toolResults, ended } = await setup();
    toolResults.next({ kind: 'tool-result', timestamp: 0, id: 'unknown', output: 'x' });
    toolResults.next({ kind: 'tool-result', timestamp: 1, id: 'unknown', output: 'x' });
    const errors = h.events.filter((e) => e.type === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'unknown-tool-call',
        fatal: false,
        message: 'provider.fake "agent": no tool call "unknown"',
      }),
    ]);
    expect(ended).toEqual({});
  });

  it('closes the session when the node is closed (abort)', async () => {
    const { h, log } = await setup();
    await h.close();
    expect(log.at(-1)).toBe('close');
  });
});
