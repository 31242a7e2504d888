/** Where something sits in a pipeline document: keys and indexes from the root, e.g. `['links', 0]`. */
export type IssuePath = readonly (string | number)[];

export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'block' | 'error';

export interface QueueSettings {
  /** A frame count (`40`) or milliseconds of audio (`'400ms'`). */
  readonly max?: number | `${number}ms`;
  readonly overflow?: OverflowPolicy;
}

export type ErrorPolicy = 'fail' | 'restart' | 'ignore';

export interface NodeErrorSettings {
  readonly policy: ErrorPolicy;
  /** For `restart`: attempts before failing, and the first backoff (doubles each time). */
  readonly maxRestarts?: number;
  readonly backoffMs?: number;
}

export interface NodeDecl {
  readonly id: string;
  readonly type: string;
  /** Raw config, validated against the node type's schema when the graph is built. */
  readonly config?: unknown;
  readonly onError?: NodeErrorSettings;
  /** Where the node was declared, for error messages. */
  readonly path?: IssuePath;
}

export interface Endpoint {
  readonly node: string;
  /** `undefined` means the node's default (first declared) port. */
  readonly port?: string;
}

export interface LinkDecl {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly queue?: QueueSettings;
  /** Declares a deliberate cycle (e.g. tool results back into the provider). */
  readonly feedback?: boolean;
  readonly path?: IssuePath;
}

/** The graph as declared, from code or YAML: the same model either way. */
export interface GraphSpec {
  readonly name?: string;
  readonly nodes: readonly NodeDecl[];
  readonly links: readonly LinkDecl[];
  /** Insert registered converters where audio caps do not match. */
  readonly autoConvert?: boolean;
}

export type GraphIssueCode =
  | 'unknown-node-type'
  | 'duplicate-node'
  | 'invalid-config'
  | 'unknown-node'
  | 'unknown-port'
  | 'kind-mismatch'
  | 'caps-mismatch'
  | 'unlinked-input'
  | 'cycle'
  | 'duplicate-link'
  | 'invalid-queue'
  | 'block-cannot-pause'
  | 'turns-never-end';

export interface GraphIssue {
  readonly code: GraphIssueCode;
  readonly message: string;
  /** How to fix it, when known: `did you mean …`, `insert audio.resample`, `install …`. */
  readonly fix?: string;
  readonly path?: IssuePath;
}

/** Thrown by `buildGraph` with every problem found, not just the first. */
export class GraphValidationError extends Error {
  override readonly name = 'GraphValidationError';
  constructor(readonly issues: readonly GraphIssue[]) {
    super(
      `invalid pipeline (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.message}${i.fix ? ` (${i.fix})` : ''} [${i.code}]`).join('\n'),
    );
  }
}
