import { afterEach, describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { until } from './support/fixtures.js';
import { type Client, connect } from './support/sdk-client.js';

const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
      verbose: { type: 'boolean' },
    },
    required: ['city', 'unit', 'days'],
  },
};

describe.skipIf(!hasTool('openssl')).each(['ga', 'beta'] as const)(
  'official openai SDK (%s): function-call round trip against the mock',
  (protocol) => {
    let server: MockServer;
    let client: Client | undefined;
    afterEach(async () => {
      client?.close();
      await server.close();
    });

    it('calls the forced function with schema-valid arguments, then answers with audio after the output', async () => {
      server = await startMockServer({ tls: true });
      client = await connect(server, protocol);
      const session =
        protocol === 'ga'
          ? { type: 'realtime', tools: [weather], tool_choice: 'required' }
          : { tools: [weather], tool_choice: 'required' };
      client.send({ type: 'session.update', session });
      client.send({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      });
      client.send({ type: 'response.create' });
      await until(() => client!.events.some((e) => e.type === 'response.done'), 5000, 'first response.done');

      const call = client.events.find((e) => e.type === 'response.function_call_arguments.done') as unknown as {
        call_id: string;
        name: string;
        arguments: string;
      };
      expect(call.name).toBe('get_weather');
      expect(JSON.parse(call.arguments)).toEqual({ city: 'example', unit: 'celsius', days: 1 });
      const deltas = client.events
        .filter((e) => e.type === 'response.function_call_arguments.delta')
        .map((e) => e.delta)
        .join('');
      expect(deltas).toBe(call.arguments);
      const first = client.events.find((e) => e.type === 'response.done') as unknown as {
        response: { output: Array<{ type: string; call_id: string }> };
      };
      expect(first.response.output.map((o) => o.type)).toEqual(['function_call']);

      client.send({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: call.call_id, output: '{"temperature": 18}' },
      });
      client.send({ type: 'response.create' });
      await until(
        () => client!.events.filter((e) => e.type === 'response.done').length === 2,
        5000,
        'second response.done',
      );

      const afterOutput = client.events
        .slice(client.events.findIndex((e) => e.type === 'rate_limits.updated') + 1)
        .map((e) => e.type);
      const created =
        protocol === 'ga' ? ['conversation.item.added', 'conversation.item.done'] : ['conversation.item.created'];
      expect(afterOutput.slice(0, created.length + 1)).toEqual([...created, 'response.created']);
      const audioDelta = protocol === 'ga' ? 'response.output_audio.delta' : 'response.audio.delta';
      expect(afterOutput).toContain(audioDelta);
      const second = client.events.filter((e) => e.type === 'response.done')[1] as unknown as {
        response: { status: string; output: Array<{ type: string }> };
      };
      expect(second.response.status).toBe('completed');
      expect(second.response.output.map((o) => o.type)).toEqual(['message']);
    });
  },
);
