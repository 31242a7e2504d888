import type { Context, Meter, Tracer } from '@opentelemetry/api';
import type { Observable, SchedulerLike } from 'rxjs';
import type { z } from 'zod';
import type { AudioFormat } from './audio-format.js';
import type { BusEmission, Logger } from './bus.js';
import type { AudioCaps } from './caps.js';
import type { ControlPlane } from './control.js';
import type { Frame, FrameKind, FrameOf } from './frames.js';

/** An input port: which frame kinds it takes and, for audio, which formats. */
export interface InputPortSpec<C = unknown> {
  readonly kinds: readonly FrameKind[];
  readonly summary?: string;
  /** Accepted audio formats; may depend on the node's config. */
  readonly caps?: AudioCaps | ((config: C) => AudioCaps);
  /** The graph is invalid while a required input is unlinked. */
  readonly required?: boolean;
}

export interface FormatContext<C> {
  readonly config: C;
  /** The format arriving on each linked audio input, when known at build time. */
  readonly inputs: Readonly<Record<string, AudioFormat | undefined>>;
  /** Folder that relative paths in config resolve against. */
  readonly baseDir: string;
}

/** An output port: which frame kinds it emits and, for audio, the format it produces. */
export interface OutputPortSpec<C = unknown> {
  readonly kinds: readonly FrameKind[];
  readonly summary?: string;
  /** Fixed, derived from config and input formats, or `undefined` when only known at run time. */
  readonly format?: AudioFormat | ((ctx: FormatContext<C>) => AudioFormat | undefined);
}

export type InputPorts<C> = Readonly<Record<string, InputPortSpec<C>>>;
export type OutputPorts<C> = Readonly<Record<string, OutputPortSpec<C>>>;

/**
 * Frames arriving on an input. Subscribing consumes frames synchronously; a node that does
 * asynchronous work per frame uses `process`, so the link's queue (and its overflow policy) holds
 * what the node has not taken yet instead of an unbounded buffer inside the node.
 */
export interface InputStream<F extends Frame = Frame> extends Observable<F> {
  readonly linked: boolean;
  /**
   * Runs `fn` for one frame at a time; the next frame is delivered once its result is in (a value at
   * once, a promise when it settles, an observable when it completes, passing on what it emits).
   */
  process<R>(fn: (frame: F) => R | Promise<R> | Observable<R>): Observable<R>;
}

type KindsOf<P> = P extends { kinds: readonly (infer K)[] } ? (K extends FrameKind ? K : never) : never;

export type NodeInputs<I> = { readonly [K in keyof I]: InputStream<FrameOf<KindsOf<I[K]>>> };
export type NodeOutputs<O> = { readonly [K in keyof O]?: Observable<FrameOf<KindsOf<O[K]>>> };

/** Pauses and resumes a pausable source: the `block` queue policy's demand signal. */
export interface Demand {
  /** `true` while every link fed by this node has room. */
  readonly ready: boolean;
  /** Emits the current value on subscription and every change after it. */
  readonly ready$: Observable<boolean>;
  /** Resolves once `ready` is true (at once if it already is). */
  whenReady(): Promise<void>;
}

