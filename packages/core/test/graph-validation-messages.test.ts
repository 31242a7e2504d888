import {
  type AudioFormat,
  defineNode,
  GraphBuilder,
  GraphValidationError,
  Registry,
  validateGraph,
} from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const mic = defineNode({
  type: 'audio.mic',
  summary: 'test source at a configured rate',
  config: z
    .object({ sampleRate: z.number().default(16000), encoding: z.enum(['pcm16', 'mulaw']).default('pcm16') })
    .strict(),
  inputs: {},
  outputs: {
    audio: {
      kinds: ['audio'],
      format: ({ config }) => ({ encoding: config.encoding, sampleRate: config.sampleRate, channels: 1 }),
    },
  },
  create: () => () => ({}),
});

const agent = defineNode({
  type: 'provider.test',
  summary: 'test provider taking 24 kHz pcm16',
  config: z.object({ threshold: z.number().min(0).max(1).default(0.5), voice: z.string().optional() }).strict(),
  inputs: {
    audio: {
      kinds: ['audio', 'speech-start'],
      caps: { encoding: ['pcm16'], sampleRate: [24000], channels: [1] },
      required: true,
    },
    toolResults: { kinds: ['tool-result'] },
  },
  outputs: {
    audio: { kinds: ['audio'], format: { encoding: 'pcm16', sampleRate: 24000, channels: 1 } },
    toolCalls: { kinds: ['tool-call'] },
  },
  create: () => () => ({}),
});

const router = defineNode({
  type: 'tools.test-router',
  summary: 'test router',
  config: z.object({}).strict(),
  inputs: { calls: { kinds: ['tool-call'], required: true } },
  outputs: { results: { kinds: ['tool-result'] } },
  create: () => () => ({}),
});

const sink = defineNode({
  type: 'audio.sink',
  summary: 'test sink',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: {},
  create: () => () => ({}),
});

/** A converter that changes sample rate and channels of pcm16. */
const resample = defineNode({
  type: 'audio.resample',
  summary: 'test resampler',
  config: z.object({ sampleRate: z.number() }).strict(),
  inputs: { audio: { kinds: ['audio'], caps: { encoding: ['pcm16'] } } },
  outputs: {
    audio: {
      kinds: ['audio'],
      format: ({ config, inputs }) => inputs.audio && { ...inputs.audio, sampleRate: config.sampleRate },
    },
  },
  converter: {
    configFor: (from: AudioFormat, to: AudioFormat) =>
      from.encoding === 'pcm16' && to.encoding === 'pcm16' && from.channels === to.channels
        ? { sampleRate: to.sampleRate }
        : undefined,
  },
  create: () => () => ({}),
});

const decode = defineNode({
  type: 'audio.mulaw-decode',
  summary: 'test μ-law decoder',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], caps: { encoding: ['mulaw'] } } },
  outputs: {
    audio: { kinds: ['audio'], format: ({ inputs }) => inputs.audio && { ...inputs.audio, encoding: 'pcm16' } },
  },
  converter: {
    configFor: (from: AudioFormat, to: AudioFormat) =>
      from.encoding === 'mulaw' &&
      to.encoding === 'pcm16' &&
      from.sampleRate === to.sampleRate &&
      from.channels === to.channels
        ? {}
        : undefined,
  },
  create: () => () => ({ audio: undefined }),
});

const registry = () => new Registry([mic, agent, router, sink, resample, decode]);
const messages = (b: GraphBuilder) =>
  b.validate().issues.map((i) => `${i.message}${i.fix ? `; ${i.fix}` : ''} [${i.code}]`);

