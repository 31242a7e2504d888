import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../src/mock/ids.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { replyAudio } from '../src/mock/script.js';
import { base64 } from './support/fixtures.js';
import { type RawClient, rawClient } from './support/raw-client.js';

const noVad = { type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } };
const INVALID_AUDIO =
  "Invalid 'audio'. Expected base64-encoded audio bytes (mono PCM16 at 24kHz) but got a value that is not valid base64.";

describe('mock: per-event costs stay flat and the event log stays bounded', () => {
  let server: MockServer;
  let client: RawClient;
  afterEach(async () => {
    client.socket.close();
    await server.close();
  });

  async function open(keptEvents?: number) {
    server = await startMockServer(keptEvents === undefined ? {} : { keptEvents, keepAudio: false });
    client = await rawClient(server.url, { key: 'k' });
    client.send(noVad);
    await client.next('session.updated');
  }

  it.each([
    ['a character outside the alphabet', 'AAA!AAAA'],
    ['the URL-safe alphabet', 'AA-_AAAA'],
    ['padding in the middle', 'AA==AAAA'],
    ['a length that is not a multiple of 4', 'AAAAA'],
    ['whitespace', 'AA AAAAA'],
  ])('refuses audio with %s, naming the event', async (_what, audio) => {
    await open();
    client.send({ type: 'input_audio_buffer.append', audio, event_id: 'evt_bad' });
    const error = (await client.next('error')).error as Record<string, unknown>;
    expect(error).toMatchObject({ param: 'audio', event_id: 'evt_bad' });
    expect(error.message).toBe(INVALID_AUDIO);
  });

  it('takes padded base64 audio whole: 100 ms in three appends commits', async () => {
    await open();
    // 2400 samples = 4800 bytes, split so that two payloads end in padding.
    const bytes = Buffer.from(new Int16Array(2400).buffer);
    for (const part of [bytes.subarray(0, 1601), bytes.subarray(1601, 3202), bytes.subarray(3202)])
      client.send({ type: 'input_audio_buffer.append', audio: part.toString('base64') });
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.next('input_audio_buffer.committed')).type).toBe('input_audio_buffer.committed');
  });

  it('without keepAudio (as beluga mock-openai runs), logs appends without their audio, with its size, and keeps only the latest events', async () => {
    await open(10);
    for (let i = 0; i < 30; i++)
      client.send({ type: 'input_audio_buffer.append', audio: base64(new Int16Array(480)), event_id: `evt_${i}` });
    await server.waitForClientEvent('input_audio_buffer.append', { count: 1 });
    await new Promise<void>((resolve) => {
      const poll = () => (server.received.at(-1)?.event.event_id === 'evt_29' ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(server.received.length).toBeLessThanOrEqual(10);
    expect(server.received.at(-1)).toMatchObject({
      event: { type: 'input_audio_buffer.append', event_id: 'evt_29' },
      audioBytes: 960,
    });
    expect(server.received.some((r) => 'audio' in r.event)).toBe(false);
  });
});

describe('mock: ids and reply audio', () => {
  it('makes ids shaped like the service, unique without drawing random bytes per id', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('item'));
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^item_[A-Za-z0-9]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes the reply tone once and hands the same samples to every later turn', () => {
    const first = replyAudio({ text: 'Sure, I can help with that.' }, 24000);
    expect(first.length).toBe(Math.round(27 * 40 * 24));
    expect(replyAudio({ text: 'Sure, I can help with that.' }, 24000)).toBe(first);
    expect(replyAudio({ text: 'Sure, I can help with that.' }, 8000)).not.toBe(first);
  });
});
