import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';

const KEY = 'sk-update-0123456789abcdef';
const lookup = {
  name: 'lookup_order',
  description: 'Looks up an order',
  parameters: { type: 'object', properties: {} },
};

describe('provider.openai-realtime: updateSession', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it.each(['ga', 'beta'] as const)('%s: sends only what changes and resolves on session.updated', async (protocol) => {
    server = await startMockServer({ apiKey: KEY });
    const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl, protocol }).startSession({
      systemPrompt: 'Be brief.',
    });
    await session.updateSession({ instructions: 'Speak French.', tools: [lookup] });
    const update = server.received.filter((r) => r.event.type === 'session.update')[1].event;
    const tools = [{ type: 'function', ...lookup }];
    expect(update.session).toEqual(
      protocol === 'ga'
        ? { type: 'realtime', instructions: 'Speak French.', tools }
        : { instructions: 'Speak French.', tools },
    );
    expect((server.received[0].event.session as { instructions: string }).instructions).toBe('Be brief.');
    await session.close();
    await expect(session.updateSession({ instructions: 'x' })).rejects.toMatchObject({ code: 'closed' });
  });
});
