import { defineProviderNode, type Frame, type S2SProvider } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS } from './provider-fake-session.js';

it('a session that cannot start is reported with the provider name read as a name ("the openai-realtime session")', async () => {
  const provider: S2SProvider = {
    name: 'openai-realtime',
    capabilities: FAKE_CAPS,
    startSession: () => Promise.reject(new Error('connection refused')),
  };
  const spec = defineProviderNode({
    type: 'provider.failing',
    summary: 'a provider whose session never starts',
    config: z.object({}).strict(),
    capabilities: () => FAKE_CAPS,
    createProvider: () => provider,
    context: () => ({}),
  });
  const audio = new Subject<Frame>();
  const h = await runNode(spec, { id: 'agent', inputs: { audio } });
  h.outputs.audio?.subscribe({ error: () => {} });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const messages = [
    ...h.failures.map((f) => (f as Error).message),
    ...h.events.flatMap((e) => ('message' in e ? [e.message] : [])),
  ];
  expect(messages).toContain('provider.failing "agent": cannot start the openai-realtime session: connection refused');
  expect(messages.join('\n')).not.toMatch(/\ba openai/);
});
