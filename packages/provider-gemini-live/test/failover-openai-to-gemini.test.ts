import type { S2SEvent, S2SSession } from '@beluga-voice/core';
import { SessionProbe } from '@beluga-voice/core/testing';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { doneStatuses, failoverPair, finalTranscripts, GEMINI_KEY, OPENAI_KEY, speak } from './support/failover.js';

let openai: MockServer;
let gemini: GeminiMockServer;
let session: S2SSession | undefined;
let probe: SessionProbe | undefined;

beforeEach(async () => {
  openai = await startMockServer({ apiKey: OPENAI_KEY, script: { chunkIntervalMs: 0 } });
  gemini = await startGeminiMockServer({ apiKey: GEMINI_KEY });
});
afterEach(async () => {
  await session?.close();
  probe?.dispose();
  session = undefined;
  await openai.close();
  await gemini.close();
});

const OPENAI_REPLY = 'assistant: Sure, I can help with that.';

describe('provider.failover with the OpenAI and Gemini mocks', () => {
  it('OpenAI mock killed mid-conversation: the next turn is answered by Gemini with the earlier turns in its context', async () => {
    const { provider, switches } = failoverPair({ openai: openai.baseUrl, gemini: gemini.url });
    session = await provider.startSession({ systemPrompt: 'Be brief.' });
    probe = new SessionProbe(session, 10_000);
    speak(session);
    await probe.waitFor('first reply done', (e) => e.type === 'response-done');
    await probe.waitFor('user transcript', (e) => e.type === 'transcript' && e.role === 'user' && e.final);
    expect(doneStatuses(probe)).toEqual(['completed']);
    const firstTurn = finalTranscripts(probe);
    expect(firstTurn).toContain(OPENAI_REPLY);
    const userLine = firstTurn.find((t) => t.startsWith('user: ')) as string;

    await openai.close();
    // The user keeps talking while the failover finds the next provider: nothing may be lost.
    const mark = probe.events.length;
    speak(session);
    await probe.waitFor('switch', (e) => e.type === 'reconnected', mark);
    await probe.waitFor('Gemini reply', (e) => e.type === 'response-done' && e.status === 'completed', mark);

    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({ from: 'openai-realtime', to: 'gemini-live', code: 'connection', droppedMs: 0 });
    // Audio sent after the kill is either held (failure noticed) or replayed (swallowed by the dying socket).
    expect(switches[0].bufferedMs + switches[0].replayedMs).toBeCloseTo(2700, -1);
    const context = gemini.connections[0].context;
    // Replayed as text before the new turn: the earlier user turn and the OpenAI reply.
    expect(context.slice(0, 2)).toEqual([userLine, `model: ${OPENAI_REPLY.slice('assistant: '.length)}`]);
    expect(context[2]).toBe('user: hello');
    const after = probe.events.slice(mark);
    expect(finalTranscripts(probe, mark)).toContain('assistant: I heard you. I have 3 earlier messages in context.');
    const audio = after.filter((e): e is Extract<S2SEvent, { type: 'audio' }> => e.type === 'audio');
    expect(audio.length).toBeGreaterThan(0);
    for (const e of audio) expect(e.frame.format).toEqual({ encoding: 'pcm16', sampleRate: 24_000, channels: 1 });
    const errors = after.flatMap((e) => (e.type === 'error' ? [e.error.message] : []));
    expect(errors).toEqual([
      'provider.openai-realtime: connection lost (close 1006); reconnecting',
      expect.stringMatching(
        /^provider\.failover: openai-realtime failed \(.+could not reconnect.+\); switching provider$/,
      ),
    ]);
    expect(JSON.stringify(probe.events)).not.toContain(OPENAI_KEY);
  });

  it('a rate limit from OpenAI switches to Gemini, which answers the turn OpenAI refused', async () => {
    const { provider, switches } = failoverPair({ openai: openai.baseUrl, gemini: gemini.url });
    session = await provider.startSession({});
    probe = new SessionProbe(session, 10_000);
    openai.injectFault({ type: 'rate-limit' });
    speak(session);
    await probe.waitFor('switch', (e) => e.type === 'reconnected');
    await probe.waitFor('Gemini reply', (e) => e.type === 'response-done' && e.status === 'completed');
    expect(switches.map((s) => [s.from, s.to, s.code])).toEqual([['openai-realtime', 'gemini-live', 'rate-limit']]);
    expect(doneStatuses(probe)).toEqual(['failed', 'completed']);
    // The refused turn's audio, held since the last reply, is spoken again to Gemini (at 16 kHz).
    const sentMs = gemini.received
      .map((m) => (m.realtimeInput as { audio?: { data: string; mimeType: string } } | undefined)?.audio)
      .filter((a) => a !== undefined)
      .reduce((ms, a) => {
        expect(a.mimeType).toBe('audio/pcm;rate=16000');
        return ms + Buffer.from(a.data, 'base64').byteLength / 32;
      }, 0);
    expect(sentMs).toBeCloseTo(2700, -1);
    expect(gemini.connections[0].context.at(-2)).toBe('user: hello');
  });
});
