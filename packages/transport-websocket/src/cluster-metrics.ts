import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/** IPC messages between `beluga serve --workers N`'s primary and its workers. */
export type ClusterMessage =
  | { readonly type: 'beluga:metrics-request'; readonly id: number }
  | { readonly type: 'beluga:metrics-text'; readonly id: number; readonly text: string; readonly contentType: string }
  | { readonly type: 'beluga:metrics-collect'; readonly id: number }
  | {
      readonly type: 'beluga:metrics-json';
      readonly id: number;
      readonly metrics: MetricObjectWithValues<MetricValue<string>>[];
    };

const isMessage = (m: unknown): m is ClusterMessage =>
  typeof m === 'object' && m !== null && String((m as { type?: unknown }).type).startsWith('beluga:metrics');

/** How long a /metrics request waits for the other workers before it answers with what it has. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * Worker side: labels this worker's series `worker="N"`, answers the primary's collection
 * requests, and returns how /metrics gets every worker's series in one exposition (through the
 * primary), or undefined outside a cluster worker.
 */
export function workerMetrics(registry: Registry): (() => Promise<string>) | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  registry.setDefaultLabels({ worker: String(cluster.worker?.id ?? process.pid) });
  const waiting = new Map<number, (text: string) => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'beluga:metrics-collect') {
      void registry
        .getMetricsAsJSON()
        .then((metrics) => process.send?.({ ...message, type: 'beluga:metrics-json', metrics }));
    } else if (message.type === 'beluga:metrics-text') {
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = ++next;
      const own = () => registry.metrics().then(resolve);
      const timer = setTimeout(() => {
        waiting.delete(id);
        void own();
      }, COLLECT_TIMEOUT_MS * 2);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      process.send?.({ type: 'beluga:metrics-request', id } satisfies ClusterMessage);
    });
}

/** Primary side: answers a worker's /metrics with every live worker's series, merged by metric. */
export function serveClusterMetrics(): () => void {
  let next = 0;
  const onMessage = (worker: Worker, message: unknown) => {
    if (!isMessage(message) || message.type !== 'beluga:metrics-request') return;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected()) as Worker[];
    const id = ++next;
    const replies: MetricObjectWithValues<MetricValue<string>>[][] = [];
    const finish = () => {
      for (const w of workers) w.off('message', collect);
      clearTimeout(timer);
      const merged = AggregatorRegistry.aggregate(replies);
      void merged.metrics().then((text) => {
        if (worker.isConnected())
          worker.send({ type: 'beluga:metrics-text', id: message.id, text, contentType: merged.contentType });
      });
    };
    const collect = (reply: unknown) => {
      if (!isMessage(reply) || reply.type !== 'beluga:metrics-json' || reply.id !== id) return;
      replies.push(reply.metrics);
      if (replies.length === workers.length) finish();
    };
    const timer = setTimeout(finish, COLLECT_TIMEOUT_MS);
    for (const w of workers) {
      w.on('message', collect);
      w.send({ type: 'beluga:metrics-collect', id } satisfies ClusterMessage);
    }
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
