import { type Context, context, type Meter, type Tracer } from '@opentelemetry/api';
import type { Observable, SchedulerLike } from 'rxjs';
import type { BusEmission, BusEvent, Logger, LogLevel } from '../bus.js';
import type { ControlEvent, ControlPlane } from '../control.js';
import type { Demand, NodeContext } from '../node.js';
import { redactingTracer } from '../redacting-tracer.js';
import { errorMessage, redact, redactDeep } from '../secrets.js';

export interface NodeContextDeps {
  readonly id: string;
  readonly type: string;
  readonly scheduler: SchedulerLike;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly publish: (event: BusEvent) => void;
  readonly control$: Observable<ControlEvent>;
  readonly sendControl: (event: ControlEvent) => void;
  readonly demand: Demand;
  readonly formats: NodeContext['formats'];
  readonly baseDir: string;
  readonly services?: Readonly<Record<string, unknown>>;
  readonly linkedOffers: (key: string) => unknown[];
  readonly fail: (error: unknown) => void;
  /** The pipeline's stop deadline, once a stop is under way (default: never stopping). */
  readonly stopDeadline?: () => number | undefined;
  /** The node span's context (default: the active context). */
  readonly traceContext?: Context;
}

export interface NodeContextHandle {
  readonly ctx: NodeContext;
  readonly offers: ReadonlyMap<string, unknown>;
  /**
   * Aborts the signal and runs the close hooks in reverse order; collects their errors. Calling it
   * again runs the hooks registered since (an async `create` that finished after the node closed).
   */
  close(): Promise<Error[]>;
}

export function createNodeContext(deps: NodeContextDeps): NodeContextHandle {
  const abort = new AbortController();
  const closers: Array<() => void | Promise<void>> = [];
  const offers = new Map<string, unknown>();
  const now = () => deps.scheduler.now();
  const emit = (event: BusEmission) => {
    deps.publish(redactDeep({ ...event, time: now(), node: deps.id } as BusEvent));
  };
  const log = (level: LogLevel) => (message: string, data?: Record<string, unknown>) =>
    emit({ type: 'log', level, message: redact(message), ...(data ? { data } : {}) });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const control: ControlPlane = {
    events$: deps.control$,
    send: (event) => deps.sendControl({ ...event, source: deps.id } as ControlEvent),
  };
  const ctx: NodeContext = {
    id: deps.id,
    type: deps.type,
    logger,
    emit,
    tracer: redactingTracer(deps.tracer),
    meter: deps.meter,
    scheduler: deps.scheduler,
    now,
    signal: abort.signal,
    stopDeadline: () => deps.stopDeadline?.(),
    traceContext: deps.traceContext ?? context.active(),
    control,
    demand: deps.demand,
    formats: deps.formats,
    baseDir: deps.baseDir,
    services: deps.services ?? {},
    fail: (error) => deps.fail(error),
    onClose: (fn) => {
      closers.push(fn);
    },
    offer: (key, value) => {
      offers.set(key, value);
    },
    linkedOffers: <T>(key: string) => deps.linkedOffers(key) as T[],
  };
  const drain = async () => {
    const errors: Error[] = [];
    // Hooks registered while closing run too, newest first.
    for (let fn = closers.pop(); fn; fn = closers.pop()) {
      try {
        await fn();
      } catch (error) {
        errors.push(new Error(`closing ${deps.id}: ${errorMessage(error)}`));
      }
    }
    return errors;
  };
  let draining: Promise<unknown> = Promise.resolve();
  const close = () => {
    abort.abort(new Error(`node ${deps.id} closed`));
    const pass = draining.then(drain);
    draining = pass;
    return pass;
  };
  return { ctx, offers, close };
}
