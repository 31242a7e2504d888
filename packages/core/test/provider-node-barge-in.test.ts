import { type ControlEvent, defineProviderNode, type Frame } from '@beluga-voice/core';
import { type NodeHarness, runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS, FakeProvider, FakeSession } from './provider-fake-session.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A provider node around a fake session, with every output collected and a pacer stand-in. */
async function setup(options: { pacerFinalMs?: number } = {}) {
  const log: string[] = [];
  const session = new FakeSession(log);
  const spec = defineProviderNode({
    type: 'provider.fake',
    summary: 'test provider',
    config: z.object({}).strict(),
    capabilities: () => FAKE_CAPS,
    createProvider: () => new FakeProvider(session),
  });
  const audioIn = new Subject<Frame>();
  const h: NodeHarness = await runNode(spec, { id: 'agent', inputs: { audio: audioIn } });
  const out: Record<string, Frame[]> = {};
  for (const [port, stream] of Object.entries(h.outputs)) {
    out[port] = [];
    stream?.subscribe((frame) => out[port].push(frame));
  }
  h.ctx.control.events$.subscribe((event: ControlEvent) => {
    if (event.type !== 'interrupt') return;
    log.push(`control interrupt ${event.responseId} from ${event.source}`);
    // The pacer flushes and reports its final position synchronously.
    if (options.pacerFinalMs !== undefined && event.responseId) {
      h.sendControl({
        type: 'playout',
        source: 'pace',
        responseId: event.responseId,
        playedMs: options.pacerFinalMs,
        final: true,
      });
    }
  });
  await flush();
  return { h, session, log, out, audioIn };
}

const marks = (h: NodeHarness, name: string) =>
  h.events.filter((e) => e.type === 'mark' && e.name === name).map((e) => (e.type === 'mark' ? e.data : undefined));

describe('provider node barge-in', () => {
  it('sends the interrupt control event first, then truncates the session at the pacer’s final playout', async () => {
    const { h, session, log, audioIn } = await setup({ pacerFinalMs: 120 });
    session.emit({ type: 'response-start', responseId: 'r1' });
    for (let i = 0; i < 10; i++) session.audio('r1', 20, i * 20);
    h.sendControl({ type: 'playout', source: 'pace', responseId: 'r1', playedMs: 80 });
    audioIn.next({ kind: 'speech-start', timestamp: 3000, source: 'vad' });
    expect(log.slice(1)).toEqual(['control interrupt r1 from agent', 'session.interrupt 120', 'speechStarted 3000']);
    expect(marks(h, 'interrupt')).toEqual([{ responseId: 'r1', playedMs: 120, receivedMs: 200 }]);
  });

  it('drops audio of the interrupted response that arrives late, and passes the next response', async () => {
    const { session, out, audioIn } = await setup({ pacerFinalMs: 40 });
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 20);
    session.audio('r1', 20, 20);
    audioIn.next({ kind: 'speech-start', timestamp: 500, source: 'vad' });
    session.audio('r1', 20, 40);
    session.audio('r1', 20, 60);
    session.emit({ type: 'response-done', responseId: 'r1', status: 'cancelled' });
    session.emit({ type: 'response-start', responseId: 'r2' });
    session.audio('r2', 20);
    const audio = out.audio.map((f) => (f.kind === 'audio' ? `${f.responseId}@${f.timestamp}` : f.kind));
    expect(audio).toEqual(['r1@0', 'r1@20', 'r2@0']);
  });

  it('uses the audio passed downstream as the played position when no pacer reports playout', async () => {
    const { session, log } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 100);
    session.audio('r1', 60);
    session.emit({ type: 'speech-start', timestamp: 900 });
    expect(log.slice(1)).toEqual(['control interrupt r1 from agent', 'session.interrupt 160']);
  });

  it('interrupts a finished response whose audio is still playing, at the last playout position', async () => {
    const { h, session, log } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 200);
    session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' });
    h.sendControl({ type: 'playout', source: 'pace', responseId: 'r1', playedMs: 90 });
    session.emit({ type: 'speech-start', timestamp: 1200 });
    expect(log.slice(1)).toEqual(['control interrupt r1 from agent', 'session.interrupt 90']);
  });

  it('leaves a response alone once it is done and fully played', async () => {
    const { h, session, log, out } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 200);
    session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' });
    h.sendControl({ type: 'playout', source: 'pace', responseId: 'r1', playedMs: 200, final: true });
    session.emit({ type: 'speech-start', timestamp: 1500 });
    expect(log.slice(1)).toEqual([]);
    expect(out.events.map((f) => f.kind)).toEqual(['response-start', 'response-done', 'speech-start']);
  });

  it('interrupts once per response however many speech starts follow', async () => {
    const { session, log, audioIn } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 100);
    session.emit({ type: 'speech-start', timestamp: 10 });
    audioIn.next({ kind: 'speech-start', timestamp: 12, source: 'vad' });
    expect(log.slice(1)).toEqual(['control interrupt r1 from agent', 'session.interrupt 100', 'speechStarted 12']);
  });

  it('stops the session when another node sends an interrupt, without sending one itself', async () => {
    const { h, session, log, out } = await setup();
    session.emit({ type: 'response-start', responseId: 'r1' });
    session.audio('r1', 60);
    h.sendControl({ type: 'interrupt', source: 'ui', responseId: 'r1' });
    session.audio('r1', 20);
    expect(log.slice(1)).toEqual(['control interrupt r1 from ui', 'session.interrupt 60']);
    expect(out.audio).toHaveLength(1);
  });
});