describe('graph validation reports every mistake with an exact message', () => {
  it('a caps mismatch names both ends and the converter to insert', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic')
      .node('agent', 'provider.test')
      .link('mic.audio', 'agent.audio');
    expect(messages(b)).toEqual([
      'could not link mic.audio -> agent.audio: 16000 Hz not accepted (24000 Hz); insert audio.resample or set autoConvert: true [caps-mismatch]',
    ]);
  });

  it('unknown node types, config keys, ports and nodes are all reported at once with near matches', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic', { sampleRate: 24000 })
      .node('agent', 'provider.test', { treshold: 0.4 })
      .node('out', 'audio.snk')
      .node('x', 'audio.vad-silero')
      .link('mic.audo', 'agent')
      .link('agent', 'outt');
    expect(messages(b)).toEqual([
      'node "agent" (provider.test): unknown config key "treshold"; did you mean "threshold"? [invalid-config]',
      'unknown node type "audio.snk" for node "out"; did you mean "audio.sink"? [unknown-node-type]',
      'unknown node type "audio.vad-silero" for node "x"; install @beluga-voice/vad-silero [unknown-node-type]',
      'link mic.audo -> agent: node "mic" (audio.mic) has no output port "audo"; did you mean "audio"? [unknown-port]',
      'link agent -> outt: unknown node "outt"; did you mean "out"? [unknown-node]',
    ]);
  });

  it('an invalid config value names the node, the key and the rule', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic', { encoding: 'opus' })
      .node('agent', 'provider.test', { threshold: 2 })
      .link('mic', 'agent');
    expect(messages(b)).toEqual([
      'node "mic" (audio.mic): config.encoding: Invalid option: expected one of "pcm16"|"mulaw" [invalid-config]',
      'node "agent" (provider.test): config.threshold: Too big: expected number to be <=1 [invalid-config]',
    ]);
  });

  it('frame kinds that do not match and required inputs left unlinked', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic', { sampleRate: 24000 })
      .node('agent', 'provider.test')
      .node('out', 'audio.sink')
      .node('spare', 'audio.sink')
      .link('mic', 'agent')
      .link('agent.toolCalls', 'out');
    expect(messages(b)).toEqual([
      'could not link agent.toolCalls -> out.audio: agent.toolCalls emits tool-call, out.audio takes audio [kind-mismatch]',
      'node "spare" (audio.sink): required input "audio" is not linked; link a node\'s output to spare.audio [unlinked-input]',
    ]);
  });

  it('a cycle needs a declared feedback link', () => {
    const base = () =>
      new GraphBuilder(registry())
        .node('mic', 'audio.mic', { sampleRate: 24000 })
        .node('agent', 'provider.test')
        .node('tools', 'tools.test-router')
        .link('mic', 'agent')
        .link('agent.toolCalls', 'tools.calls');
    expect(messages(base().link('tools.results', 'agent.toolResults'))).toEqual([
      'cycle agent -> tools -> agent without a declared feedback link; declare the link tools.results -> agent.toolResults as feedback [cycle]',
    ]);
    expect(messages(base().feedback('tools.results', 'agent.toolResults'))).toEqual([]);
  });

  it('bad queue settings name the link', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic', { sampleRate: 24000 })
      .node('agent', 'provider.test')
      .link('mic', 'agent', { queue: { max: '2 seconds' as never } });
    expect(messages(b)).toEqual([
      'link mic.audio -> agent.audio: queue max "2 seconds" is neither a frame count nor a duration like "400ms" [invalid-queue]',
    ]);
  });

  it('build() throws a GraphValidationError listing every problem', () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic')
      .node('agent', 'provider.test')
      .node('mic', 'audio.mic')
      .link('mic', 'agent');
    expect(() => b.build()).toThrow(GraphValidationError);
    try {
      b.build();
    } catch (error) {
      expect((error as GraphValidationError).issues.map((i) => i.code)).toEqual(['duplicate-node', 'caps-mismatch']);
      expect((error as Error).message).toContain('invalid pipeline (2 problems)');
    }
  });

  it('autoConvert inserts the registered converters and announces them on the bus', async () => {
    const b = new GraphBuilder(registry())
      .node('mic', 'audio.mic', { sampleRate: 8000, encoding: 'mulaw' })
      .node('agent', 'provider.test')
      .link('mic', 'agent')
      .withAutoConvert();
    const graph = b.build();
    expect(graph.inserted.map((c) => `${c.node}: ${c.converter} ${c.from} -> ${c.to}`)).toEqual([
      'mic_to_agent_mulaw-decode: audio.mulaw-decode mulaw 8000 Hz mono -> pcm16 8000 Hz mono',
      'mic_to_agent_resample: audio.resample pcm16 8000 Hz mono -> pcm16 24000 Hz mono',
    ]);
    expect(graph.links.map((l) => l.id)).toEqual([
      'mic.audio->mic_to_agent_mulaw-decode.audio',
      'mic_to_agent_mulaw-decode.audio->mic_to_agent_resample.audio',
      'mic_to_agent_resample.audio->agent.audio',
    ]);
    const pipeline = graph.start({ metricsIntervalMs: 0 });
    const announced: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'converter-inserted' && announced.push(e.converter));
    await pipeline.started;
    expect(announced).toEqual(['audio.mulaw-decode', 'audio.resample']);
    await pipeline.abort('test over');
  });

  it('validateGraph keeps issue paths for the YAML loader', () => {
    const { issues } = validateGraph(
      { nodes: [{ id: 'agent', type: 'provider.test', config: { treshold: 1 }, path: ['nodes', 'agent'] }], links: [] },
      { registry: registry() },
    );
    expect(issues.map((i) => i.path)).toEqual([
      ['nodes', 'agent', 'config', 'treshold'],
      ['nodes', 'agent'],
    ]);
  });
});
