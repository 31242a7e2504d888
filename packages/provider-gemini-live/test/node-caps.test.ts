import { GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { describe, expect, it } from 'vitest';
import { nodes as geminiNodes } from '../src/nodes.js';

const registry = () => new Registry([...coreNodes, ...audioNodes, ...geminiNodes]);
const KEY = { apiKey: 'AIza-caps-0123456789' };

function graph() {
  return new GraphBuilder(registry())
    .node('mic', 'audio.file-source', { path: 'fixtures/audio/two-turns-16k.wav' })
    .node('up', 'audio.resample', { sampleRate: 24_000 })
    .node('agent', 'provider.gemini-live', KEY)
    .node('out', 'audio.null-sink')
    .chain('mic', 'up', 'agent', 'out');
}

describe('provider.gemini-live caps', () => {
  it('a graph that feeds it 24 kHz fails at build time, naming the link and the converter', () => {
    const issues = graph()
      .validate()
      .issues.map((i) => `${i.message}${i.fix ? `; ${i.fix}` : ''}`);
    expect(issues).toEqual([
      'could not link up.audio -> agent.audio: 24000 Hz not accepted (16000 Hz); insert audio.resample or set autoConvert: true',
    ]);
  });

  it('with autoConvert, a resampler to 16 kHz is inserted and the output is declared 24 kHz', () => {
    const built = graph().withAutoConvert().build();
    expect(built.inserted.map((c) => c.converter)).toEqual(['audio.resample']);
    const agent = built.nodes.get('agent');
    expect(agent?.formats.outputs.audio).toEqual({ encoding: 'pcm16', sampleRate: 24_000, channels: 1 });
  });
});
