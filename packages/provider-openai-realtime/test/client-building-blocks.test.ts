import { describe, expect, it } from 'vitest';
import { AudioChunker } from '../src/audio-chunker.js';
import { backoffDelay } from '../src/backoff.js';
import { openaiRealtimeConfigSchema } from '../src/config.js';
import { ResponseAudio } from '../src/response-audio.js';
import { buildSessionObject, historyItem } from '../src/wire/client-events.js';
import { parseServerEvent } from '../src/wire/server-events.js';

const PCM = { encoding: 'pcm16', sampleRate: 24000, channels: 1 } as const;

describe('audio chunker', () => {
  it('hands out 100 ms chunks at once and the rest on drain once it reaches 20 ms', () => {
    const chunker = new AudioChunker(PCM);
    expect(chunker.push(new Uint8Array(480))).toEqual([]);
    expect(chunker.drain()).toBeUndefined();
    expect(chunker.push(new Uint8Array(480))).toEqual([]);
    expect(chunker.drain()?.byteLength).toBe(960);
    expect(chunker.push(new Uint8Array(12000)).map((c) => c.byteLength)).toEqual([4800, 4800]);
    expect(chunker.drain()?.byteLength).toBe(2400);
    expect(chunker.push(new Uint8Array(100))).toEqual([]);
    expect(chunker.drain()).toBeUndefined();
    expect(chunker.flush()?.byteLength).toBe(100);
    expect(chunker.flush()).toBeUndefined();
  });
});

describe('reconnection backoff', () => {
  const policy = { maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 2000, jitter: 0.2 };
  it('doubles per attempt up to the cap, spread by ±jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(200);
    expect(backoffDelay(policy, 1, () => 1)).toBe(300);
  });
});

describe('truncation plan from received audio', () => {
  it('floors and clamps, truncates the item playback stopped in and deletes the unheard ones', () => {
    const audio = new ResponseAudio('resp_1', PCM);
    audio.add('item_a', 0, 48 * 300);
    audio.add('item_b', 0, 48 * 200 + 30);
    expect(audio.receivedMs).toBe(500);
    expect(audio.cutAt(120.9, false)).toEqual({
      playedMs: 120,
      truncate: { itemId: 'item_a', contentIndex: 0, audioEndMs: 120, fraction: 0.4 },
      remove: ['item_b'],
    });
    expect(audio.cutAt(350, false)).toEqual({
      playedMs: 350,
      truncate: { itemId: 'item_b', contentIndex: 0, audioEndMs: 50, fraction: 0.25 },
      remove: [],
    });
    expect(audio.cutAt(-5, false)).toEqual({ playedMs: 0, truncate: undefined, remove: ['item_a', 'item_b'] });
    expect(audio.cutAt(9999, false)).toEqual({ playedMs: 500, truncate: undefined, remove: [] });
    expect(audio.cutAt(9999, true)).toEqual({
      playedMs: 500,
      truncate: { itemId: 'item_b', contentIndex: 0, audioEndMs: 200, fraction: 1 },
      remove: [],
    });
  });
});

describe('session.update per protocol', () => {
  const config = openaiRealtimeConfigSchema.parse({
    apiKey: 'k',
    audioFormat: 'g711_ulaw',
    temperature: 0.7,
    maxOutputTokens: 500,
    turnDetection: { type: 'semantic_vad', eagerness: 'high' },
    inputTranscription: false,
  });
  const settings = { ...config, tools: [{ name: 'f', description: 'does f', parameters: { type: 'object' } }] };

  it('beta: flat fields, G.711 names, temperature', () => {
    expect(buildSessionObject('beta', settings)).toEqual({
      modalities: ['text', 'audio'],
      voice: 'alloy',
      input_audio_format: 'g711_ulaw',
      output_audio_format: 'g711_ulaw',
      input_audio_transcription: null,
      turn_detection: { type: 'semantic_vad', eagerness: 'high', create_response: true, interrupt_response: true },
      tools: [{ type: 'function', name: 'f', description: 'does f', parameters: { type: 'object' } }],
      tool_choice: 'auto',
      temperature: 0.7,
      max_response_output_tokens: 500,
    });
  });

  it('GA: nested audio, audio/pcmu, no temperature, turn_detection null for push-to-talk', () => {
    const ga = buildSessionObject('ga', { ...settings, turnDetection: { type: 'none' } });
    expect(ga).toMatchObject({
      type: 'realtime',
      max_output_tokens: 500,
      audio: { input: { format: { type: 'audio/pcmu' }, turn_detection: null } },
    });
    expect(ga).not.toHaveProperty('temperature');
  });

  it('replays history as text items shaped for the protocol', () => {
    expect(historyItem('ga', { type: 'message', role: 'assistant', text: 'hi' })).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'hi' }],
    });
    expect(historyItem('beta', { type: 'message', role: 'assistant', text: 'hi' })).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'hi' }],
    });
  });
});

describe('server event parsing', () => {
  it('maps beta names to GA, validates fields and tolerates unknown types', () => {
    const beta = parseServerEvent(
      JSON.stringify({
        type: 'response.audio.delta',
        response_id: 'r',
        item_id: 'i',
        output_index: 0,
        content_index: 0,
        delta: 'AAAA',
      }),
    );
    expect(beta).toMatchObject({ kind: 'event', event: { type: 'response.output_audio.delta', delta: 'AAAA' } });
    expect(
      parseServerEvent(
        JSON.stringify({
          type: 'response.output_audio.delta',
          response_id: 'r',
          item_id: 'i',
          output_index: 0,
          content_index: 0,
          delta: '%%%',
        }),
      ),
    ).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('delta'),
    });
    // Transcript and text deltas take the same field-by-field path as audio, with the same result.
    const transcript = { response_id: 'r', item_id: 'i', output_index: 0, content_index: 0, delta: 'Hel' };
    expect(parseServerEvent(JSON.stringify({ type: 'response.audio_transcript.delta', ...transcript }))).toEqual({
      kind: 'event',
      event: { type: 'response.output_audio_transcript.delta', ...transcript },
    });
    expect(parseServerEvent(JSON.stringify({ type: 'response.output_text.delta', ...transcript }))).toEqual({
      kind: 'event',
      event: { type: 'response.output_text.delta', ...transcript },
    });
    expect(
      parseServerEvent(JSON.stringify({ type: 'response.output_audio_transcript.delta', ...transcript, delta: 5 })),
    ).toEqual({
      kind: 'invalid',
      type: 'response.output_audio_transcript.delta',
      problem: expect.stringMatching(/^delta: /),
    });
    expect(
      parseServerEvent(JSON.stringify({ type: 'response.output_text.delta', ...transcript, output_index: -1 })),
    ).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/^output_index: /) });
    expect(parseServerEvent('{"type":"something.new"}')).toEqual({ kind: 'unknown', type: 'something.new' });
    expect(parseServerEvent('nope')).toEqual({ kind: 'invalid', problem: 'not JSON (4 chars)' });
  });
});
