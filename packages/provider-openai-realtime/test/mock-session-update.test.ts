import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { type RawClient, rawClient } from './support/raw-client.js';

describe('mock: session.update validated per protocol version', () => {
  let server: MockServer;
  let client: RawClient;
  afterEach(async () => {
    client.socket.close();
    await server.close();
  });

  async function open(beta = false) {
    server = await startMockServer();
    client = await rawClient(server.url, { key: 'any-key', beta });
    await client.next('session.created');
  }

  it.each([
    [
      { instructions: 'x' },
      'missing_required_parameter',
      'session.type',
      "Missing required parameter: 'session.type'.",
    ],
    [{ type: 'realtime', voice: 'alloy' }, 'unknown_parameter', 'session.voice', "Unknown parameter: 'session.voice'."],
    [
      { type: 'realtime', input_audio_format: 'pcm16' },
      'unknown_parameter',
      'session.input_audio_format',
      "Unknown parameter: 'session.input_audio_format'.",
    ],
    [
      { type: 'realtime', tools: [{ type: 'function', name: 'f', meta: {} }] },
      'unknown_parameter',
      'session.tools[0].meta',
      "Unknown parameter: 'session.tools[0].meta'.",
    ],
    [
      { type: 'realtime', audio: { output: { format: { type: 'audio/pcm' } } } },
      'missing_required_parameter',
      'session.audio.output.format.rate',
      "Missing required parameter: 'session.audio.output.format.rate'.",
    ],
    [
      { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad', create_response: null } } } },
      'invalid_type',
      'session.audio.input.turn_detection.create_response',
      undefined,
    ],
    [
      { type: 'realtime', temperature: 0.8 },
      'unknown_parameter',
      'session.temperature',
      "Unknown parameter: 'session.temperature'.",
    ],
  ])('GA rejects %j with %s (%s)', async (session, code, param, message) => {
    await open();
    client.send({ type: 'session.update', event_id: 'evt_bad', session });
    const error = (await client.next('error')).error as Record<string, unknown>;
    expect(error).toMatchObject({ type: 'invalid_request_error', code, param, event_id: 'evt_bad' });
    if (message) expect(error.message).toBe(message);
    expect(client.events.some((e) => e.type === 'session.updated')).toBe(false);
  });

  it('GA answers a valid update with the full effective session', async () => {
    await open();
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'Hi',
        audio: {
          input: { turn_detection: { type: 'server_vad', silence_duration_ms: 700 } },
          output: { voice: 'marin' },
        },
      },
    });
    const { session } = (await client.next('session.updated')) as unknown as { session: Record<string, any> };
    expect(session.type).toBe('realtime');
    expect(session.instructions).toBe('Hi');
    expect(session.audio.output).toEqual({ format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 });
    // Missing turn-detection fields take the server defaults (pitfall 9).
    expect(session.audio.input.turn_detection).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 700,
      create_response: true,
      interrupt_response: true,
      idle_timeout_ms: null,
    });
  });

  it('beta takes the flat shape, with temperature, and rejects GA fields', async () => {
    await open(true);
    client.send({
      type: 'session.update',
      session: { voice: 'verse', temperature: 0.7, input_audio_format: 'g711_ulaw', turn_detection: null },
    });
    const { session } = (await client.next('session.updated')) as unknown as { session: Record<string, unknown> };
    expect(session).toMatchObject({
      voice: 'verse',
      temperature: 0.7,
      input_audio_format: 'g711_ulaw',
      turn_detection: null,
      object: 'realtime.session',
    });
    client.send({ type: 'session.update', session: { type: 'realtime' } });
    const error = (await client.next('error')).error as Record<string, unknown>;
    expect(error).toMatchObject({ code: 'unknown_parameter', param: 'session.type' });
  });
});
