import { randomUUID } from 'node:crypto';
import { type BusEvent, type RunningPipeline, redact } from '@beluga-voice/core';
import { CALL_SERVICE, type CallProtocol } from './call-connection.js';
import { CLOSE } from './connection-limits.js';
import type { ServedPipeline } from './served-pipeline.js';
import type { ServerMetrics } from './server-metrics.js';
import type { SocketCall } from './socket-call.js';

export interface SessionHostOptions {
  readonly maxSessions: number;
  /** One line per session start and end. */
  readonly log: (line: string) => void;
  /** Every bus event of every session, tagged with the session (the CLI's `--events`). */
  readonly onEvent?: (session: string, event: BusEvent) => void;
}

interface LiveSession {
  readonly id: string;
  readonly call: SocketCall;
  running?: RunningPipeline;
  turns: number;
  bargeIns: number;
  readonly finished: Promise<void>;
}

/** After the caller hangs up, how long the instance may drain before it is closed. */
const HANGUP_DRAIN_MS = 1000;
/** When a drain times out, how long each instance gets to stop cleanly (recordings completed). */
const FORCED_STOP_MS = 3000;

/** Runs one pipeline instance per call, admits up to `maxSessions`, and drains on shutdown. */
export class SessionHost {
  private readonly sessions = new Map<string, LiveSession>();
  private reserved = 0;
  private isDraining = false;

  constructor(
    private readonly pipeline: ServedPipeline,
    private readonly metrics: ServerMetrics,
    private readonly options: SessionHostOptions,
  ) {}

  get active(): number {
    return this.sessions.size;
  }

  get capacity(): number {
    return this.options.maxSessions;
  }

  get draining(): boolean {
    return this.isDraining;
  }

  /** Why a new connection cannot be admitted now, or undefined when it can (and its slot is then held). */
  reserve(): 'draining' | 'full' | undefined {
    if (this.isDraining) return 'draining';
    if (this.sessions.size + this.reserved >= this.options.maxSessions) return 'full';
    this.reserved++;
    return undefined;
  }

  /** Gives back a slot whose upgrade did not complete. */
  release(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** Runs a session on the reserved slot until the call or its pipeline ends. */
  run(call: SocketCall, parameters: Promise<Readonly<Record<string, string>>>): Promise<void> {
    this.reserved = Math.max(0, this.reserved - 1);
    const id = call.id;
    let finish!: () => void;
    const session: LiveSession = {
      id,
      call,
      turns: 0,
      bargeIns: 0,
      finished: new Promise((resolve) => (finish = resolve)),
    };
    this.sessions.set(id, session);
    this.metrics.active.inc({ protocol: call.protocol });
    void this.runSession(session, parameters).finally(() => {
      this.sessions.delete(id);
      this.metrics.active.dec({ protocol: call.protocol });
      finish();
    });
    return session.finished;
  }

  /**
   * Admits no new session; live ones finish on their own within `timeoutMs`, then the rest are
   * stopped cleanly (queues drained, recordings completed) and their callers told why.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.isDraining = true;
    this.metrics.draining.set(1);
    const all = () => Promise.all([...this.sessions.values()].map((s) => s.finished));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    for (const session of this.sessions.values()) {
      this.options.log(`session ${session.id}: drain timeout, stopping it`);
      void session.running?.stop({ timeoutMs: FORCED_STOP_MS }).catch(() => undefined);
    }
    await all();
  }

  /** Ends every session at once (a second signal). */
  async abort(): Promise<void> {
    this.isDraining = true;
    for (const session of this.sessions.values()) {
      void session.running?.abort('server shutting down').catch(() => undefined);
      session.call.close(CLOSE.goingAway, 'server shutting down');
    }
    await Promise.all([...this.sessions.values()].map((s) => s.finished));
  }

  private async runSession(session: LiveSession, parameters: Promise<Readonly<Record<string, string>>>): Promise<void> {
    const { call, id } = session;
    const protocol: CallProtocol = call.protocol;
    let failure: string | undefined;
    try {
      const graph = this.pipeline.graphFor(await parameters);
      const running = graph.start({
        baseDir: this.pipeline.baseDir,
        services: { [CALL_SERVICE]: call },
        emitFrames: protocol === 'browser',
      });
      session.running = running;
      const bus = running.events$.subscribe((event) => this.onEvent(session, event));
      this.metrics.started.inc({ protocol });
      this.options.log(`session ${id} started (${protocol})`);
      void call.ended.then(() => running.stop({ timeoutMs: HANGUP_DRAIN_MS }).catch(() => undefined));
      try {
        await running.done;
      } finally {
        bus.unsubscribe();
        const drops = running.queueStats().reduce((sum, q) => sum + q.drops, 0);
        if (drops > 0) this.metrics.queueDrops.inc(drops);
      }
    } catch (error) {
      failure = redact(error instanceof Error ? error.message : String(error));
    }
    if (call.dropped > 0) this.metrics.transportDrops.inc({ protocol }, call.dropped);
    if (failure === undefined) {
      this.metrics.ended.inc({ protocol });
      call.close(CLOSE.normal, 'session ended');
    } else {
      this.metrics.failed.inc({ protocol });
      call.close(CLOSE.internal, `session failed: ${failure}`);
    }
    const reason = await call.ended;
    const outcome = failure === undefined ? 'ended' : `failed: ${failure}`;
    this.options.log(
      `session ${id} ${outcome} (${protocol}, ${session.turns} turns, ${session.bargeIns} barge-ins, ${call.dropped} dropped; caller: ${reason})`,
    );
  }

  private onEvent(session: LiveSession, event: BusEvent): void {
    this.options.onEvent?.(session.id, event);
    if (event.type === 'mark' && event.name === 'turn') {
      session.turns++;
      const data = event.data as
        | { voiceToVoiceMs?: number; frameworkLatencyMs?: number; loopLagMs?: number }
        | undefined;
      if (data?.voiceToVoiceMs !== undefined)
        this.metrics.turnLatency.observe({ kind: 'voice_to_voice' }, data.voiceToVoiceMs / 1000);
      if (data?.frameworkLatencyMs !== undefined)
        this.metrics.turnLatency.observe({ kind: 'framework' }, data.frameworkLatencyMs / 1000);
      if (data?.loopLagMs !== undefined) this.metrics.turnLatency.observe({ kind: 'loop_lag' }, data.loopLagMs / 1000);
      session.call.notify({ type: 'turn', ...data });
    } else if (event.type === 'mark' && event.name === 'interrupt') {
      session.bargeIns++;
      session.call.notify({ type: 'interrupt', ...event.data });
    } else if (event.type === 'frame' && event.frame.kind === 'transcript' && event.frame.final) {
      session.call.notify({ type: 'transcript', role: event.frame.role, text: event.frame.text });
    } else if (event.type === 'frame' && event.frame.kind === 'speech-start') {
      session.call.notify({ type: 'speech-start' });
    }
  }
}

export function newSessionId(): string {
  return randomUUID().slice(0, 8);
}