export interface NodeContext {
  readonly id: string;
  readonly type: string;
  readonly logger: Logger;
  /** Reports to the bus (errors, metrics, marks); never blocks the data path. */
  emit(event: BusEmission): void;
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** All timing goes through this scheduler so that marble tests can drive it. */
  readonly scheduler: SchedulerLike;
  now(): number;
  /** Aborted when the node closes (stop, abort, error or restart). */
  readonly signal: AbortSignal;
  /**
   * When the stop under way closes this node (scheduler time); `undefined` while the pipeline is
   * not stopping. A node finishing work on stop (a provider's last reply) may wait until then.
   */
  stopDeadline(): number | undefined;
  /** OpenTelemetry context holding this node's span (a child of the pipeline's): parent spans on it. */
  readonly traceContext: Context;
  readonly control: ControlPlane;
  readonly demand: Demand;
  /** Formats resolved when the graph was built. */
  readonly formats: {
    readonly inputs: Readonly<Record<string, AudioFormat | undefined>>;
    readonly outputs: Readonly<Record<string, AudioFormat | undefined>>;
  };
  /** Folder that relative paths in config resolve against (the YAML file's folder, or the cwd). */
  readonly baseDir: string;
  /**
   * What the host lent to this run (`StartOptions.services`), e.g. the live connection a transport
   * node binds to; empty unless the host gave something.
   */
  readonly services: Readonly<Record<string, unknown>>;
  /**
   * Fails the node from outside its output streams (a sink's write error, a background task): the
   * node's `onError` policy applies exactly as if an output had errored.
   */
  fail(error: unknown): void;
  /** Releases a resource when the node closes; runs in reverse order of registration. */
  onClose(fn: () => void | Promise<void>): void;
  /** Publishes a value for the nodes linked to this one (e.g. a router's tool list for its provider). */
  offer(key: string, value: unknown): void;
  /** Values offered under `key` by nodes linked to this one, in either direction. Read after `create`. */
  linkedOffers<T = unknown>(key: string): T[];
}

/**
 * The function `create` returns. Declared through a method so that its parameter is checked
 * bivariantly: a concrete spec must stay assignable to `AnyNodeSpec` (registries hold many types).
 */
export type NodeRun<I, O> = { run(inputs: NodeInputs<I>): NodeOutputs<O> }['run'];

export interface NodeSpec<
  T extends string = string,
  S extends z.ZodType = z.ZodType,
  I extends InputPorts<z.output<S>> = InputPorts<z.output<S>>,
  O extends OutputPorts<z.output<S>> = OutputPorts<z.output<S>>,
> {
  readonly type: T;
  readonly summary: string;
  readonly config: S;
  /** Ports in declaration order; the first one is the default for `a -> b` links. */
  readonly inputs: I;
  readonly outputs: O;
  /** Config keys whose values are secrets: never printed, logged or exported. */
  readonly secrets?: readonly string[];
  /**
   * How the node takes part in the `block` policy's demand signal. `pauses`: a source that stops
   * emitting while `ctx.demand` is not ready (a file, a socket). `passes`: its output follows its
   * input at a bounded ratio (a 1:1 map, a re-framer, a resampler), so the runtime holds it back by
   * holding its input, and the demand reaches the node before it. Absent: it emits on its own
   * schedule and cannot be held back (a provider, a live transport).
   */
  readonly demand?: 'pauses' | 'passes';
  /** A converter node fixes one input format into another (used by `autoConvert`). */
  readonly converter?: {
    /** Config that makes this node turn `from` into `to`, or `undefined` when it cannot. */
    configFor(from: AudioFormat, to: AudioFormat): z.input<S> | undefined;
  };
  /**
   * Checks what `create` needs from outside its config (files it reads, programs it runs), so that
   * `beluga validate` finds those problems without running. Each problem names its config key.
   */
  check?(
    config: z.output<S>,
    context: ConfigCheckContext,
  ): readonly ConfigProblem[] | Promise<readonly ConfigProblem[]>;
  create(config: z.output<S>, ctx: NodeContext): NodeRun<I, O> | Promise<NodeRun<I, O>>;
}

export interface ConfigCheckContext {
  /** Folder that relative paths in the config resolve against. */
  readonly baseDir: string;
}

/** A problem `check` found, at a key of the node's config (`['path']`, `['tools', 0, 'module']`). */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly fix?: string;
}

export type AnyNodeSpec = NodeSpec<string, z.ZodType, InputPorts<any>, OutputPorts<any>>;

/** Declares a node type: config schema, ports with caps, and a factory. */
export function defineNode<
  const T extends string,
  S extends z.ZodType,
  const I extends InputPorts<z.output<S>>,
  const O extends OutputPorts<z.output<S>>,
>(spec: NodeSpec<T, S, I, O>): NodeSpec<T, S, I, O> {
  return spec;
}

export function resolveInputCaps<C>(port: InputPortSpec<C>, config: C): AudioCaps | undefined {
  return typeof port.caps === 'function' ? port.caps(config) : port.caps;
}
