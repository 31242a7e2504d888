import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { base64, firstTurn24k } from './support/fixtures.js';
import { type RawClient, rawClient } from './support/raw-client.js';

const noVad = { type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } };

describe('mock: input buffer, items, responses and truncation follow the service rules', () => {
  let server: MockServer;
  let client: RawClient;
  afterEach(async () => {
    client.socket.close();
    await server.close();
  });

  async function open(script = {}) {
    server = await startMockServer({ script });
    client = await rawClient(server.url, { key: 'k' });
    client.send(noVad);
    await client.next('session.updated');
  }

  it('refuses a commit of less than 100 ms and commits 100 ms into a user item with previous_item_id', async () => {
    await open();
    client.send({ type: 'input_audio_buffer.append', audio: base64(new Int16Array(24 * 50)) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_c1' });
    const error = (await client.next('error')).error as Record<string, unknown>;
    expect(error).toMatchObject({ code: 'input_audio_buffer_commit_empty', event_id: 'evt_c1' });
    expect(error.message).toBe(
      'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 50.00ms of audio.',
    );
    client.send({ type: 'input_audio_buffer.append', audio: base64(new Int16Array(24 * 50)) });
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.next('input_audio_buffer.committed');
    expect(committed.previous_item_id).toBeNull();
    const added = await client.next('conversation.item.added');
    expect(added.item).toEqual({
      id: committed.item_id,
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    });
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    const second = await client.next('conversation.item.added', 2);
    expect(second.previous_item_id).toBe(committed.item_id);
  });

  it('allows one active response: a second response.create fails with conversation_already_has_active_response', async () => {
    await open({ chunkIntervalMs: 20 });
    client.send({ type: 'response.create', event_id: 'evt_r1' });
    const created = (await client.next('response.created')).response as { id: string };
    client.send({ type: 'response.create', event_id: 'evt_r2' });
    const error = (await client.next('error')).error as Record<string, unknown>;
    expect(error).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'evt_r2' });
    expect(error.message).toContain(created.id);
    client.send({ type: 'response.cancel' });
    const done = (await client.next('response.done')).response as Record<string, unknown>;
    expect(done).toMatchObject({
      id: created.id,
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    await client.next('rate_limits.updated');
    client.send({ type: 'response.cancel', event_id: 'evt_c' });
    expect((await client.next('error', 2)).error as Record<string, unknown>).toMatchObject({
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
      event_id: 'evt_c',
    });
  });

  it('checks truncation against the audio it sent for the item', async () => {
    await open();
    client.send({ type: 'response.create' });
    await client.next('response.done');
    const item = (await client.next('response.output_item.done')).item as { id: string };
    const sentBytes = client.events
      .filter((e) => e.type === 'response.output_audio.delta')
      .reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').byteLength, 0);
    const sentMs = Math.floor(sentBytes / 48);
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] },
    });
    await client.next('conversation.item.done', 2);
    const userItem = (
      client.events.filter((e) => e.type === 'conversation.item.added').at(-1) as unknown as { item: { id: string } }
    ).item;
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { item_id: item.id, content_index: 0, audio_end_ms: sentMs + 1 },
        'invalid_value',
        `Audio content of ${sentMs}ms is already shorter than ${sentMs + 1}ms`,
      ],
      [
        { item_id: item.id, content_index: 0, audio_end_ms: -1 },
        'integer_below_min_value',
        "Invalid 'audio_end_ms': integer below minimum value. Expected a value >= 0.",
      ],
      [
        { item_id: 'item_missing', content_index: 0, audio_end_ms: 10 },
        'item_truncate_invalid_item_id',
        'Item with item_id not found: item_missing',
      ],
      [
        { item_id: userItem.id, content_index: 0, audio_end_ms: 10 },
        'unsupported_content_type',
        'Only model output audio messages can be truncated',
      ],
    ];
    for (const [i, [fields, code, message]] of cases.entries()) {
      client.send({ type: 'conversation.item.truncate', ...fields });
      expect((await client.next('error', i + 1)).error).toMatchObject({ code, message, param: expect.any(String) });
    }
    client.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: sentMs });
    expect(await client.next('conversation.item.truncated')).toMatchObject({
      item_id: item.id,
      content_index: 0,
      audio_end_ms: sentMs,
    });
  });

  it('refuses a function_call_output for a call it never made', async () => {
    await open();
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_nope', output: '{}' },
    });
    expect((await client.next('error')).error).toMatchObject({
      code: 'invalid_value',
      message: "Tool call ID 'call_nope' not found in conversation.",
    });
  });

  it('computes server VAD from the appended audio and commits the turn by itself', async () => {
    server = await startMockServer();
    client = await rawClient(server.url, { key: 'k' });
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: {
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 100,
              silence_duration_ms: 400,
              create_response: false,
            },
          },
        },
      },
    });
    await client.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: base64(firstTurn24k()) });
    const started = await client.next('input_audio_buffer.speech_started');
    const stopped = await client.next('input_audio_buffer.speech_stopped');
    const committed = await client.next('input_audio_buffer.committed');
    // Speech from 0.5 s (minus 100 ms padding) to 2.6 s (plus 400 ms of silence).
    expect(started.audio_start_ms).toBeGreaterThanOrEqual(380);
    expect(started.audio_start_ms).toBeLessThanOrEqual(420);
    expect(stopped.audio_end_ms).toBeGreaterThanOrEqual(2950);
    expect(stopped.audio_end_ms).toBeLessThanOrEqual(3050);
    expect(committed.item_id).toBe(started.item_id);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.events.some((e) => e.type === 'response.created')).toBe(false);
  });

  it('GA idle_timeout_ms: after the reply has played, silence makes the server commit and answer by itself', async () => {
    server = await startMockServer({
      script: { replies: () => ({ text: 'Hi.', audio: { tone: { frequencyHz: 300, durationMs: 100 } } }) },
    });
    client = await rawClient(server.url, { key: 'k' });
    const td = {
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 500,
      idle_timeout_ms: 150,
      create_response: true,
      interrupt_response: true,
    };
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: td } } } });
    await client.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: base64(new Int16Array(24 * 200)) });
    client.send({ type: 'response.create' });
    const done = await client.next('response.done');
    const doneAt = Date.now();
    const triggered = await client.next('input_audio_buffer.timeout_triggered');
    // 100 ms of reply audio to play, then 150 ms of silence.
    expect(Date.now() - doneAt).toBeGreaterThanOrEqual(200);
    expect(triggered).toMatchObject({ audio_start_ms: 200, audio_end_ms: 200 });
    const committed = await client.next('input_audio_buffer.committed');
    expect(committed.item_id).toBe(triggered.item_id);
    const second = (await client.next('response.created', 2)).response as { id: string };
    expect(second.id).not.toBe((done.response as { id: string }).id);
  });
});
