import { join } from 'node:path';
import { ServedPipeline } from '@beluga-voice/transport-websocket';
import { beforeAll, describe, expect, it } from 'vitest';

const file = join(import.meta.dirname, 'fixtures/call-parameters.yaml');
let pipeline: ServedPipeline;

beforeAll(async () => {
  pipeline = (await ServedPipeline.load(file, { OPENAI_API_KEY: 'sk-secret-value' })).pipeline;
});

const agentConfig = (parameters: Record<string, string>) =>
  pipeline.graphFor(parameters).nodes.get('agent')?.config as {
    latencyMs: number;
    sampleRate: number;
    script: Array<{ reply: Array<{ say: string }> }>;
  };

describe('per-call parameters reach the pipeline only through the call.NAME references it declares', () => {
  it('finds the declared names and serves browsers from the transport nodes', () => {
    expect([...pipeline.callNames].sort()).toEqual(['caller', 'latency']);
    expect(pipeline.protocols).toEqual({
      browser: {
        input: { encoding: 'pcm16', sampleRate: 16000, channels: 1 },
        output: { encoding: 'pcm16', sampleRate: 16000, channels: 1 },
      },
      twilio: false,
    });
  });

  it('without parameters every call shares the graph validated at startup, defaults applied', () => {
    expect(pipeline.graphFor({})).toBe(pipeline.graphFor({ unrelated: 'x' }));
    expect(agentConfig({}).latencyMs).toBe(300);
    expect(agentConfig({}).script[0]?.reply[0]?.say).toBe('Hello there');
  });

  it('declared names take the caller values; undeclared ones change nothing', () => {
    const config = agentConfig({ latency: '1200', caller: 'Ann', sampleRate: '8000', apiKey: 'x' });
    expect(config.latencyMs).toBe(1200);
    expect(config.sampleRate).toBe(16000);
    expect(config.script[0]?.reply[0]?.say).toBe('Hello Ann');
  });

  it('a value is data, never YAML or a variable: it cannot add config or read the environment', () => {
    const say = agentConfig({ caller: '${OPENAI_API_KEY}"\n      realtime: false' }).script[0]?.reply[0]?.say;
    expect(say).toBe('Hello ${OPENAI_API_KEY}"\n      realtime: false');
  });

  it('a value the config rejects fails that call with the field named', () => {
    expect(() => agentConfig({ latency: 'soon' })).toThrow(
      /the call's parameters make the pipeline invalid: .*latencyMs/s,
    );
  });
});
