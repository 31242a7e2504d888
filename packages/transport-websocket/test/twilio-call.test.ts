import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { g711Decode } from '@beluga-voice/core/audio';
import { simulateTwilioCall } from '@beluga-voice/transport-websocket/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureSamples, readEvents, voicedMs } from './support/fixtures.js';
import { examples, startServe } from './support/serve-process.js';

const out = mkdtempSync(join(tmpdir(), 'beluga-twilio-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// two-turns-8k-mulaw.wav: speech 0.5–2.6 s and 4.6–7.69 s. The echo of turn 1 starts about 3.4 s
// in, so turn 2 is spoken over it: a barge-in.
const TURN_2_ONSET_MS = 4599;
const PLAYOUT_DELAY_MS = 200;

describe('a Twilio call against beluga serve examples/twilio-echo.yaml', () => {
  it('answers both turns, clears within 300 ms of barge-in, truncates at the echoed marks, reports a key press, closes within 2 s of stop', async () => {
    const events = join(out, 'events.jsonl');
    const serve = await startServe([join(examples, 'twilio-echo.yaml'), '--events', events]);
    try {
      expect(serve.output()).toContain('<Connect>');
      const audio = fixtureSamples('two-turns-8k-mulaw.wav');
      const report = await simulateTwilioCall({
        url: `${serve.url.replace('http', 'ws')}/twilio`,
        audio,
        tailMs: 4000,
        playoutDelayMs: PLAYOUT_DELAY_MS,
        dtmf: [{ atMs: 1000, digit: '7' }],
      });

      expect(report.clears).toHaveLength(1);
      const reaction = (report.clears[0] as number) - TURN_2_ONSET_MS;
      expect(reaction).toBeGreaterThan(0);
      expect(reaction).toBeLessThanOrEqual(300);

      expect(report.closeCode).toBe(1000);
      expect(report.closedAt - (report.stopSentAt as number)).toBeLessThanOrEqual(2000);
      expect(report.marksEchoed).toBe(report.marksSent);

      // Both replies reached the caller's ear: part of the first (cut by the barge-in) and all of the second.
      const caller = g711Decode('mulaw', audio);
      const turn1 = voicedMs(caller.subarray(0, 3.5 * 8000), 8000);
      const turn2 = voicedMs(caller.subarray(3.5 * 8000), 8000);
      const heard = voicedMs(g711Decode('mulaw', report.played), 8000);
      expect(heard).toBeGreaterThanOrEqual(turn2 + 400);
      expect(heard).toBeLessThan(turn1 + turn2 - 300);

      const serveExit = serve.exited;
      serve.kill('SIGTERM');
      expect(await serveExit).toBe(0);
      const lines = readEvents(events);
      const turns = lines.filter((e) => e.type === 'mark' && e.name === 'turn');
      expect(turns).toHaveLength(2);
      expect(turns.map((t) => (t.data as { interrupted: boolean }).interrupted)).toEqual([true, false]);
      const interrupt = lines.find((e) => e.type === 'mark' && e.name === 'interrupt')?.data as {
        playedMs: number;
        receivedMs: number;
      };
      // Cut where the caller had heard it to (the last mark echoed, marks every 100 ms), not at
      // what was sent: the caller holds 200 ms more in its buffer.
      const heardAtClear = report.playedAtClear[0] as number;
      expect(interrupt.playedMs).toBeLessThanOrEqual(heardAtClear);
      expect(heardAtClear - interrupt.playedMs).toBeLessThanOrEqual(120);
      expect(interrupt.receivedMs - interrupt.playedMs).toBeGreaterThanOrEqual(PLAYOUT_DELAY_MS - 40);
      expect(serve.output()).toMatch(/session \S+ ended \(twilio, 2 turns, 1 barge-ins, 0 dropped/);
      expect(lines.filter((e) => e.type === 'mark' && e.name === 'dtmf').map((e) => e.data)).toEqual([{ digit: '7' }]);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 40_000);
});
