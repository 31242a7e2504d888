import type { Meter, Tracer } from '@opentelemetry/api';
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
}

export interface NodeContextHandle {
  readonly ctx: NodeContext;
  readonly offers: ReadonlyMap<string, unknown>;
  /** Aborts the signal and runs the close hooks in reverse order; collects their errors. */
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
  let closing: Promise<Error[]> | undefined;
  const close = () => {
    closing ??= (async () => {
      abort.abort(new Error(`node ${deps.id} closed`));
      const errors: Error[] = [];
      for (const fn of closers.reverse()) {
        try {
          await fn();
        } catch (error) {
          errors.push(new Error(`closing ${deps.id}: ${errorMessage(error)}`));
        }
      }
      return errors;
    })();
    return closing;
  };
  return { ctx, offers, close };
}
