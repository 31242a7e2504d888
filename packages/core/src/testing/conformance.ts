import { afterEach, describe, expect, it } from 'vitest';
import { type AudioFormat, formatToString, sameFormat } from '../audio-format.js';
import { capsAccept } from '../caps.js';
import { audioDurationMs } from '../frames.js';
import type { ConversationContext, S2SEvent, S2SProvider, S2SSession, ToolSpec } from '../provider/s2s.js';
import { eventOrderViolations } from './event-order.js';
import { SessionProbe } from './session-probe.js';
import { type TestUtterance, testUtterance } from './test-utterance.js';
import { TrackingScheduler } from './tracking-scheduler.js';

/**
 * `reply`: the provider answers a user turn with audio. `tool-call`: it answers the first user
 * turn by calling `CONFORMANCE_TOOL`, then replies once the result is in.
 */
export type ConformanceScenario = 'reply' | 'tool-call';

export interface ConformanceEnv {
  /** Providers that take a scheduler should use it: the suite checks that close leaves no timer. */
  readonly scheduler: TrackingScheduler;
}

export type ConformanceFactory = (
  scenario: ConformanceScenario,
  env: ConformanceEnv,
) => S2SProvider | Promise<S2SProvider>;

export interface ConformanceOptions {
  /** Which scenarios the provider supports; `tool-call` is required when it declares tools. Default: both. */
  readonly scenarios?: readonly ConformanceScenario[];
  /** Context every session starts from (the suite adds `CONFORMANCE_TOOL` for `tool-call`). */
  readonly context?: ConversationContext;
  /** Time limit for each awaited event (default 10000 ms). */
  readonly timeoutMs?: number;
  /** Send test audio at playback speed instead of all at once (for server VADs that need it). */
  readonly realtimeInput?: boolean;
  /** Open resources (sockets, timers, handles) the provider holds; must be 0 after every close. */
  readonly resources?: () => number | Promise<number>;
  /** How long to watch for stray events after an interruption (default 300 ms). */
  readonly settleMs?: number;
}

/** The tool the `tool-call` scenario offers and expects to be called. */
export const CONFORMANCE_TOOL: ToolSpec = {
  name: 'lookup_order',
  description: 'Looks up the status of an order by its number.',
  parameters: {
    type: 'object',
    properties: { order: { type: 'string', description: 'Order number' } },
    required: ['order'],
    additionalProperties: false,
  },
};

interface Opened {
  readonly provider: S2SProvider;
  readonly session: S2SSession;
  readonly probe: SessionProbe;
  readonly env: ConformanceEnv;
  readonly utterance: TestUtterance;
}

/**
 * Registers the conformance suite for a provider with vitest. Every S2S provider passes it:
 * sessions open and close cleanly, audio in gives audio out in the declared caps, tool calls
 * round-trip, interruption stops output and reports what was played, invalid input fails with
 * typed errors, close releases everything, events come in a valid order, `for await` works.
 */
