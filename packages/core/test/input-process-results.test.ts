import { defineNode, type Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { map, of, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frame, frameValue } from './support/test-nodes.js';

/** Labels each frame through `input.process`, returning a value, a promise or an observable. */
const labeller = defineNode({
  type: 'test.labeller',
  summary: 'labels frames asynchronously',
  config: z.object({ result: z.enum(['value', 'promise', 'observable']) }).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: { text: { kinds: ['text'] } },
  create:
    (cfg, ctx) =>
    ({ audio }) => ({
      text: audio.process((f: Frame) => {
        const text: Frame = { kind: 'text', timestamp: f.timestamp, text: `frame ${frameValue(f)}` };
        if (cfg.result === 'value') return text;
        if (cfg.result === 'promise') return Promise.resolve(text);
        return timer(5, ctx.scheduler).pipe(map(() => text));
      }),
    }),
});

describe('input.process', () => {
  it.each(['value', 'promise', 'observable'] as const)(
    'takes a %s per frame and passes on what it yields, in order, one frame at a time',
    async (result) => {
      const h = await runNode(labeller, { config: { result }, inputs: { audio: of(frame(1), frame(2), frame(3)) } });
      const out = await h.collect('text');
      expect(out.map((f) => (f.kind === 'text' ? f.text : ''))).toEqual(['frame 1', 'frame 2', 'frame 3']);
    },
  );
});
