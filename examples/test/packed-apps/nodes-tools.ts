// A user's file against @beluga-voice/core + @beluga-voice/nodes-tools: a tool of its own and a
// built-in one, called through the router.
import { type Frame, isFrameKind } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { defineTool, toolRouterNode } from '@beluga-voice/nodes-tools';
import { z } from 'zod';

const shout = defineTool({
  name: 'shout',
  description: 'Says the text louder',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => `${text.toUpperCase()}!`,
});

const calls: Frame[] = [
  { kind: 'tool-call', timestamp: 0, id: 'c1', name: 'shout', arguments: JSON.stringify({ text: 'hello' }) },
  { kind: 'tool-call', timestamp: 0, id: 'c2', name: 'calculator', arguments: JSON.stringify({ expression: '6*7' }) },
];
const harness = await runNode(toolRouterNode, { config: { tools: [shout, 'calculator'] }, inputs: { calls } });
const results = (await harness.collect('results')).filter((f) => isFrameKind(f, 'tool-result'));
console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.id, r.output]))));
