// Runs LiveKit's Silero plugin (@livekit/agents-plugin-silero, its own onnxruntime-node) over the
// VAD fixtures in a process of its own: two onnxruntime-node versions cannot share one process.
// Prints one JSON line: per fixture the segments found, and the CPU time per 32 ms window.
import { initializeLogger, VADEventType } from '@livekit/agents';
import { VAD } from '@livekit/agents-plugin-silero';
import { AudioFrame } from '@livekit/rtc-node';
import { vadFixtures } from '../vad-fixtures.mjs';

initializeLogger({ pretty: false, level: 'warn' });
const vad = await VAD.load();
const results = [];
let windows = 0;
let cpuUs = 0;
const fixtures = vadFixtures();
// The first pass, over the first fixture, is a warm-up and is not counted.
for (const [i, fixture] of [fixtures[0], ...fixtures].entries()) {
  const stream = vad.stream();
  const frame = (fixture.sampleRate * 20) / 1000;
  const cpu = process.cpuUsage();
  const found = [];
  let seen = 0;
  (async () => {
    let start;
    for await (const event of stream) {
      if (event.type === VADEventType.INFERENCE_DONE) seen++;
      // Timestamps are at the end of the deciding window; the durations reach back to the boundary.
      if (event.type === VADEventType.START_OF_SPEECH) start = event.timestamp - event.speechDuration;
      if (event.type === VADEventType.END_OF_SPEECH) found.push([start, event.timestamp - event.silenceDuration]);
    }
  })();
  for (let at = 0; at + frame <= fixture.samples.length; at += frame) {
    stream.pushFrame(new AudioFrame(fixture.samples.slice(at, at + frame), fixture.sampleRate, 1, frame));
  }
  // endInput() throws in this version (its input writer keeps the stream locked): wait until the
  // plugin has run every window instead, then close the stream.
  const expected = Math.floor((fixture.samples.length * (16000 / fixture.sampleRate)) / 512) - 1;
  while (seen < expected) await new Promise((resolve) => setTimeout(resolve, 5));
  const used = process.cpuUsage(cpu);
  stream.close();
  if (i > 0) windows += seen;
  if (i === 0) continue;
  cpuUs += used.user + used.system;
  results.push({ name: fixture.name, found });
}
console.log(JSON.stringify({ results, cpuUsPerWindow: cpuUs / windows, windows }));
process.exit(0);
