import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples, repo, type ServeProcess, startServe } from './support/serve-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser page test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const SCREENSHOTS = join(repo, 'packages/transport-websocket/test/screenshots');

interface PageState {
  state: string;
  stats: { sentMs: number; receivedMs: number; playedMs: number; turns: number; bargeIns: number };
  latencies: Array<number | undefined>;
  closeReason?: string;
}

describe.skipIf(!hasChromium)(
  'the browser page in headless Chromium against beluga serve examples/browser-echo.yaml',
  () => {
    let serve: ServeProcess;
    let browser: Browser;

    beforeAll(async () => {
      serve = await startServe([join(examples, 'browser-echo.yaml')]);
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          // The caller says one sentence (0.5–2.6 s), then silence.
          `--use-file-for-fake-audio-capture=${join(repo, 'fixtures/audio/single-utterance-16k.wav')}%noloop`,
          '--autoplay-policy=no-user-gesture-required',
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      serve?.kill('SIGKILL');
    });

    it('goes live, answers a turn and plays it, shows the latency, and #stop ends the session cleanly', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${serve.url}/?autostart=1`);
      await page.waitForFunction(() => (window as unknown as { beluga: PageState }).beluga.state === 'live', {
        timeout: 10_000,
      });
      await page.waitForFunction(
        () => {
          const { stats } = (window as unknown as { beluga: PageState }).beluga;
          return stats.turns >= 1 && stats.playedMs >= 1500;
        },
        { timeout: 20_000 },
      );
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'browser-echo.png') });
      const live = (await page.evaluate(() => (window as unknown as { beluga: PageState }).beluga)) as PageState;
      expect(live.state).toBe('live');
      expect(live.stats.sentMs).toBeGreaterThan(2600);
      // The echo of a 2.1 s sentence (plus pre-roll): received and played.
      expect(live.stats.receivedMs).toBeGreaterThanOrEqual(2000);
      expect(live.stats.playedMs).toBeGreaterThanOrEqual(1500);
      expect(live.stats.bargeIns).toBe(0);
      expect(live.latencies[0]).toBeGreaterThan(300);
      expect(await page.$eval('#latency', (el) => el.textContent)).toMatch(/turn 1\s*\d+ ms/);

      await page.click('#stop');
      await page.waitForFunction(() => (window as unknown as { beluga: PageState }).beluga.state === 'ended', {
        timeout: 5_000,
      });
      expect(await page.$eval('#state', (el) => el.textContent)).toBe('ended');
      expect(errors).toEqual([]);
      await expect
        .poll(() => serve.output(), { timeout: 5_000 })
        .toMatch(/session \S+ ended \(browser, 1 turns, 0 barge-ins, 0 dropped; caller: caller hung up\)/);
    }, 60_000);
  },
);
