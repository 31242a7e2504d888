import { afterEach, describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { base64, chunks, firstTurn24k, until } from './support/fixtures.js';
import { type Client, connect, KEY } from './support/sdk-client.js';

const turnDetection = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

const EXPECTED = {
  ga: [
    'input_audio_buffer.speech_started',
    'input_audio_buffer.speech_stopped',
    'input_audio_buffer.committed',
    'conversation.item.added',
    'conversation.item.done',
    'response.created',
    'response.output_item.added',
    'conversation.item.added',
    'response.content_part.added',
    'response.output_audio.done',
    'response.output_audio_transcript.done',
    'response.content_part.done',
    'response.output_item.done',
    'conversation.item.done',
    'response.done',
    'rate_limits.updated',
  ],
  beta: [
    'input_audio_buffer.speech_started',
    'input_audio_buffer.speech_stopped',
    'input_audio_buffer.committed',
    'conversation.item.created',
    'response.created',
    'response.output_item.added',
    'conversation.item.created',
    'response.content_part.added',
    'response.audio.done',
    'response.audio_transcript.done',
    'response.content_part.done',
    'response.output_item.done',
    'response.done',
    'rate_limits.updated',
  ],
} as const;

describe.skipIf(!hasTool('openssl')).each(['ga', 'beta'] as const)(
  'official openai SDK (%s) against the mock over wss',
  (protocol) => {
    let server: MockServer;
    let client: Client | undefined;
    afterEach(async () => {
      client?.close();
      await server.close();
    });

    it('completes a voice turn: appended audio, server VAD, audio deltas back in the reference order', async () => {
      server = await startMockServer({ tls: true, apiKey: KEY });
      client = await connect(server, protocol);
      const session =
        protocol === 'ga'
          ? {
              type: 'realtime',
              audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: turnDetection } },
            }
          : { input_audio_format: 'pcm16', turn_detection: turnDetection };
      client.send({ type: 'session.update', session });
      await until(() => client!.events.some((e) => e.type === 'session.updated'), 5000, 'session.updated');
      for (const chunk of chunks(firstTurn24k(), 100))
        client.send({ type: 'input_audio_buffer.append', audio: base64(chunk) });
      await until(() => client!.events.some((e) => e.type === 'rate_limits.updated'), 10_000, 'rate_limits.updated');

      const types = client.events.map((e) => e.type);
      expect(types.slice(0, 2)).toEqual(['session.created', 'session.updated']);
      const audioDelta = protocol === 'ga' ? 'response.output_audio.delta' : 'response.audio.delta';
      const transcriptDelta =
        protocol === 'ga' ? 'response.output_audio_transcript.delta' : 'response.audio_transcript.delta';
      const structural = types
        .slice(2)
        .filter((t) => t !== audioDelta && t !== transcriptDelta && !t.startsWith('conversation.item.input_audio'));
      expect(structural).toEqual(EXPECTED[protocol]);

      const started = client.events.find((e) => e.type === 'input_audio_buffer.speech_started') as unknown as {
        audio_start_ms: number;
      };
      const stopped = client.events.find((e) => e.type === 'input_audio_buffer.speech_stopped') as unknown as {
        audio_end_ms: number;
      };
      // Speech starts at 0.5 s in the fixture: minus 300 ms prefix padding; it ends at 2.6 s plus 500 ms of silence.
      expect(started.audio_start_ms).toBeGreaterThanOrEqual(150);
      expect(started.audio_start_ms).toBeLessThanOrEqual(250);
      expect(stopped.audio_end_ms).toBeGreaterThanOrEqual(3000);
      expect(stopped.audio_end_ms).toBeLessThanOrEqual(3200);

      const deltas = client.events.filter((e) => e.type === audioDelta) as unknown as Array<{ delta: string }>;
      const bytes = deltas.reduce((n, d) => n + Buffer.from(d.delta, 'base64').byteLength, 0);
      expect(deltas.length).toBeGreaterThan(1);
      expect(bytes % 2).toBe(0);
      const done = client.events.find((e) => e.type === 'response.done') as unknown as {
        response: { status: string; usage: { output_tokens: number } };
      };
      expect(done.response.status).toBe('completed');
      expect(done.response.usage.output_tokens).toBeGreaterThan(0);
    });
  },
);
