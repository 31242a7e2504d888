import { FailoverProvider, type FailoverSwitch, type S2SEvent, type S2SSession } from '@beluga-voice/core';
import { type SessionProbe, testUtterance } from '@beluga-voice/core/testing';
import { OpenAIRealtimeProvider } from '@beluga-voice/provider-openai-realtime';
import type { SchedulerLike } from 'rxjs';
import { GeminiLiveProvider } from '../../src/index.js';

export const OPENAI_KEY = 'sk-failover-openai-0123456789';
export const GEMINI_KEY = 'AIza-failover-gemini-0123456789';

/** OpenAI first, Gemini second, both against local mocks; switches are recorded. */
export function failoverPair(
  urls: { openai: string; gemini: string },
  options: { cooldownMs?: number; scheduler?: SchedulerLike; openaiKey?: string; geminiKey?: string } = {},
) {
  const switches: FailoverSwitch[] = [];
  const provider = new FailoverProvider({
    providers: [
      {
        name: 'openai-realtime',
        create: () =>
          new OpenAIRealtimeProvider({
            apiKey: options.openaiKey ?? OPENAI_KEY,
            baseUrl: urls.openai,
            reconnect: { maxAttempts: 1, initialDelayMs: 20, maxDelayMs: 20, jitter: 0 },
          }),
      },
      {
        name: 'gemini-live',
        create: () =>
          new GeminiLiveProvider({
            apiKey: options.geminiKey ?? GEMINI_KEY,
            baseUrl: urls.gemini,
            reconnect: { maxAttempts: 0, initialDelayMs: 20, maxDelayMs: 20 },
          }),
      },
    ],
    cooldownMs: options.cooldownMs ?? 60_000,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    onSwitch: (s) => switches.push(s),
  });
  return { provider, switches };
}

/** A spoken turn at 24 kHz (the failover's input format). */
export function speak(session: S2SSession): void {
  for (const frame of testUtterance({ encoding: ['pcm16'], sampleRate: [24_000], channels: [1] }).frames)
    session.sendAudio(frame);
}

export function doneStatuses(probe: SessionProbe, from = 0): string[] {
  return probe.events
    .slice(from)
    .filter((e): e is Extract<S2SEvent, { type: 'response-done' }> => e.type === 'response-done')
    .map((e) => e.status);
}

export function finalTranscripts(probe: SessionProbe, from = 0): string[] {
  return probe.events
    .slice(from)
    .filter((e): e is Extract<S2SEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final)
    .map((e) => `${e.role}: ${e.text}`);
}
