import {
  type AudioFrame,
  FailoverProvider,
  type FailoverSwitch,
  S2SError,
  type S2SEvent,
  type S2SProvider,
  type S2SSession,
} from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { FAKE_CAPS, FakeSession } from './provider-fake-session.js';

const frame = (timestamp: number): AudioFrame => ({
  kind: 'audio',
  timestamp,
  format: { encoding: 'pcm16', sampleRate: 24_000, channels: 1 },
  samples: new Int16Array(480).fill(100),
});

/** A provider whose session opens when the test says so. */
function gatedProvider(name: string, session: FakeSession) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const provider: S2SProvider = {
    name,
    capabilities: FAKE_CAPS,
    startSession: async (): Promise<S2SSession> => {
      await gate;
      return session;
    },
  };
  return { provider, open };
}

describe('FailoverSession switching', () => {
  it('holds input up to bufferMs while the next provider opens, reports what it dropped, and routes a late tool result as text', async () => {
    const firstLog: string[] = [];
    const secondLog: string[] = [];
    const first = new FakeSession(firstLog);
    const second = new FakeSession(secondLog);
    const gated = gatedProvider('b', second);
    let secondAsked = 0;
    const switches: FailoverSwitch[] = [];
    const failover = new FailoverProvider({
      providers: [
        { name: 'a', create: () => ({ name: 'a', capabilities: FAKE_CAPS, startSession: async () => first }) },
        {
          name: 'b',
          create: () => {
            secondAsked++;
            return gated.provider;
          },
        },
      ],
      bufferMs: 100,
      onSwitch: (s) => switches.push(s),
    });
    const session = await failover.startSession({});
    const events: S2SEvent[] = [];
    session.events$.subscribe((e) => events.push(e));
    first.emit({ type: 'response-start', responseId: 'r1' });
    first.emit({ type: 'tool-call', id: 'call-1', name: 'lookup', arguments: '{}', responseId: 'r1' });
    first.emit({ type: 'response-done', responseId: 'r1', status: 'completed' });
    first.emit({ type: 'error', error: new S2SError('server', 'boom', { fatal: true }) });
    expect(secondAsked).toBe(1);
    // 200 ms of audio while b is opening: the oldest 100 ms cannot be held.
    for (let t = 0; t < 200; t += 20) session.sendAudio(frame(t));
    session.sendToolResult({ id: 'call-1', output: '{"ok":true}' });
    expect(secondLog).toEqual([]);
    gated.open();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(secondLog).toEqual([
      'sendAudio 100',
      'sendAudio 120',
      'sendAudio 140',
      'sendAudio 160',
      'sendAudio 180',
      'sendText [result of lookup (call call-1): {"ok":true}]',
    ]);
    expect(switches).toEqual([
      {
        from: 'a',
        to: 'b',
        reason: 'boom',
        code: 'server',
        bufferedMs: 100,
        replayedMs: 0,
        droppedMs: 100,
        gapMs: expect.any(Number),
      },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'session-started',
      'response-start',
      'tool-call',
      'response-done',
      'error',
      'reconnected',
    ]);
    await session.close();
    expect(second.closed).toBe(true);
  });
});
