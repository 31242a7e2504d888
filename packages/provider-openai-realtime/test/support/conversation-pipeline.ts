import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AnyNodeSpec,
  type AudioFrame,
  audioDurationMs,
  type BusEvent,
  type ControlEvent,
  defineNode,
  type Frame,
  type Graph,
  GraphBuilder,
  Registry,
  type RunningPipeline,
} from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { nodes as toolNodes } from '@beluga-voice/nodes-tools/nodes';
import { z } from 'zod';
import { nodes as openaiNodes } from '../../src/nodes.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../../fixtures/audio/${name}`, import.meta.url));
}

/** Speech segments of a fixture in ms, from `segments.json`. */
export function fixtureSpeech(name: string): Array<[number, number]> {
  const segments = JSON.parse(readFileSync(fixturePath('segments.json'), 'utf8')) as Record<
    string,
    { speech: Array<[number, number]> }
  >;
  return segments[name].speech.map(([a, b]) => [a * 1000, b * 1000]);
}

/** A 16 kHz mono pcm16 fixture's samples. */
export function fixture16k(name: string): Int16Array {
  const wav = decodeWav(readFileSync(fixturePath(name)), name, 'pcm16');
  if (wav.format.sampleRate !== 16000 || wav.format.channels !== 1) throw new Error(`${name} is not 16 kHz mono`);
  return wav.samples;
}

export function silence16k(ms: number): Int16Array {
  return new Int16Array((16000 * ms) / 1000);
}

export function concatSamples(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Writes mono pcm16 samples as a plain 44-byte-header WAV file. */
export function writeWav(path: string, samples: Int16Array, sampleRate = 16000): void {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.byteLength, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.byteLength, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}

/** A temp folder for generated inputs and outputs; `remove()` deletes it. */
export function tempFolder(prefix: string): { readonly dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `beluga-${prefix}-`));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One audio frame as it reached the recording sink (time on the pipeline clock). */
export interface SinkFrame {
  readonly at: number;
  readonly responseId: string | undefined;
  readonly ms: number;
  readonly samples: Int16Array;
}

/** Every control event in the pipeline, as the recording sink saw it. */
export interface ControlRecord {
  readonly at: number;
  readonly event: ControlEvent;
}

export interface SinkLog {
  readonly frames: SinkFrame[];
  readonly controls: ControlRecord[];
}

export function sinkLog(): SinkLog {
  return { frames: [], controls: [] };
}

/** A sink that logs when each audio frame arrives and which response it belongs to, plus every control event. */
export const recordingSink = defineNode({
  type: 'test.recording-sink',
  summary: 'Logs the arrival time and response id of each audio frame, and every control event',
  config: z
    .object({
      log: z.custom<SinkLog>((v) => typeof v === 'object' && v !== null && 'frames' in v).describe('Where to log'),
    })
    .strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: {},
  create(cfg, ctx) {
    return ({ audio }) => {
      const frames = audio.subscribe((frame: AudioFrame) => {
        cfg.log.frames.push({
          at: ctx.now(),
          responseId: frame.responseId,
          ms: audioDurationMs(frame),
          samples: frame.samples as Int16Array,
        });
      });
      const controls = ctx.control.events$.subscribe((event) => cfg.log.controls.push({ at: ctx.now(), event }));
      ctx.onClose(() => {
        frames.unsubscribe();
        controls.unsubscribe();
      });
      return {};
    };
  },
});

/** Every node type the conversation tests use: core stubs, audio nodes, the tool router, the OpenAI provider. */
export function conversationRegistry(): Registry {
  const all = [...coreNodes, ...audioNodes, ...toolNodes, ...openaiNodes, recordingSink] as unknown as AnyNodeSpec[];
  return new Registry(all);
}

export interface VoicePipelineOptions {
  /** A 16 kHz WAV played in real time. */
  readonly input: string;
  readonly loop?: boolean;
  /** Config of an `audio.vad-energy` node between the source and the resampler (local turn detection). */
  readonly vad?: Record<string, unknown>;
  readonly agent: Record<string, unknown>;
  readonly pace?: Record<string, unknown>;
  readonly log: SinkLog;
}

/**
 * The pipeline most conversation tests run: file source (real time) → [energy VAD] → 24 kHz →
 * `provider.openai-realtime` ("agent") → `audio.pace` ("pace") → recording sink ("rec").
 * Returned unbuilt, so a test can add nodes and links.
 */
export function voicePipeline(name: string, options: VoicePipelineOptions): GraphBuilder {
  const builder = new GraphBuilder(conversationRegistry(), name).node('mic', 'audio.file-source', {
    path: options.input,
    pace: 'realtime',
    ...(options.loop ? { loop: true } : {}),
  });
  if (options.vad) builder.node('vad', 'audio.vad-energy', options.vad);
  return builder
    .node('up', 'audio.resample', { sampleRate: 24000 })
    .node('agent', 'provider.openai-realtime', options.agent)
    .node('pace', 'audio.pace', options.pace)
    .node('rec', recordingSink, { log: options.log })
    .chain('mic', ...(options.vad ? ['vad'] : []), 'up', 'agent', 'pace', 'rec');
}

export interface Run {
  readonly pipeline: RunningPipeline;
  /** Every bus event so far. */
  readonly events: BusEvent[];
}

/** Starts a graph with frames on the bus and collects every bus event. */
export function startRun(graph: Graph): Run {
  const pipeline = graph.start({ emitFrames: true, metricsIntervalMs: 0 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  return { pipeline, events };
}

/** Waits for the pipeline to end on its own; aborts it and throws after `timeoutMs`. */
export async function finishWithin(run: Run, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void run.pipeline.abort('test timeout');
      reject(new Error(`the pipeline did not end within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([run.pipeline.done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type FrameEvent = Extract<BusEvent, { type: 'frame' }>;

/** Frames of `kind` that `node` emitted, with their bus time. */
export function framesOf<K extends Frame['kind']>(events: readonly BusEvent[], node: string, kind: K) {
  return events.filter(
    (e): e is FrameEvent & { frame: Extract<Frame, { kind: K }> } =>
      e.type === 'frame' && e.node === node && e.frame.kind === kind,
  );
}

export function metricsNamed(events: readonly BusEvent[], name: string) {
  return events.filter((e): e is Extract<BusEvent, { type: 'metric' }> => e.type === 'metric' && e.name === name);
}

export function marksNamed(events: readonly BusEvent[], name: string, node?: string) {
  return events.filter(
    (e): e is Extract<BusEvent, { type: 'mark' }> =>
      e.type === 'mark' && e.name === name && (node === undefined || e.node === node),
  );
}

export function warningsCoded(events: readonly BusEvent[], code: string) {
  return events.filter((e): e is Extract<BusEvent, { type: 'warning' }> => e.type === 'warning' && e.code === code);
}

export function errorsOf(events: readonly BusEvent[]) {
  return events.filter((e) => e.type === 'error');
}

/** Resolves when `predicate` holds, polling every 5 ms. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
