import { join } from 'node:path';
import type { AudioFormat, AudioFrame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { asapScheduler, type SchedulerLike, Subject } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { recorder } from '../src/recorder.js';
import { readWav } from '../src/wav-reader.js';
import { framesOf, tempDir, tone } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);
const PCM16: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closed(h: { events: Array<{ type: string; name?: string }> }): Promise<void> {
  while (!h.events.some((e) => e.type === 'mark' && e.name === 'recorder.closed')) await sleep(5);
}

/** First sample index of a channel whose magnitude exceeds `threshold`. */
function onset(stereo: Int16Array, channel: number, threshold = 1000): number {
  for (let i = channel; i < stereo.length; i += 2) if (Math.abs(stereo[i]) > threshold) return (i - channel) / 2;
  return -1;
}

function silentOutside(stereo: Int16Array, channel: number, from: number, to: number): boolean {
  for (let i = 0; i < stereo.length / 2; i++) if ((i < from || i >= to) && stereo[i * 2 + channel] !== 0) return false;
  return true;
}

describe('audio.recorder', () => {
  it('places each side at its timestamps: user left, assistant right, silence in between', async () => {
    const path = join(tmp.dir, 'by-timestamp.wav');
    const userAudio = new Int16Array(16000);
    userAudio.set(tone(16000, 1000, 100), 8000);
    const assistantTone = tone(16000, 600, 200);
    const h = await runNode(recorder, {
      config: { path, align: 'timestamp' },
      inputs: {
        user: framesOf(PCM16, userAudio, 20),
        assistant: [{ kind: 'audio', timestamp: 1200, format: PCM16, samples: assistantTone, responseId: 'r1' }],
      },
    });
    await closed(h);
    await h.close();
    const { format, samples } = await readWav(path);
    expect(format).toEqual({ encoding: 'pcm16', sampleRate: 16000, channels: 2 });
    const stereo = samples as Int16Array;
    expect(stereo.length / 2).toBe(19200 + 3200);
    // A sine starts at 0: its first loud sample is a few samples after the onset.
    expect(onset(stereo, 0) - 8000).toBeLessThan(4);
    expect(onset(stereo, 1) - 19200).toBeLessThan(8);
    expect(silentOutside(stereo, 0, 8000, 9600)).toBe(true);
    expect(silentOutside(stereo, 1, 19200, 22400)).toBe(true);
    expect(stereo[(19200 + 100) * 2 + 1]).toBe(assistantTone[100]);
  });

  it('places frames where they arrive on the session clock; a burst plays back to back', async () => {
    const path = join(tmp.dir, 'by-arrival.wav');
    let clock = 0;
    const scheduler: SchedulerLike = { now: () => clock, schedule: asapScheduler.schedule.bind(asapScheduler) };
    const user = new Subject<AudioFrame>();
    const assistant = new Subject<AudioFrame>();
    const h = await runNode(recorder, { config: { path }, inputs: { user, assistant }, scheduler });
    const beep = tone(16000, 800, 100);
    clock = 300;
    for (let k = 0; k < 3; k++) assistant.next({ kind: 'audio', timestamp: 0, format: PCM16, samples: beep });
    await sleep(20);
    clock = 350;
    user.next({ kind: 'audio', timestamp: 0, format: PCM16, samples: tone(16000, 1000, 20) });
    await sleep(20);
    user.complete();
    assistant.complete();
    await closed(h);
    await h.close();
    const stereo = (await readWav(path)).samples as Int16Array;
    expect(stereo.length / 2).toBe(600 * 16);
    expect(onset(stereo, 1) - 300 * 16).toBeLessThan(8);
    expect(silentOutside(stereo, 1, 300 * 16, 600 * 16)).toBe(true);
    expect(stereo[(400 * 16 + 50) * 2 + 1]).toBe(beep[50]);
    expect(onset(stereo, 0) - 350 * 16).toBeLessThan(4);
    expect(silentOutside(stereo, 0, 350 * 16, 370 * 16)).toBe(true);
  });

  it('writes what it has when the session is aborted, with a valid header', async () => {
    const path = join(tmp.dir, 'aborted.wav');
    const user = new Subject<AudioFrame>();
    const h = await runNode(recorder, {
      config: { path, align: 'timestamp' },
      inputs: { user, assistant: new Subject<AudioFrame>() },
    });
    for (const f of framesOf(PCM16, tone(16000, 500, 200), 20)) user.next(f);
    await sleep(30);
    await h.close();
    const back = await readWav(path);
    expect(back.info.frames).toBe(3200);
  });

  it('refuses user and assistant audio at different rates, naming the fix', async () => {
    await expect(
      runNode(recorder, {
        id: 'rec',
        config: { path: join(tmp.dir, 'x.wav') },
        inputFormats: { user: PCM16, assistant: { ...PCM16, sampleRate: 24000 } },
      }),
    ).rejects.toThrow(
      'audio.recorder "rec": user audio is 16000 Hz but assistant audio is 24000 Hz; insert audio.resample so both have the same rate',
    );
  });

  it('fails the node on audio it cannot record (a format only known at run time)', async () => {
    const path = join(tmp.dir, 'wrong.wav');
    const mulaw: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
    const h = await runNode(recorder, {
      id: 'rec',
      config: { path },
      inputs: { user: [{ kind: 'audio', timestamp: 0, format: mulaw, samples: new Uint8Array(160) }] },
    });
    await sleep(30);
    await h.close();
    expect(h.failures.map((e) => (e as Error).message)).toEqual([
      'audio.recorder "rec": user audio is mulaw 8000 Hz mono, expected mono pcm16',
    ]);
  });
});
