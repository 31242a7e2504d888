import { FailoverProvider, type FailoverSwitch } from '@beluga-voice/core';
import { SessionProbe } from '@beluga-voice/core/testing';
import { OpenAIRealtimeProvider } from '@beluga-voice/provider-openai-realtime';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { finalTranscripts, GEMINI_KEY, OPENAI_KEY, speak } from './support/failover.js';

let openai: MockServer;
let gemini: GeminiMockServer;

beforeEach(async () => {
  openai = await startMockServer({ apiKey: OPENAI_KEY, script: { chunkIntervalMs: 0 } });
  gemini = await startGeminiMockServer({ apiKey: GEMINI_KEY });
});
afterEach(async () => {
  await openai.close();
  await gemini.close();
});

it('a Gemini server error (close 1011) moves the conversation to OpenAI, with a switch span and the history', async () => {
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
  const switches: FailoverSwitch[] = [];
  const provider = new FailoverProvider({
    providers: [
      { name: 'gemini-live', create: () => new GeminiLiveProvider({ apiKey: GEMINI_KEY, baseUrl: gemini.url }) },
      {
        name: 'openai-realtime',
        create: () => new OpenAIRealtimeProvider({ apiKey: OPENAI_KEY, baseUrl: openai.baseUrl }),
      },
    ],
    onSwitch: (s) => switches.push(s),
  });
  const session = await provider.startSession({}, { tracer });
  const probe = new SessionProbe(session, 10_000);
  speak(session);
  await probe.waitFor('Gemini reply', (e) => e.type === 'response-done');
  gemini.injectFault({ type: 'server-error' });
  await probe.waitFor('switch', (e) => e.type === 'reconnected');
  const mark = probe.events.length;
  speak(session);
  await probe.waitFor('OpenAI reply', (e) => e.type === 'response-done' && e.status === 'completed', mark);
  expect(finalTranscripts(probe, mark)).toContain('assistant: Sure, I can help with that.');
  expect(switches.map((s) => [s.from, s.to, s.code])).toEqual([['gemini-live', 'openai-realtime', 'server']]);
  // The earlier turn reached OpenAI as conversation items before the new audio.
  const items = openai.received
    .filter((e) => e.event.type === 'conversation.item.create')
    .map((e) => (e.event as { item: { role: string; content: { text?: string }[] } }).item);
  expect(items.map((i) => [i.role, i.content[0].text])).toEqual([
    ['user', 'hello'],
    ['assistant', 'I heard you. I have 1 earlier messages in context.'],
  ]);
  const span = spans.getFinishedSpans().find((s) => s.name === 'provider.failover.switch');
  expect(span?.attributes).toMatchObject({
    'failover.from': 'gemini-live',
    'failover.to': 'openai-realtime',
    'failover.reason': 'server',
  });
  await session.close();
  probe.dispose();
});
