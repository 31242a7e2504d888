import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startProcess } from '../../../packages/transport-websocket/test/support/serve-process.js';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
const script = `${repo}deploy/local/cluster.sh`;

export interface Worker {
  readonly index: number;
  readonly url: string;
  readonly pid: number;
}

export interface Cluster {
  readonly url: string;
  readonly workers: readonly Worker[];
  readonly haproxyPid: number;
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  readonly exited: Promise<number | string>;
}

/** A free loopback port (the cluster's HAProxy needs a fixed one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs deploy/local/cluster.sh and waits for its "listening" line. */
export async function startCluster(args: readonly string[], env: Record<string, string> = {}): Promise<Cluster> {
  const port = await freePort();
  const { child, output, exited } = await startProcess('bash', [script, '--port', String(port), ...args], {
    name: 'cluster.sh',
    env,
    ready: new RegExp(`listening (http://127\\.0\\.0\\.1:${port})`),
  });
  const text = output();
  const workers = [...text.matchAll(/worker (\d+): (http:\/\/\S+) \(pid (\d+)\)/g)].map((m) => ({
    index: Number(m[1]),
    url: m[2] as string,
    pid: Number(m[3]),
  }));
  const haproxyPid = Number(/haproxy: \S+ \(pid (\d+)\)/.exec(text)?.[1]);
  return { url: `http://127.0.0.1:${port}`, workers, haproxyPid, child, output, exited };
}

/** Sends SIGTERM and waits for the cluster to exit. */
export async function stopCluster(cluster: Cluster): Promise<number | string> {
  cluster.child.kill('SIGTERM');
  return cluster.exited;
}

/** Whether a process is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A Prometheus counter or gauge a worker exposes, summed over its label sets (e.g. protocol). */
export async function workerMetric(worker: Worker, name: string): Promise<number> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (lines.length === 0) throw new Error(`${worker.url}/metrics has no ${name}`);
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