export function describeProviderConformance(
  name: string,
  factory: ConformanceFactory,
  options: ConformanceOptions = {},
): void {
  const scenarios = options.scenarios ?? ['reply', 'tool-call'];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const settleMs = options.settleMs ?? 300;
  const testTimeout = timeoutMs * 4 + 10_000;

  describe(`S2S provider conformance: ${name}`, () => {
    const opened: Opened[] = [];

    const open = async (scenario: ConformanceScenario): Promise<Opened> => {
      const env: ConformanceEnv = { scheduler: new TrackingScheduler() };
      const provider = await factory(scenario, env);
      const base = options.context ?? {};
      const context: ConversationContext =
        scenario === 'tool-call' ? { ...base, tools: [...(base.tools ?? []), CONFORMANCE_TOOL] } : base;
      const session = await provider.startSession(context);
      const probe = new SessionProbe(session, timeoutMs);
      const utterance = testUtterance(provider.capabilities.input);
      const entry = { provider, session, probe, env, utterance };
      opened.push(entry);
      return entry;
    };

    const speak = async ({ probe, provider, utterance }: Opened) => {
      if (options.realtimeInput) await probe.sendUtteranceRealtime(utterance, provider.capabilities.serverVad);
      else probe.sendUtterance(utterance, provider.capabilities.serverVad);
    };

    const expectReleased = async ({ probe, env }: Opened) => {
      await probe.completed;
      expect(env.scheduler.pending, 'timers still scheduled after close').toBe(0);
      if (options.resources) expect(await options.resources(), 'resources still open after close').toBe(0);
    };

    afterEach(async () => {
      for (const entry of opened.splice(0)) {
        await entry.session.close();
        entry.probe.dispose();
        expect(eventOrderViolations(entry.probe.events, { ended: true })).toEqual([]);
      }
    });

    it('declares capabilities that match the scenarios it runs', async () => {
      const { provider } = await open('reply');
      const caps = provider.capabilities;
      expect(provider.name).toMatch(/\S/);
      expect(caps.output.channels).toBeGreaterThan(0);
      expect(caps.output.sampleRate).toBeGreaterThan(0);
      expect(
        wrongFormat(caps.input),
        'capabilities.input accepts every format; declare what sendAudio takes',
      ).toBeDefined();
      expect(scenarios.includes('tool-call'), 'a provider with tools must run the tool-call scenario').toBe(caps.tools);
    });

    it('opens a session and closes it cleanly', async () => {
      const entry = await open('reply');
      const { session, probe } = entry;
      expect(session.id).toMatch(/\S/);
      await probe.waitFor('session-started', (e) => e.type === 'session-started');
      expect(probe.events[0]?.type).toBe('session-started');
      expect(session.interrupt({ playedMs: 0 }), 'interrupt() with nothing playing').toBeNull();
      await session.close();
      await expectReleased(entry);
      expect(probe.events.at(-1)?.type).toBe('closed');
      await expect(session.close(), 'a second close() is a no-op').resolves.toBeUndefined();
    });

    it(
      'answers audio in the declared input caps with audio in the declared output caps',
      async () => {
        const entry = await open('reply');
        const { provider, probe } = entry;
        expect(capsAccept(provider.capabilities.input, entry.utterance.format)).toBe(true);
        await speak(entry);
        const firstAudio = await probe.waitFor<Extract<S2SEvent, { type: 'audio' }>>(
          'audio out',
          (e) => e.type === 'audio',
        );
        await probe.waitFor(
          'response-done',
          (e) => e.type === 'response-done' && e.responseId === firstAudio.responseId,
        );
        const audio = probe.events.filter((e): e is Extract<S2SEvent, { type: 'audio' }> => e.type === 'audio');
        for (const { frame, responseId } of audio) {
          expectFormat(frame.format, provider.capabilities.output);
          expect(frame.samples.length % frame.format.channels).toBe(0);
          if (frame.responseId !== undefined) expect(frame.responseId).toBe(responseId);
        }
        const replyMs = audio
          .filter((e) => e.responseId === firstAudio.responseId)
          .reduce((ms, e) => ms + audioDurationMs(e.frame), 0);
        expect(replyMs).toBeGreaterThan(0);
        const linear =
          provider.capabilities.output.encoding === 'pcm16' || provider.capabilities.output.encoding === 'f32';
        if (linear) expect(peak(audio.map((e) => e.frame.samples)), 'the reply is not silent').toBeGreaterThan(0);
        expect(eventOrderViolations(probe.events)).toEqual([]);
      },
      testTimeout,
    );

    if (scenarios.includes('tool-call')) {
      it(
        'round-trips a tool call: call, result, continued reply',
        async () => {
          const entry = await open('tool-call');
          const { session, probe } = entry;
          await speak(entry);
          const call = await probe.waitFor<Extract<S2SEvent, { type: 'tool-call' }>>(
            'tool-call',
            (e) => e.type === 'tool-call',
          );
          expect(call.name).toBe(CONFORMANCE_TOOL.name);
          expect(() => JSON.parse(call.arguments), 'tool call arguments are JSON').not.toThrow();
          const callIndex = probe.events.indexOf(call);
          const callResponse = lastResponseStart(probe.events.slice(0, callIndex));
          expect(callResponse, 'the tool call comes inside a response').toBeDefined();
          await probe.waitFor(
            'response-done of the tool call response',
            (e) => e.type === 'response-done' && e.responseId === callResponse,
          );
          const resultIndex = probe.events.length;
          session.sendToolResult({ id: call.id, output: JSON.stringify({ order: 'A-1', status: 'shipped' }) });
          const next = await probe.waitFor<Extract<S2SEvent, { type: 'response-start' }>>(
            'a response after the tool result',
            (e) => e.type === 'response-start',
            resultIndex,
          );
          const done = await probe.waitFor<Extract<S2SEvent, { type: 'response-done' }>>(
            'response-done after the tool result',
            (e) => e.type === 'response-done' && e.responseId === next.responseId,
            resultIndex,
          );
          expect(done.status).toBe('completed');
          const said = probe.events
            .slice(resultIndex)
            .some(
              (e) =>
                (e.type === 'audio' || (e.type === 'transcript' && e.role === 'assistant')) &&
                e.responseId === next.responseId,
            );
          expect(said, 'the continued reply has audio or an assistant transcript').toBe(true);
          expect(eventOrderViolations(probe.events)).toEqual([]);
        },
        testTimeout,
      );
    }

    it(
      'stops output on interrupt and reports how much was played',
      async () => {
        const entry = await open('reply');
        const { session, probe } = entry;
        let interrupted:
          | { responseId: string; requested: number; result: ReturnType<S2SSession['interrupt']>; at: number }
          | undefined;
        probe.onEvent((event) => {
          if (interrupted || event.type !== 'audio') return;
          const requested = audioDurationMs(event.frame) / 2;
          const at = probe.events.length;
          interrupted = {
            responseId: event.responseId,
            requested,
            at,
            result: session.interrupt({ playedMs: requested }),
          };
        });
        await speak(entry);
        await probe.waitFor('audio out', (e) => e.type === 'audio');
        const cut = interrupted as NonNullable<typeof interrupted>;
        expect(cut.result?.responseId).toBe(cut.responseId);
        expect(cut.result?.playedMs).toBeCloseTo(cut.requested, 3);
        const done = await probe.waitFor<Extract<S2SEvent, { type: 'response-done' }>>(
          'response-done of the interrupted response',
          (e) => e.type === 'response-done' && e.responseId === cut.responseId,
        );
        expect(done.status).toBe('cancelled');
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        const later = probe.events.slice(cut.at);
        expect(
          later.filter((e) => e.type === 'audio' && e.responseId === cut.responseId),
          'audio after interrupt()',
        ).toEqual([]);
        const report = later.find((e) => e.type === 'interrupted');
        if (report?.type === 'interrupted') expect(report.playedMs).toBeCloseTo(cut.requested, 3);
        expect(session.interrupt(), 'a second interrupt() has nothing to stop').toBeNull();
      },
      testTimeout,
    );

    it('rejects invalid input with typed, clear errors', async () => {
      const entry = await open('reply');
      const { session, provider } = entry;
      const wrong = wrongFormat(provider.capabilities.input) as AudioFormat;
      const frame = testUtterance(
        { encoding: [wrong.encoding], sampleRate: [wrong.sampleRate], channels: [wrong.channels] },
        { prefer: wrong },
      ).frames[0];
      expectS2SError(() => session.sendAudio(frame), 'invalid-input', formatToString(wrong));
      expectS2SError(
        () => session.sendToolResult({ id: 'no-such-call', output: '{}' }),
        'unknown-tool-call',
        'no-such-call',
      );
      await session.close();
      expectS2SError(() => session.sendAudio(entry.utterance.frames[0]), 'closed', 'close');
      expectS2SError(() => session.sendText('hello'), 'closed', 'close');
      expectS2SError(() => session.sendToolResult({ id: 'x', output: '{}' }), 'closed', 'close');
      expectS2SError(() => session.speechStopped(0), 'closed', 'close');
      await expectReleased(entry);
    });

    it(
      'releases every resource when closed during a response',
      async () => {
        const entry = await open('reply');
        const { session, probe } = entry;
        await speak(entry);
        const start = await probe.waitFor<Extract<S2SEvent, { type: 'response-start' }>>(
          'response-start',
          (e) => e.type === 'response-start',
        );
        await session.close();
        await expectReleased(entry);
        expect(probe.events.some((e) => e.type === 'response-done' && e.responseId === start.responseId)).toBe(true);
        expect(eventOrderViolations(probe.events, { ended: true })).toEqual([]);
      },
      testTimeout,
    );

    it(
      'can be read with for await',
      async () => {
        const entry = await open('reply');
        const { session } = entry;
        const seen: S2SEvent['type'][] = [];
        const reading = (async () => {
          for await (const event of session) {
            seen.push(event.type);
            if (event.type === 'response-done') break;
          }
        })();
        await speak(entry);
        await Promise.race([
          reading,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`no response-done through for await (${seen.join(', ')})`)), timeoutMs),
          ),
        ]);
        expect(seen[0]).toBe('session-started');
        expect(seen).toContain('audio');
        const after: S2SEvent['type'][] = [];
        const draining = (async () => {
          for await (const event of session) after.push(event.type);
        })();
        await session.close();
        await draining;
        expect(after.at(-1), 'the iteration ends with the session').toBe('closed');
      },
      testTimeout,
    );
  });
}

