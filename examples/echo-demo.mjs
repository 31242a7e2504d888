// Runs a fixture WAV through the echo provider, as a live call would: file source at real-time
// pace -> energy VAD -> resample to 24 kHz -> provider.echo -> playback pacer -> file sink. It
// also records the conversation (user left, echo right) so you can hear where the echo lands.
// Speaking while the echo plays interrupts it (try fixtures/audio/two-turns-16k.wav).
//
//   pnpm demo                      (builds, then runs this file)
//   node examples/echo-demo.mjs [input.wav] [latencyMs]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';

/**
 * The demo graph; `examples/echo-demo.yaml` declares the same one (a test checks they match).
 * @param {{ input: string, echoPath: string, conversationPath: string, latencyMs: number }} paths
 */
export function echoDemoGraph({ input, echoPath, conversationPath, latencyMs }) {
  return new GraphBuilder(new Registry([...coreNodes, ...audioNodes]), 'echo-demo')
    .node('mic', 'audio.file-source', { path: input, pace: 'realtime' })
    .node('vad', 'audio.vad-energy')
    .node('up', 'audio.resample', { sampleRate: 24_000 })
    .node('agent', 'provider.echo', { sampleRate: 24_000, latencyMs })
    .node('play', 'audio.pace')
    .node('out', 'audio.file-sink', { path: echoPath })
    .node('userUp', 'audio.resample', { sampleRate: 24_000 })
    .node('rec', 'audio.recorder', { path: conversationPath, align: 'timestamp' })
    .chain('mic', 'vad', 'up', 'agent', 'play', 'out')
    .chain('mic', 'userUp', 'rec.user')
    .link('play', 'rec.assistant');
}

/**
 * @param {{ input?: string, outDir?: string, latencyMs?: number }} [options]
 * @returns {Promise<{ echoPath: string, conversationPath: string, events: import('@beluga-voice/core').BusEvent[] }>}
 */
export async function runEchoDemo(options = {}) {
  const input = options.input ?? fileURLToPath(new URL('../fixtures/audio/single-utterance-16k.wav', import.meta.url));
  const outDir = options.outDir ?? fileURLToPath(new URL('./out/', import.meta.url));
  const latencyMs = options.latencyMs ?? 300;
  const echoPath = join(outDir, 'echo.wav');
  const conversationPath = join(outDir, 'conversation.wav');
  const graph = echoDemoGraph({ input, echoPath, conversationPath, latencyMs }).build();

  const pipeline = graph.start({ emitFrames: true });
  /** @type {import('@beluga-voice/core').BusEvent[]} */
  const events = [];
  pipeline.events$.subscribe((event) => events.push(event));
  await pipeline.done;
  return { echoPath, conversationPath, events };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, latency] = process.argv.slice(2);
  const { echoPath, conversationPath, events } = await runEchoDemo({
    ...(input ? { input } : {}),
    ...(latency ? { latencyMs: Number(latency) } : {}),
  });
  const start = events[0]?.time ?? 0;
  /** @param {import('@beluga-voice/core').BusEvent} event */
  const at = (event) => `${(event.time - start).toFixed(0).padStart(6)} ms`;
  for (const event of events) {
    if (event.type === 'mark' && event.node === 'agent')
      console.log(`${at(event)}  ${event.name} ${JSON.stringify(event.data)}`);
    if (event.type === 'frame' && event.node === 'vad' && event.port === 'events')
      console.log(`${at(event)}  ${event.frame.kind} (vad)`);
    if (event.type === 'error' || event.type === 'warning')
      console.log(`${at(event)}  ${event.type}: ${event.message}`);
  }
  console.log(`echo:         ${echoPath}\nconversation: ${conversationPath} (user left, echo right)`);
}
