import { type BusEvent, defineProviderNode, type Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS, FakeProvider, FakeSession } from './provider-fake-session.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function setup(conversation: Record<string, unknown> = {}) {
  const scheduler = new TestScheduler(() => {});
  // The classic scheduler stops at 750 virtual ms unless told otherwise.
  scheduler.maxFrames = 10_000;
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
  const h = await runNode(spec, { id: 'agent', config: { conversation }, inputs: { audio: audioIn }, scheduler });
  for (const output of Object.values(h.outputs)) output?.subscribe();
  await flush();
  const at = (ms: number, fn: () => void) => scheduler.schedule(fn, ms);
  /** Plays like a pacer would: reports played ms of r1 every 20 ms from `from`, stopping on interrupt. */
  const pacer = (from: number, totalMs: number) => {
    let played = 0;
    let stopped = false;
    const sub = h.ctx.control.events$.subscribe((e) => {
      if (e.type === 'interrupt' && !stopped) {
        stopped = true;
        h.sendControl({ type: 'playout', source: 'pace', responseId: 'r1', playedMs: played, final: true });
      }
    });
    for (let t = from + 20; t <= from + totalMs; t += 20) {
      at(t, () => {
        if (stopped) return;
        played += 20;
        h.sendControl({
          type: 'playout',
          source: 'pace',
          responseId: 'r1',
          playedMs: played,
          final: played === totalMs,
        });
      });
    }
    return sub;
  };
  return { scheduler, h, session, log, audioIn, at, pacer };
}

const metric = (events: BusEvent[], name: string) =>
  events.filter((e) => e.type === 'metric' && e.name === name).map((e) => (e as { value: number }).value);

describe('per-turn latency metrics', () => {
  it('measures voice-to-voice, provider first audio, framework latency, and a turn mark', async () => {
    const { scheduler, h, session, audioIn, at, pacer } = await setup();
    at(1000, () => audioIn.next({ kind: 'speech-stop', timestamp: 1000, source: 'vad' }));
    at(1200, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(1300, () => session.audio('r1', 100));
    pacer(1300, 100);
    at(1600, () => session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' }));
    scheduler.flush();
    expect(metric(h.events, 'turn.provider_first_audio')).toEqual([300]);
    // The fake pacer reports its first 20 ms at 1320: 20 ms after the audio arrived.
    expect(metric(h.events, 'turn.framework_latency')).toEqual([20]);
    expect(metric(h.events, 'turn.voice_to_voice')).toEqual([320]);
    expect(h.events.find((e) => e.type === 'mark' && e.name === 'turn')).toMatchObject({
      data: {
        responseId: 'r1',
        status: 'completed',
        interrupted: false,
        playedMs: 100,
        voiceToVoiceMs: 320,
        providerFirstAudioMs: 300,
        frameworkLatencyMs: 20,
      },
    });
  });

  it('measures the interruption reaction from speech start to the pacer flush', async () => {
    const { scheduler, h, session, audioIn, at, pacer, log } = await setup();
    at(0, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(10, () => session.audio('r1', 2000));
    pacer(10, 2000);
    at(505, () => audioIn.next({ kind: 'speech-start', timestamp: 505, source: 'vad' }));
    scheduler.flush();
    expect(metric(h.events, 'turn.interrupt_reaction')).toEqual([0]);
    expect(log).toContain('session.interrupt 480');
  });
});

describe('conversation behaviour', () => {
  it('a short noise over the reply pauses and resumes it instead of interrupting', async () => {
    const { scheduler, session, audioIn, at, pacer, log, h } = await setup({ falseInterruptionMs: 300 });
    at(0, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(10, () => session.audio('r1', 2000));
    pacer(10, 2000);
    at(500, () => audioIn.next({ kind: 'speech-start', timestamp: 500, source: 'vad' }));
    at(650, () => audioIn.next({ kind: 'speech-stop', timestamp: 650, source: 'vad' }));
    const seen: string[] = [];
    h.ctx.control.events$.subscribe((e) => e.type !== 'playout' && seen.push(`${e.type}@${scheduler.now()}`));
    scheduler.flush();
    expect(seen).toEqual(['pause@500', 'resume@650']);
    expect(log.filter((l) => l.startsWith('session.interrupt') || l.startsWith('speechStopped'))).toEqual([]);
    expect(h.events.some((e) => e.type === 'mark' && e.name === 'false-interruption')).toBe(true);
  });

  it('speech that outlasts falseInterruptionMs becomes a real interruption', async () => {
    const { scheduler, session, audioIn, at, pacer, log, h } = await setup({ falseInterruptionMs: 300 });
    at(0, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(10, () => session.audio('r1', 2000));
    pacer(10, 2000);
    at(500, () => audioIn.next({ kind: 'speech-start', timestamp: 500, source: 'vad' }));
    const seen: string[] = [];
    h.ctx.control.events$.subscribe((e) => e.type !== 'playout' && seen.push(`${e.type}@${scheduler.now()}`));
    scheduler.flush();
    expect(seen).toEqual(['pause@500', 'interrupt@800']);
    // The fake pacer keeps counting while paused; a real pacer holds, so what it reports is what was heard.
    expect(log.some((l) => l.startsWith('session.interrupt'))).toBe(true);
  });

  it('idle timeout ends the session with a warning when idleAction is end', async () => {
    const { scheduler, h } = await setup({ idleTimeoutMs: 5000 });
    const seen: string[] = [];
    h.ctx.control.events$.subscribe((e) => seen.push(`${e.type}@${scheduler.now()}`));
    scheduler.flush();
    expect(h.events.filter((e) => e.type === 'warning').map((e) => (e as { code?: string }).code)).toEqual([
      'idle-timeout',
    ]);
    expect(seen).toEqual(['end-session@5000']);
  });

  it('idle timeout prompts the model once (waiting while a reply plays), then ends if the user stays silent', async () => {
    const { scheduler, log, session, at, h } = await setup({
      idleTimeoutMs: 1000,
      idleAction: 'prompt',
      idlePrompt: 'Still there?',
    });
    const seen: string[] = [];
    h.ctx.control.events$.subscribe((e) => seen.push(`${e.type}@${scheduler.now()}`));
    at(900, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(2500, () => session.emit({ type: 'response-done', responseId: 'r1', status: 'completed' }));
    scheduler.flush();
    expect(log.filter((l) => l.startsWith('sendText'))).toEqual(['sendText Still there?']);
    const idle = h.events.filter((e) => e.type === 'warning' && e.code === 'idle-timeout');
    expect(idle.map((e) => `${e.time} ${(e as { message: string }).message}`)).toEqual([
      '3500 provider.fake "agent": no speech or reply for 1000 ms (prompt)',
      '4500 provider.fake "agent": no speech or reply for 1000 ms (end)',
    ]);
    expect(seen).toEqual(['end-session@4500']);
  });

  it('a stalled response is reported, and cancelled when stallAction is cancel', async () => {
    const { scheduler, session, at, h, log } = await setup({ stallTimeoutMs: 400, stallAction: 'cancel' });
    at(0, () => session.emit({ type: 'response-start', responseId: 'r1' }));
    at(100, () => session.audio('r1', 40));
    scheduler.flush();
    const warnings = h.events.filter((e) => e.type === 'warning');
    expect(warnings.map((e) => `${e.time} ${(e as { message: string }).message}`)).toEqual([
      '500 provider.fake "agent": response r1 sent nothing for 400 ms (cancel)',
    ]);
    expect(log).toContain('session.interrupt 40');
  });
});
