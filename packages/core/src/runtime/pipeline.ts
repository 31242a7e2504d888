import { context, type Meter, metrics, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { type Observable, type SchedulerLike, Subject, type Subscription } from 'rxjs';
import type { BusEvent, PipelineState } from '../bus.js';
import type { ControlEvent } from '../control.js';
import type { Frame } from '../frames.js';
import type { ResolvedGraph } from '../graph/resolved.js';
import type { NodeInputs } from '../node.js';
import { redactingTracer } from '../redacting-tracer.js';
import { errorMessage, redactDeep } from '../secrets.js';
import { highResolutionScheduler } from './clock.js';
import { errorCode, NodeReportedError, PipelineAbortedError, PipelineError } from './errors.js';
import { InputPort } from './input-port.js';
import { LinkQueue } from './link-queue.js';
import { createNodeContext } from './node-context.js';
import { NodeRuntime } from './node-runtime.js';
import { QueueReport } from './queue-report.js';
import { limitText } from './queue-settings.js';

export interface StartOptions {
  /** Drives every timer in the runtime and the nodes (inject a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
  /** Folder that relative paths in node configs resolve against. */
  readonly baseDir?: string;
  readonly tracer?: Tracer;
  readonly meter?: Meter;
  /** Publish every non-audio frame on the bus as a `frame` event (the CLI's `--events`). */
  readonly emitFrames?: boolean;
  /** How often queue depth and drops are reported on the bus; 0 turns the report off. */
  readonly metricsIntervalMs?: number;
  /** Objects the host lends to the nodes of this run, read through `ctx.services` (e.g. a live connection). */
  readonly services?: Readonly<Record<string, unknown>>;
}

export interface StopOptions {
  /** How long queues may drain before the rest is closed at once. */
  readonly timeoutMs?: number;
}

export interface QueueStats {
  readonly link: string;
  readonly depth: number;
  readonly maxDepth: number;
  readonly bufferedMs: number;
  readonly drops: number;
  /** Milliseconds of audio in the dropped frames. */
  readonly droppedMs: number;
  readonly flushed: number;
}

export interface RunningPipeline {
  readonly name: string;
  readonly state: PipelineState;
  /** The bus: errors, warnings, state changes, metrics and latency marks. Completes after the pipeline ends. */
  readonly events$: Observable<BusEvent>;
  /** Resolves once every node is created and connected; rejects if that fails. */
  readonly started: Promise<void>;
  /** Resolves when the pipeline has stopped; rejects with the cause when it failed or was aborted. */
  readonly done: Promise<void>;
  /** Stops sources, lets queues drain (within `timeoutMs`, default 5000), then closes every node. */
  stop(options?: StopOptions): Promise<void>;
  /** Closes every node at once; `done` rejects with `PipelineAbortedError`. */
  abort(reason?: string): Promise<void>;
  /** Sends an out-of-band control event from outside the graph (e.g. a push-to-talk button). */
  control(event: ControlEvent): void;
  queueStats(): QueueStats[];
}

export class Pipeline implements RunningPipeline {
  readonly name: string;
  private currentState: PipelineState = 'created';
  private readonly bus = new Subject<BusEvent>();
  readonly events$: Observable<BusEvent> = this.bus.asObservable();
  private readonly control$ = new Subject<ControlEvent>();
  private readonly scheduler: SchedulerLike;
  private readonly tracer: Tracer;
  private readonly meter: Meter;
  private readonly nodes = new Map<string, NodeRuntime>();
  private readonly queues: Array<{ queue: LinkQueue; from: string; to: string }> = [];
  private readonly downstreamCache = new Map<string, LinkQueue[]>();
  private readonly timers: Subscription[] = [];
  private readonly queueReport: QueueReport;
  private readonly pipelineSpan;
  private stopRequested?: StopOptions;
  /** Scheduler time at which a stop under way closes every node. */
  private stopDeadlineAt: number | undefined;
  private finishing?: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;
  readonly done: Promise<void>;
  readonly started: Promise<void>;
  private resolveStarted!: () => void;
  private rejectStarted!: (error: Error) => void;

  constructor(
    private readonly graph: ResolvedGraph,
    private readonly options: StartOptions = {},
  ) {
    this.name = graph.spec.name ?? 'pipeline';
    this.scheduler = options.scheduler ?? highResolutionScheduler;
    this.tracer = redactingTracer(options.tracer ?? trace.getTracer('@beluga-voice/core'));
    this.meter = options.meter ?? metrics.getMeter('@beluga-voice/core');
    this.pipelineSpan = this.tracer.startSpan('beluga.pipeline', {
      attributes: { 'beluga.pipeline.name': this.name, 'beluga.pipeline.nodes': graph.nodes.size },
    });
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.started = new Promise<void>((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    // Callers may ignore these promises; a rejection must never become an unhandled one.
    this.done.catch(() => {});
    this.started.catch(() => {});
    this.build();
    this.queueReport = new QueueReport(
      this.meter,
      this.queues.map((q) => q.queue),
      (e) => this.publish(e),
      () => this.now(),
    );
    queueMicrotask(() => void this.run());
  }

  get state(): PipelineState {
    return this.currentState;
  }

  queueStats(): QueueStats[] {
    return this.queues.map(({ queue }) => ({
      link: queue.id,
      depth: queue.size,
      maxDepth: queue.maxDepth,
      bufferedMs: queue.bufferedMs,
      drops: queue.drops,
      droppedMs: queue.droppedMs,
      flushed: queue.flushed,
    }));
  }

  control(event: ControlEvent): void {
    this.sendControl(event);
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (this.finishing) return this.finishing;
    if (this.currentState === 'created' || this.currentState === 'starting') {
      this.stopRequested = options;
      return this.done.then(
        () => {},
        () => {},
      );
    }
    if (this.currentState === 'draining') return this.done.catch(() => {});
    this.setState('draining');
    const timeoutMs = options.timeoutMs ?? 5000;
    this.stopDeadlineAt = this.now() + timeoutMs;
    this.timers.push(
      this.scheduleOnce(timeoutMs, () => {
        const pending = [...this.nodes.values()].filter((n) => !n.finished).map((n) => n.id);
        this.publish({
          type: 'warning',
          time: this.now(),
          code: 'drain-timeout',
          message: `queues did not drain within ${timeoutMs} ms (still running: ${pending.join(', ')}); closing now`,
        });
        void this.finish('stopped');
      }),
    );
    for (const node of this.nodes.values()) {
      if (node.isSource) this.endOutputs(node);
    }
    this.checkDone();
    return this.done.catch(() => {});
  }

  abort(reason = 'abort() called'): Promise<void> {
    if (this.finishing) return this.finishing;
    return this.finish('stopped', new PipelineAbortedError(reason));
  }

  private now(): number {
    return this.scheduler.now();
  }

  private publish(event: BusEvent): void {
    if (this.bus.closed) return;
    try {
      this.bus.next(event);
    } catch (error) {
      // A throwing bus subscriber must not break the data path; report it once as an event.
      queueMicrotask(() => {
        if (!this.bus.closed) {
          this.bus.next({
            type: 'error',
            time: this.now(),
            message: `bus subscriber threw: ${errorMessage(error)}`,
            fatal: false,
          });
        }
      });
    }
  }

  private setState(state: PipelineState, reason?: string): void {
    this.currentState = state;
    this.publish({ type: 'pipeline-state', time: this.now(), state, ...(reason ? { reason } : {}) });
  }

  private scheduleOnce(delay: number, fn: () => void): Subscription {
    return this.scheduler.schedule(fn, delay);
  }

  /** Creates the runtime objects for every node and link (no user code runs yet). */
  private build(): void {
    for (const node of this.graph.nodes.values()) this.nodes.set(node.id, new NodeRuntime(node));
    for (const rt of this.nodes.values()) {
      for (const port of Object.keys(rt.node.spec.inputs)) {
        rt.inputs.set(
          port,
          new InputPort(
            rt.id,
            port,
            this.scheduler,
            () => rt.demand.ready,
            () => this.checkDone(),
          ),
        );
      }
      for (const port of Object.keys(rt.node.spec.outputs)) rt.outgoing.set(port, []);
    }
    for (const link of this.graph.links) {
      const producer = this.nodes.get(link.from.node) as NodeRuntime;
      const consumer = this.nodes.get(link.to.node) as NodeRuntime;
      const queue = new LinkQueue(link);
      const target = consumer.inputs.get(link.to.port) as InputPort;
      target.attach(queue);
      producer.outgoing.get(link.from.port)?.push({ queue, target });
      this.queues.push({ queue, from: link.from.node, to: link.to.node });
      queue.onOverflow = (q, dropped) => this.onOverflow(q, dropped);
      queue.onFullChange = (full) => {
        if (full) producer.blocked.add(queue);
        else producer.blocked.delete(queue);
        producer.demand.set(producer.blocked.size === 0);
        if (producer.demand.ready) for (const port of producer.inputs.values()) port.pump();
      };
    }
  }

  private onOverflow(queue: LinkQueue, dropped: Frame | undefined): void {
    if (queue.limits.overflow !== 'error') {
      this.queueReport.dropped(queue, dropped);
      return;
    }
    const error = new PipelineError(`queue ${queue.id} overflowed (max ${limitText(queue.limits)}, overflow: error)`);
    this.publish({ type: 'error', time: this.now(), code: 'queue-overflow', message: error.message, fatal: true });
    void this.finish('failed', error);
  }

  private async run(): Promise<void> {
    this.setState('starting');
    for (const c of this.graph.inserted) {
      this.publish({ type: 'converter-inserted', time: this.now(), ...c });
    }
    for (const w of this.graph.warnings) {
      this.publish({ type: 'warning', time: this.now(), code: w.code, message: `${w.message} (${w.fix})` });
    }
    this.queueReport.start();
    try {
      await Promise.all([...this.nodes.values()].map((rt) => this.createNode(rt)));
    } catch (error) {
      const failure =
        error instanceof PipelineError ? error : new PipelineError(`pipeline could not start: ${errorMessage(error)}`);
      this.rejectStarted(failure);
      await this.finish('failed', failure);
      return;
    }
    if (this.finishing) {
      this.rejectStarted(new PipelineError('pipeline ended while starting'));
      return;
    }
    this.setState('running');
    // Consumers subscribe before their producers so that no early frame meets an absent consumer.
    for (const id of [...this.graph.order].reverse()) {
      const rt = this.nodes.get(id) as NodeRuntime;
      this.connect(rt);
      if (this.finishing) break;
    }
    if (!this.finishing) this.startMetricsReport();
    this.resolveStarted();
    if (this.stopRequested) void this.stop(this.stopRequested);
    else this.checkDone();
  }

  private async createNode(rt: NodeRuntime): Promise<void> {
    const parent = trace.setSpan(context.active(), this.pipelineSpan);
    rt.span = this.tracer.startSpan(
      'beluga.node',
      { attributes: { 'beluga.node.id': rt.id, 'beluga.node.type': rt.type } },
      parent,
    );
    rt.handle = createNodeContext({
      id: rt.id,
      type: rt.type,
      scheduler: this.scheduler,
      tracer: this.tracer,
      meter: this.meter,
      publish: (e) => this.publishFromNode(rt, e),
      control$: this.control$.asObservable(),
      sendControl: (e) => this.sendControl(e),
      demand: rt.demand,
      formats: rt.node.formats,
      baseDir: this.options.baseDir ?? process.cwd(),
      services: this.options.services ?? {},
      linkedOffers: (key) => this.linkedOffers(rt.id, key),
      fail: (error) => this.onNodeError(rt, error),
      stopDeadline: () => this.stopDeadlineAt,
      traceContext: trace.setSpan(parent, rt.span),
    });
    try {
      const creating = Promise.resolve(rt.node.spec.create(rt.node.config, rt.handle.ctx));
      rt.creating = creating;
      rt.run = await creating;
    } catch (error) {
      const message = `node "${rt.id}" (${rt.type}) could not start: ${errorMessage(error)}`;
      this.publish({ type: 'error', time: this.now(), node: rt.id, message, fatal: true });
      throw new PipelineError(message, rt.id, { cause: error });
    }
    this.publish({ type: 'node-state', time: this.now(), node: rt.id, state: 'created' });
  }

  /**
   * A node that reports its own fatal error is failing: the runtime reports the failure, once and
   * under the node's error policy, instead of the node's event and then its erroring outputs.
   */
  private publishFromNode(rt: NodeRuntime, event: BusEvent): void {
    if (event.type === 'error' && event.fatal && !this.finishing) {
      this.onNodeError(rt, new NodeReportedError(event.message, event.code));
      return;
    }
    this.publish(event);
  }

  private linkedOffers(id: string, key: string): unknown[] {
    const out: unknown[] = [];
    for (const link of this.graph.links) {
      const other = link.from.node === id ? link.to.node : link.to.node === id ? link.from.node : undefined;
      if (other === undefined) continue;
      const value = this.nodes.get(other)?.handle?.offers.get(key);
      if (value !== undefined && !out.includes(value)) out.push(value);
    }
    return out;
  }

  /** Runs the node's factory result on its input streams and pipes every output into its links. */
  private connect(rt: NodeRuntime): void {
    const inputs: Record<string, unknown> = {};
    for (const [port, input] of rt.inputs) {
      input.reopen();
      inputs[port] = input.stream;
    }
    let outputs: Record<string, Observable<Frame> | undefined>;
    try {
      outputs = (rt.run as (i: NodeInputs<unknown>) => Record<string, Observable<Frame> | undefined>)(
        inputs as NodeInputs<unknown>,
      );
    } catch (error) {
      this.onNodeError(rt, error);
      return;
    }
    const emitFrames = this.options.emitFrames ?? false;
    rt.failed = false;
    rt.openOutputs = 0;
    const declared = Object.keys(rt.node.spec.outputs);
    for (const port of declared) if (outputs[port]) rt.openOutputs++;
    for (const port of declared) {
      const links = rt.outgoing.get(port) ?? [];
      const output = outputs[port];
      if (!output) {
        for (const { queue } of links) queue.completeProducer();
        continue;
      }
      let ended = false;
      const sub = output.subscribe({
        next: (frame) => {
          if (emitFrames && frame.kind !== 'audio') {
            this.publish({ type: 'frame', time: this.now(), node: rt.id, port, frame: redactDeep(frame) });
          }
          for (let i = 0; i < links.length; i++) {
            const { queue, target } = links[i];
            if (queue.carries(frame)) target.push(queue, frame);
          }
        },
        error: (error) => {
          ended = true;
          this.onNodeError(rt, error, port);
        },
        complete: () => {
          ended = true;
          for (const { queue } of links) queue.completeProducer();
          rt.openOutputs--;
          this.checkDone();
        },
      });
      if (!ended) rt.subscriptions.push(sub);
    }
    this.publish({ type: 'node-state', time: this.now(), node: rt.id, state: 'running' });
  }

  /** Ends a node's outputs as if they had completed (stop for sources, `ignore` after an error). */
  private endOutputs(rt: NodeRuntime, onlyPort?: string): void {
    if (onlyPort === undefined) rt.unsubscribe();
    for (const [port, links] of rt.outgoing) {
      if (onlyPort !== undefined && port !== onlyPort) continue;
      for (const { queue } of links) if (!queue.completedByProducer) queue.completeProducer();
    }
    rt.openOutputs = onlyPort === undefined ? 0 : Math.max(0, rt.openOutputs - 1);
    // A node with no live output can never take input again: discard it instead of queueing.
    if (rt.openOutputs === 0 && onlyPort !== undefined) for (const port of rt.inputs.values()) port.close();
    this.checkDone();
  }

  private onNodeError(rt: NodeRuntime, error: unknown, port?: string): void {
    const policy = rt.node.onError.policy;
    const message = `node "${rt.id}" (${rt.type}) failed: ${errorMessage(error)}`;
    rt.span?.recordException({ name: 'NodeError', message });
    // One failure of one running instance is handled once (its report, then its erroring outputs).
    if (this.finishing || rt.failed) return;
    const code = errorCode(error);
    if (policy === 'ignore') {
      if (port === undefined) rt.failed = true;
      this.publish({
        type: 'error',
        time: this.now(),
        node: rt.id,
        ...code,
        message: `${message} (ignored)`,
        fatal: false,
      });
      this.endOutputs(rt, port);
      return;
    }
    rt.failed = true;
    const maxRestarts = rt.node.onError.maxRestarts ?? 3;
    if (policy === 'restart' && rt.restarts < maxRestarts) {
      const delay = (rt.node.onError.backoffMs ?? 100) * 2 ** rt.restarts;
      rt.restarts++;
      rt.restarting = true;
      this.publish({ type: 'error', time: this.now(), node: rt.id, ...code, message, fatal: false });
      this.publish({
        type: 'node-state',
        time: this.now(),
        node: rt.id,
        state: 'restarting',
        reason: `restart ${rt.restarts} of ${maxRestarts} in ${delay} ms`,
      });
      rt.unsubscribe();
      const closing = rt.handle?.close() ?? Promise.resolve([]);
      this.timers.push(
        this.scheduleOnce(delay, () => {
          void closing.then(async (errors) => {
            this.reportCloseErrors(errors);
            if (this.finishing) return;
            try {
              await this.createNode(rt);
            } catch (createError) {
              await this.finish('failed', createError as Error);
              return;
            }
            rt.restarting = false;
            if (!this.finishing) this.connect(rt);
          });
        }),
      );
      return;
    }
    const exhausted = policy === 'restart' ? ` (gave up after ${maxRestarts} restarts)` : '';
    this.publish({ type: 'error', time: this.now(), node: rt.id, ...code, message: message + exhausted, fatal: true });
    void this.finish('failed', new PipelineError(message + exhausted, rt.id, { cause: error }));
  }

  private reportCloseErrors(errors: Error[]): void {
    for (const e of errors) this.publish({ type: 'error', time: this.now(), message: errorMessage(e), fatal: false });
  }

  private sendControl(event: ControlEvent): void {
    if (this.finishing) return;
    if (event.type === 'interrupt') {
      let flushed = 0;
      for (const queue of this.downstreamQueues(event.source)) flushed += queue.flushAudio();
      this.publish({
        type: 'mark',
        time: this.now(),
        node: event.source,
        name: 'control.interrupt',
        data: { flushedFrames: flushed, ...(event.responseId ? { responseId: event.responseId } : {}) },
      });
    } else if (event.type !== 'playout') {
      this.publish({ type: 'mark', time: this.now(), node: event.source, name: `control.${event.type}` });
    }
    this.control$.next(event);
    if (event.type === 'end-session') {
      this.timers.push(this.scheduleOnce(0, () => void this.stop()));
    }
  }

  /** Every queue reachable from `source` along non-feedback links. */
  private downstreamQueues(source: string): LinkQueue[] {
    const cached = this.downstreamCache.get(source);
    if (cached) return cached;
    const out: LinkQueue[] = [];
    const seen = new Set<string>([source]);
    const todo = [source];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      for (const links of this.nodes.get(id)?.outgoing.values() ?? []) {
        for (const { queue, target } of links) {
          if (queue.feedback) continue;
          out.push(queue);
          if (!seen.has(target.nodeId)) {
            seen.add(target.nodeId);
            todo.push(target.nodeId);
          }
        }
      }
    }
    this.downstreamCache.set(source, out);
    return out;
  }

  private startMetricsReport(): void {
    const every = this.options.metricsIntervalMs ?? 1000;
    if (every <= 0) return;
    const tick = () => {
      this.queueReport.report();
      this.timers.push(this.scheduleOnce(every, tick));
    };
    this.timers.push(this.scheduleOnce(every, tick));
  }

  private checkDone(): void {
    if (this.finishing || (this.currentState !== 'running' && this.currentState !== 'draining')) return;
    for (const rt of this.nodes.values()) if (!rt.finished) return;
    void this.finish('stopped');
  }

  private finish(state: 'stopped' | 'failed', error?: Error): Promise<void> {
    this.finishing ??= this.teardown(state, error);
    return this.finishing;
  }

  private async teardown(state: 'stopped' | 'failed', error?: Error): Promise<void> {
    for (const t of this.timers.splice(0)) t.unsubscribe();
    const order = [...this.graph.order];
    for (const id of order) this.nodes.get(id)?.unsubscribe();
    for (const rt of this.nodes.values()) for (const port of rt.inputs.values()) port.close();
    const closing = order.map(async (id) => {
      const rt = this.nodes.get(id) as NodeRuntime;
      this.reportCloseErrors((await rt.handle?.close()) ?? []);
      // A node still being created (aborted, or failed beside another node) may register what it
      // opened after that first close: wait for it, then release that too.
      if (rt.creating) {
        await rt.creating.catch(() => {});
        this.reportCloseErrors((await rt.handle?.close()) ?? []);
      }
      rt.demand.complete();
      rt.span?.end();
      this.publish({ type: 'node-state', time: this.now(), node: rt.id, state: 'closed' });
    });
    await Promise.all(closing);
    this.queueReport.report();
    this.queueReport.stop();
    this.control$.complete();
    if (error) {
      this.pipelineSpan.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    this.pipelineSpan.end();
    this.setState(state, error?.message);
    this.bus.complete();
    if (error) this.rejectDone(error);
    else this.resolveDone();
    this.rejectStarted(error ?? new PipelineError('pipeline stopped before it started'));
  }
}
