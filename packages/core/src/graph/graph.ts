import { Pipeline, type RunningPipeline, type StartOptions } from '../runtime/pipeline.js';
import type { GraphIssue, GraphSpec } from './model.js';
import type { InsertedConverter, ResolvedGraph, ResolvedLink, ResolvedNode } from './resolved.js';

/** A validated graph, ready to run any number of times. */
export class Graph {
  constructor(readonly resolved: ResolvedGraph) {}

  get spec(): GraphSpec {
    return this.resolved.spec;
  }

  get nodes(): ReadonlyMap<string, ResolvedNode> {
    return this.resolved.nodes;
  }

  get links(): readonly ResolvedLink[] {
    return this.resolved.links;
  }

  /** Converters that `autoConvert` inserted (also announced on the bus at start). */
  get inserted(): readonly InsertedConverter[] {
    return this.resolved.inserted;
  }

  /** Valid but worth saying, e.g. a `block` link whose producer cannot pause (also on the bus at start). */
  get warnings(): readonly GraphIssue[] {
    return this.resolved.warnings;
  }

  /** Starts a run: nodes are created on the next microtask, so subscribe to `events$` right away. */
  start(options?: StartOptions): RunningPipeline {
    return new Pipeline(this.resolved, options);
  }
}
