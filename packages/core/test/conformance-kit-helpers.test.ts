import type { AudioFrame, S2SEvent } from '@beluga-voice/core';
import { eventOrderViolations, TrackingScheduler, testUtterance } from '@beluga-voice/core/testing';
import { interval, take, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';

const frame = {
  kind: 'audio',
  timestamp: 0,
  format: { encoding: 'pcm16', sampleRate: 24_000, channels: 1 },
  samples: new Int16Array(480),
} as AudioFrame;
const audio = (responseId: string): S2SEvent => ({ type: 'audio', responseId, frame });

describe('conformance kit: event order', () => {
  it('accepts a well-formed session', () => {
    const events: S2SEvent[] = [
      { type: 'session-started', sessionId: 's' },
      { type: 'speech-start', timestamp: 0 },
      { type: 'response-start', responseId: 'r1' },
      audio('r1'),
      { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}', responseId: 'r1' },
      { type: 'response-done', responseId: 'r1', status: 'completed' },
      { type: 'closed' },
    ];
    expect(eventOrderViolations(events)).toEqual([]);
  });

  it('names every violation', () => {
    const events: S2SEvent[] = [
      { type: 'response-start', responseId: 'r1' },
      { type: 'session-started', sessionId: 's' },
      audio('r2'),
      { type: 'response-done', responseId: 'r2', status: 'completed' },
      { type: 'response-start', responseId: 'r1' },
      { type: 'closed' },
      { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' },
    ];
    expect(eventOrderViolations(events)).toEqual([
      'event 1 (session-started): session-started must be the first event',
      'event 2 (audio): audio of "r2" outside its response-start/response-done',
      'event 3 (response-done): response-done for "r2" without an open response-start',
      'event 4 (response-start): response "r1" started twice',
      'event 6 (tool-call) comes after "closed"',
      'response(s) "r1" never got a response-done',
    ]);
  });

  it('flags a tool call outside any response', () => {
    expect(eventOrderViolations([{ type: 'tool-call', id: 'c1', name: 'f', arguments: '{}' }])).toEqual([
      'event 0 (tool-call): tool call "c1" outside a response',
    ]);
  });
});

describe('conformance kit: tracking scheduler', () => {
  it('counts pending one-shot and periodic actions until they fire or are cancelled', async () => {
    const scheduler = new TrackingScheduler();
    const once = timer(5, scheduler).subscribe();
    const cancelled = timer(1000, scheduler).subscribe();
    const ticks: number[] = [];
    const periodic = interval(2, scheduler)
      .pipe(take(3))
      .subscribe((n) => ticks.push(n));
    expect(scheduler.pending).toBe(3);
    cancelled.unsubscribe();
    expect(scheduler.pending).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ticks).toEqual([0, 1, 2]);
    expect(scheduler.pending).toBe(0);
    once.unsubscribe();
    periodic.unsubscribe();
  });
});

describe('conformance kit: test utterance', () => {
  it('is a voiced burst between silences, in the format the caps accept', () => {
    const u = testUtterance({ encoding: ['pcm16'], sampleRate: [16_000], channels: [1] });
    expect(u.format).toEqual({ encoding: 'pcm16', sampleRate: 16_000, channels: 1 });
    expect(u.frames).toHaveLength(135);
    const peakOf = (ms: number) => Math.max(...(u.frames[ms / 20].samples as Int16Array).map(Math.abs));
    expect(peakOf(0)).toBe(0);
    expect(peakOf(600)).toBeGreaterThan(3000);
    expect(peakOf(2000)).toBe(0);
    expect([u.voicedStartMs, u.voicedEndMs, u.durationMs]).toEqual([200, 1200, 2700]);
  });

  it('says when the caps leave no format it can generate', () => {
    expect(() => testUtterance({ encoding: ['mulaw'], sampleRate: [8000] })).toThrow(
      'test utterance: cannot generate mulaw 8000 Hz mono; the provider must accept pcm16 or f32',
    );
  });
});
