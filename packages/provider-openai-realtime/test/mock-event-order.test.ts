import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { base64, firstTurn24k, until } from './support/fixtures.js';
import { type RawClient, rawClient } from './support/raw-client.js';

const td = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};
const tool = {
  type: 'function',
  name: 'lookup_order',
  description: 'Looks up an order',
  parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
};

const NAMES = {
  ga: {
    created: ['conversation.item.added'],
    done: ['conversation.item.done'],
    audioDone: 'response.output_audio.done',
    transcriptDone: 'response.output_audio_transcript.done',
    deltas: ['response.output_audio.delta', 'response.output_audio_transcript.delta'],
  },
  beta: {
    created: ['conversation.item.created'],
    done: [],
    audioDone: 'response.audio.done',
    transcriptDone: 'response.audio_transcript.done',
    deltas: ['response.audio.delta', 'response.audio_transcript.delta'],
  },
} as const;

function session(protocol: 'ga' | 'beta', extra: Record<string, unknown>) {
  return protocol === 'ga'
    ? { type: 'realtime', audio: { input: { turn_detection: td } }, ...extra }
    : { turn_detection: td, ...extra };
}

/** Event types from index `from`, without the deltas (they interleave). */
function structure(client: RawClient, from: number, protocol: 'ga' | 'beta'): string[] {
  return client.events
    .slice(from)
    .map((e) => e.type)
    .filter(
      (t) =>
        !(NAMES[protocol].deltas as readonly string[]).includes(t) && t !== 'response.function_call_arguments.delta',
    );
}

describe.each(['ga', 'beta'] as const)('mock event order (%s)', (protocol) => {
  let server: MockServer;
  let client: RawClient;
  afterEach(async () => {
    client.socket.close();
    await server.close();
  });

  it('§7.4: a function call, its output, and the spoken answer', async () => {
    server = await startMockServer();
    client = await rawClient(server.url, { key: 'k', beta: protocol === 'beta' });
    client.send({ type: 'session.update', session: session(protocol, { tools: [tool], tool_choice: 'required' }) });
    await client.next('session.updated');
    const from = client.events.length;
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Order A-1?' }] },
    });
    client.send({ type: 'response.create' });
    await client.next('rate_limits.updated');
    const n = NAMES[protocol];
    expect(structure(client, from, protocol)).toEqual([
      ...n.created,
      ...n.done,
      'response.created',
      'response.output_item.added',
      ...n.created,
      'response.function_call_arguments.done',
      'response.output_item.done',
      ...n.done,
      'response.done',
      'rate_limits.updated',
    ]);
    const added = client.events.find((e) => e.type === 'response.output_item.added') as unknown as {
      item: Record<string, unknown>;
    };
    expect(added.item).toMatchObject({
      type: 'function_call',
      status: 'in_progress',
      name: 'lookup_order',
      arguments: '',
    });
    const call = (await client.next('response.function_call_arguments.done')) as unknown as {
      call_id: string;
      arguments: string;
    };
    expect(JSON.parse(call.arguments)).toEqual({ order: 'example' });

    const second = client.events.length;
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: call.call_id, output: '{"status":"shipped"}' },
    });
    client.send({ type: 'response.create' });
    await client.next('rate_limits.updated', 2);
    expect(structure(client, second, protocol)).toEqual([
      ...n.created,
      ...n.done,
      'response.created',
      'response.output_item.added',
      ...n.created,
      'response.content_part.added',
      n.audioDone,
      n.transcriptDone,
      'response.content_part.done',
      'response.output_item.done',
      ...n.done,
      'response.done',
      'rate_limits.updated',
    ]);
  });

  it('§7.5: barge-in during a reply cancels it with turn_detected, then the new turn goes on', async () => {
    server = await startMockServer({
      script: {
        replies: () => ({ text: 'A long answer.', audio: { tone: { frequencyHz: 300, durationMs: 3000 } } }),
        chunkIntervalMs: 20,
      },
    });
    client = await rawClient(server.url, { key: 'k', beta: protocol === 'beta' });
    client.send({ type: 'session.update', session: session(protocol, {}) });
    await client.next('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: base64(firstTurn24k()) });
    await client.next(NAMES[protocol].deltas[0], 3);
    const from = client.events.findIndex((e) => e.type === NAMES[protocol].deltas[0]);
    // The user talks over the reply: first the start of the utterance, the rest once it was cancelled.
    const again = firstTurn24k();
    client.send({ type: 'input_audio_buffer.append', audio: base64(again.subarray(0, 24000 * 1.5)) });
    await client.next('rate_limits.updated');
    client.send({ type: 'input_audio_buffer.append', audio: base64(again.subarray(24000 * 1.5)) });
    await until(
      () => client.events.filter((e) => e.type === 'response.done').length >= 2,
      5000,
      'the second response.done',
    );
    const n = NAMES[protocol];
    const order = structure(client, from, protocol);
    const cut = order.slice(0, order.indexOf('rate_limits.updated') + 1);
    expect(cut).toEqual([
      'input_audio_buffer.speech_started',
      n.audioDone,
      n.transcriptDone,
      'response.content_part.done',
      'response.output_item.done',
      ...n.done,
      'response.done',
      'rate_limits.updated',
    ]);
    const cancelled = client.events.find((e) => e.type === 'response.done') as unknown as {
      response: Record<string, unknown>;
    };
    expect(cancelled.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
    });
    const itemDone = client.events.find((e) => e.type === 'response.output_item.done') as unknown as {
      item: { status: string };
    };
    expect(itemDone.item.status).toBe('incomplete');
    expect(order.slice(cut.length, cut.length + 3)).toEqual([
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      ...n.created,
    ]);
  });
});
