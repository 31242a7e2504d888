import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CallProtocol } from './call-connection.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

/** The server's Prometheus metrics, in a registry of its own (two servers in one process stay apart). */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly active = new Gauge({
    name: 'beluga_sessions_active',
    help: 'Live sessions',
    labelNames: ['protocol'],
    registers: [this.registry],
  });
  readonly capacity = new Gauge({
    name: 'beluga_sessions_capacity',
    help: 'Most live sessions this worker admits (--max-sessions)',
    registers: [this.registry],
  });
  readonly draining = new Gauge({
    name: 'beluga_draining',
    help: '1 while the worker drains (it admits no new session)',
    registers: [this.registry],
  });
  readonly started = new Counter({
    name: 'beluga_sessions_started_total',
    help: 'Sessions started',
    labelNames: ['protocol'],
    registers: [this.registry],
  });
  readonly ended = new Counter({
    name: 'beluga_sessions_ended_total',
    help: 'Sessions that ended cleanly',
    labelNames: ['protocol'],
    registers: [this.registry],
  });
  readonly failed = new Counter({
    name: 'beluga_sessions_failed_total',
    help: 'Sessions whose pipeline failed or that were refused mid-start',
    labelNames: ['protocol'],
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'beluga_sessions_refused_total',
    help: 'Connections refused before a session started',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly turnLatency = new Histogram({
    name: 'beluga_turn_latency_seconds',
    help: 'Per-turn latency: voice_to_voice (end of caller speech to first reply audio played), framework, and loop_lag (event-loop lag when the reply was read)',
    labelNames: ['kind'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDrops = new Counter({
    name: 'beluga_queue_drops_total',
    help: 'Frames dropped by a link queue of a pipeline instance',
    registers: [this.registry],
  });
  readonly transportDrops = new Counter({
    name: 'beluga_transport_drops_total',
    help: 'Audio messages dropped at the connection (caller not reading, or audio before the pipeline listened)',
    labelNames: ['protocol'],
    registers: [this.registry],
  });

  constructor(maxSessions: number) {
    this.capacity.set(maxSessions);
    this.draining.set(0);
    for (const protocol of ['browser', 'twilio'] satisfies CallProtocol[]) this.active.set({ protocol }, 0);
    // Event-loop lag (nodejs_eventloop_lag_p99_seconds …), heap, handles, CPU.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }
}