/** A format the caps reject, or `undefined` when they accept everything. */
function wrongFormat(caps: {
  encoding?: readonly string[];
  sampleRate?: readonly number[];
  channels?: readonly number[];
}): AudioFormat | undefined {
  const base: AudioFormat = {
    encoding: 'pcm16',
    sampleRate: caps.sampleRate?.[0] ?? 24_000,
    channels: caps.channels?.[0] ?? 1,
  };
  if (caps.sampleRate) {
    const rate = [8000, 11025, 16000, 22050, 24000, 44100, 48000].find((r) => !caps.sampleRate?.includes(r)) as number;
    return { ...base, encoding: caps.encoding?.includes('pcm16') === false ? 'f32' : 'pcm16', sampleRate: rate };
  }
  if (caps.channels) return { ...base, channels: caps.channels.includes(2) ? 3 : 2 };
  if (caps.encoding) return { ...base, encoding: caps.encoding.includes('f32') ? 'pcm16' : 'f32' };
  return undefined;
}

function expectFormat(got: AudioFormat, declared: AudioFormat): void {
  expect(sameFormat(got, declared), `audio is ${formatToString(got)}, declared ${formatToString(declared)}`).toBe(true);
}

function expectS2SError(fn: () => void, code: string, mentions: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected an S2SError "${code}"`).toBeInstanceOf(Error);
  const error = caught as Error & { code?: string };
  expect(error.name).toBe('S2SError');
  expect(error.code).toBe(code);
  expect(error.message).toContain(mentions);
}

function lastResponseStart(events: readonly S2SEvent[]): string | undefined {
  const open = new Set<string>();
  let last: string | undefined;
  for (const e of events) {
    if (e.type === 'response-start') {
      open.add(e.responseId);
      last = e.responseId;
    } else if (e.type === 'response-done') {
      open.delete(e.responseId);
    }
  }
  return last !== undefined && open.has(last) ? last : undefined;
}

function peak(chunks: readonly ArrayLike<number>[]): number {
  let max = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) max = Math.max(max, Math.abs(chunk[i]));
  return max;
}
