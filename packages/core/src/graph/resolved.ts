import type { AudioFormat } from '../audio-format.js';
import type { FrameKind } from '../frames.js';
import type { AnyNodeSpec } from '../node.js';
import type { QueueLimits } from '../runtime/queue-settings.js';
import type { GraphIssue, GraphSpec, IssuePath, NodeErrorSettings } from './model.js';

export interface ResolvedNode {
  readonly id: string;
  readonly spec: AnyNodeSpec;
  /** Parsed config (defaults applied). */
  readonly config: unknown;
  readonly onError: NodeErrorSettings;
  readonly formats: {
    readonly inputs: Readonly<Record<string, AudioFormat | undefined>>;
    readonly outputs: Readonly<Record<string, AudioFormat | undefined>>;
  };
}

export interface ResolvedLink {
  readonly id: string;
  readonly from: { readonly node: string; readonly port: string };
  readonly to: { readonly node: string; readonly port: string };
  /** Frame kinds both ends agree on; other frames are not carried. */
  readonly kinds: readonly FrameKind[];
  readonly queue: QueueLimits;
  readonly feedback: boolean;
  readonly format?: AudioFormat;
  /** The producer stops when this link's `block` queue is full (a pausable source, or a chain passing demand to one). */
  readonly producerPauses?: boolean;
  /** Where the link is declared in the spec (its file position, for a loaded pipeline). */
  readonly path?: IssuePath;
}

export interface InsertedConverter {
  readonly node: string;
  readonly converter: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** A validated graph: every node type known, every config parsed, every link and caps checked. */
export interface ResolvedGraph {
  /** The spec as built, including converters that `autoConvert` inserted. */
  readonly spec: GraphSpec;
  readonly nodes: ReadonlyMap<string, ResolvedNode>;
  readonly links: readonly ResolvedLink[];
  readonly inserted: readonly InsertedConverter[];
  /** Node ids, producers before consumers (feedback links ignored). */
  readonly order: readonly string[];
  /** What is valid but deserves attention (e.g. a `block` link whose producer cannot pause). */
  readonly warnings: readonly GraphIssue[];
}
