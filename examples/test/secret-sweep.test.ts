import { fileURLToPath } from 'node:url';
import { type BusEvent, graphSpecToYaml, loadPipeline, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { nodes as toolNodes } from '@beluga-voice/nodes-tools/nodes';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { nodes as openaiNodes } from '@beluga-voice/provider-openai-realtime/nodes';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Not shaped like a provider key: only its registration as a secret can keep it out of telemetry.
const KEY = 'beluga-sweep-7Qx2Lm9Rt4Vz';
const registry = new Registry([...coreNodes, ...audioNodes, ...toolNodes, ...openaiNodes]);
const exporter = new InMemorySpanExporter();
const tracing = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let mock: MockServer;

beforeAll(async () => {
  trace.setGlobalTracerProvider(tracing);
  // The model repeats the key to the tools and in its replies, as a model shown the key would.
  mock = await startMockServer({
    apiKey: KEY,
    script: {
      chunkIntervalMs: 0,
      replies: [
        { functionCall: { name: 'store_token', arguments: { token: KEY } } },
        { functionCall: { name: 'check_token', arguments: { token: KEY } } },
        { text: `Stored ${KEY}, but it was revoked.` },
      ],
    },
  });
});
afterAll(async () => {
  await mock.close();
  await tracing.shutdown();
  trace.disable();
});

const pipeline = (baseUrl: string) => `version: 1
name: secret-sweep
nodes:
  mic:   { type: audio.file-source, config: { path: ../../fixtures/audio/single-utterance-16k.wav, pace: realtime } }
  up:    { type: audio.resample, config: { sampleRate: 24000 } }
  agent:
    type: provider.openai-realtime
    config:
      apiKey: \${SWEEP_KEY}
      baseUrl: ${baseUrl}
      instructions: You keep tokens safe.
      inputTranscription: { model: gpt-4o-mini-transcribe }
  tools: { type: tools.router, config: { tools: [{ module: ./fixtures/leaky-tools.mjs }] } }
  out:   { type: audio.null-sink }
links:
  - mic -> up -> agent -> out
  - agent.toolCalls -> tools.calls
  - { chain: "tools.results -> agent.toolResults", feedback: true }
`;

describe('a run whose tools, model and logs all handle the API key', () => {
  it('leaves the key in no span, span event, log, bus event or YAML output', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const loaded = loadPipeline(pipeline(mock.baseUrl), { registry, env: { SWEEP_KEY: KEY }, baseDir: here });
    expect(loaded.issues).toEqual([]);
    const events: BusEvent[] = [];
    const running = loaded.graph!.start({ baseDir: loaded.baseDir, emitFrames: true });
    running.events$.subscribe((e) => events.push(e));
    await running.done;

    // One user turn, three responses: two tool calls, then a reply speaking the key.
    const frames = events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
    expect(frames.flatMap((f) => (f.kind === 'tool-result' ? [f.output] : []))).toEqual([
      '{"stored":"[redacted]","note":"token [redacted] saved"}',
      'Error: tool "check_token" failed: token [redacted] was revoked',
    ]);
    expect(events.filter((e) => e.type === 'log' && e.message === 'storing [redacted]')).toHaveLength(1);
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === 'tool.execute').map((s) => s.attributes['tool.result'])).toEqual([
      '{"stored":"[redacted]","note":"token [redacted] saved"}',
      'Error: tool "check_token" failed: token [redacted] was revoked',
    ]);

    const telemetry = spans.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events,
      links: s.links,
      status: s.status,
      resource: s.resource.attributes,
    }));
    const outputs = {
      spans: JSON.stringify(telemetry),
      bus: JSON.stringify(events),
      yamlWithRegistry: graphSpecToYaml(loaded.spec, registry),
      yamlWithoutRegistry: graphSpecToYaml(loaded.spec),
    };
    for (const [where, text] of Object.entries(outputs)) expect(text, where).not.toContain(KEY);
    expect(outputs.yamlWithoutRegistry).toContain('apiKey: ${AGENT_API_KEY}');
    expect(frames.filter((f) => f.kind === 'response-done')).toHaveLength(3);
    expect(spans.length).toBeGreaterThan(10);
  }, 60_000);
});
