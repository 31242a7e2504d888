import { metrics, trace } from '@opentelemetry/api';
import {
  asapScheduler,
  firstValueFrom,
  from,
  isObservable,
  type Observable,
  type SchedulerLike,
  Subject,
  toArray,
} from 'rxjs';
import type { z } from 'zod';
import type { AudioFormat } from '../audio-format.js';
import type { BusEvent } from '../bus.js';
import type { ControlEvent } from '../control.js';
import type { Frame } from '../frames.js';
import type { AnyNodeSpec, InputStream, NodeContext } from '../node.js';
import { DemandSignal } from '../runtime/demand.js';
import { inputStreamOf } from '../runtime/input-stream.js';
import { createNodeContext } from '../runtime/node-context.js';

export interface NodeHarnessOptions {
  readonly id?: string;
  /** Raw config; parsed with the node's schema like the graph builder does. */
  readonly config?: unknown;
  /** Frames per input port, as arrays or observables. Unlisted ports are unlinked. */
  readonly inputs?: Readonly<Record<string, readonly Frame[] | Observable<Frame>>>;
  readonly inputFormats?: Readonly<Record<string, AudioFormat>>;
  readonly scheduler?: SchedulerLike;
  readonly baseDir?: string;
  readonly linkedOffers?: Readonly<Record<string, readonly unknown[]>>;
  /** The pipeline's stop deadline as the node sees it (`ctx.stopDeadline()`); default: not stopping. */
  readonly stopDeadline?: () => number | undefined;
  /** What the host lends the node (`ctx.services`), e.g. a fake connection for a transport node. */
  readonly services?: Readonly<Record<string, unknown>>;
}

export interface NodeHarness {
  readonly ctx: NodeContext;
  readonly outputs: Readonly<Record<string, Observable<Frame> | undefined>>;
  /** Every bus event the node emitted. */
  readonly events: BusEvent[];
  /** Every error the node reported through `ctx.fail`. */
  readonly failures: unknown[];
  /** Every control event sent by the node or injected with `sendControl`. */
  readonly control: ControlEvent[];
  /** Injects an out-of-band control event as if another node had sent it. */
  sendControl(event: ControlEvent): void;
  /** Drives the `block` policy's demand signal. */
  setDemand(ready: boolean): void;
  /** Subscribes to one output and resolves with everything it emitted once it completes. */
  collect(port: string): Promise<Frame[]>;
  /** Closes the node like the runtime does (abort signal, then close hooks). */
  close(): Promise<Error[]>;
}

/** Runs one node outside a pipeline: for unit tests of node behaviour. */
export async function runNode(spec: AnyNodeSpec, options: NodeHarnessOptions = {}): Promise<NodeHarness> {
  const id = options.id ?? spec.type.split('.').pop() ?? spec.type;
  const config = (spec.config as z.ZodType).parse(options.config ?? {});
  const scheduler = options.scheduler ?? asapScheduler;
  const events: BusEvent[] = [];
  const control: ControlEvent[] = [];
  const failures: unknown[] = [];
  const control$ = new Subject<ControlEvent>();
  control$.subscribe((e) => control.push(e));
  const demand = new DemandSignal();
  const inputFormats: Record<string, AudioFormat | undefined> = { ...options.inputFormats };
  const outputFormats: Record<string, AudioFormat | undefined> = {};
  for (const [port, out] of Object.entries(spec.outputs)) {
    outputFormats[port] =
      typeof out.format === 'function'
        ? out.format({ config, inputs: inputFormats, baseDir: options.baseDir ?? process.cwd() })
        : out.format;
  }
  const handle = createNodeContext({
    id,
    type: spec.type,
    scheduler,
    tracer: trace.getTracer('beluga-voice'),
    meter: metrics.getMeter('beluga-voice'),
    publish: (e) => events.push(e),
    control$: control$.asObservable(),
    sendControl: (e) => control$.next(e),
    demand,
    formats: { inputs: inputFormats, outputs: outputFormats },
    baseDir: options.baseDir ?? process.cwd(),
    services: options.services ?? {},
    linkedOffers: (key) => [...(options.linkedOffers?.[key] ?? [])],
    fail: (error) => failures.push(error),
    ...(options.stopDeadline ? { stopDeadline: options.stopDeadline } : {}),
  });
  const run = await spec.create(config, handle.ctx);
  const inputs: Record<string, InputStream> = {};
  for (const port of Object.keys(spec.inputs)) {
    const given = options.inputs?.[port];
    const source: Observable<Frame> = given === undefined ? from([]) : isObservable(given) ? given : from(given);
    inputs[port] = inputStreamOf(source, given !== undefined);
  }
  const outputs = run(inputs as never) as Record<string, Observable<Frame> | undefined>;
  return {
    ctx: handle.ctx,
    outputs,
    events,
    failures,
    control,
    sendControl: (e) => control$.next(e),
    setDemand: (ready) => demand.set(ready),
    collect: (port) => {
      const out = outputs[port];
      if (!out) return Promise.resolve([]);
      return firstValueFrom(out.pipe(toArray()));
    },
    close: () => handle.close(),
  };
}
