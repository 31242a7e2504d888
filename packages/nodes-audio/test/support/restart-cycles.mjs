// Starts and stops a file-source pipeline `cycles` times in one process (run by file-source-release.test.ts
// under a low descriptor limit). Prints one JSON line: the most file closes ever pending after a `stop()`
// resolved, the descriptors still open on the file, and the heap growth after the warm-up.
import { readdirSync, readlinkSync } from 'node:fs';
import { GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes } from '@beluga-voice/nodes-audio/nodes';

const [path, cycles, wait] = [process.argv[2], Number(process.argv[3]), process.argv[4] === 'started'];
const graph = new GraphBuilder(new Registry(nodes))
  .node('mic', 'audio.file-source', { path, pace: 'realtime' })
  .node('sink', 'audio.null-sink')
  .chain('mic', 'sink')
  .build();
const FS_REQUESTS = new Set(['FileHandleCloseReq', 'FSReqPromise', 'FSReqCallback']);
const pending = () => process.getActiveResourcesInfo().filter((r) => FS_REQUESTS.has(r)).length;
const openOnFile = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

let maxPending = 0;
let maxOpen = 0;
let warmHeap = 0;
for (let i = 0; i < cycles; i++) {
  if (i === 50) warmHeap = heap();
  const pipeline = graph.start({ metricsIntervalMs: 0 });
  if (wait) await pipeline.started;
  await pipeline.stop();
  maxPending = Math.max(maxPending, pending());
  maxOpen = Math.max(maxOpen, openOnFile());
}
const heapGrowthMb = (heap() - warmHeap) / 1e6;
console.log(JSON.stringify({ cycles, maxPending, maxOpen, heapGrowthMb }));
