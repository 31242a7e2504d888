import { type ControlEvent, defineProviderNode, type Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS, FakeProvider, FakeSession } from './provider-fake-session.js';

it('a provider withdrawing tool calls becomes a cancel-tool-calls control event from the provider node', async () => {
  const session = new FakeSession([]);
  const spec = defineProviderNode({
    type: 'provider.fake',
    summary: 'test provider',
    config: z.object({}).strict(),
    capabilities: () => FAKE_CAPS,
    createProvider: () => new FakeProvider(session),
  });
  const h = await runNode(spec, { id: 'agent', inputs: { audio: new Subject<Frame>() } });
  const control: ControlEvent[] = [];
  h.ctx.control.events$.subscribe((event) => control.push(event));
  for (const stream of Object.values(h.outputs)) stream?.subscribe();
  await new Promise((resolve) => setTimeout(resolve, 0));
  session.emit({ type: 'tool-call', id: 'call-1', name: 'lookup', arguments: '{}' });
  session.emit({ type: 'tool-calls-cancelled', ids: ['call-1'] });
  expect(control).toEqual([
    { type: 'cancel-tool-calls', source: 'agent', ids: ['call-1'], reason: 'cancelled by the provider' },
  ]);
  expect(await h.close()).toEqual([]);
});
