import type { Span } from '@opentelemetry/api';
import type { Subscription } from 'rxjs';
import type { ResolvedNode } from '../graph/resolved.js';
import type { NodeRun } from '../node.js';
import { DemandSignal } from './demand.js';
import type { InputPort } from './input-port.js';
import type { LinkQueue } from './link-queue.js';
import type { NodeContextHandle } from './node-context.js';

export interface OutgoingLink {
  readonly queue: LinkQueue;
  readonly target: InputPort;
}

/** What the pipeline keeps for each running node. */
export class NodeRuntime {
  readonly inputs = new Map<string, InputPort>();
  readonly outgoing = new Map<string, OutgoingLink[]>();
  readonly demand = new DemandSignal();
  readonly blocked = new Set<LinkQueue>();
  handle?: NodeContextHandle;
  run?: NodeRun<any, any>;
  /** The node's `create` while it runs (it may register close hooks until it settles). */
  creating?: Promise<unknown>;
  span?: Span;
  subscriptions: Subscription[] = [];
  openOutputs = 0;
  restarts = 0;
  /** Set while a restart is pending: the node is neither done nor running. */
  restarting = false;
  /** Set once the running instance's failure has been handled; cleared when it is connected again. */
  failed = false;

  constructor(readonly node: ResolvedNode) {}

  get id(): string {
    return this.node.id;
  }

  get type(): string {
    return this.node.spec.type;
  }

  /** A source has no linked input: `stop()` ends it first. */
  get isSource(): boolean {
    for (const port of this.inputs.values()) if (port.linked) return false;
    return true;
  }

  get finished(): boolean {
    if (this.restarting || this.openOutputs > 0) return false;
    for (const port of this.inputs.values()) if (port.linked && !port.finished) return false;
    return true;
  }

  unsubscribe(): void {
    const subs = this.subscriptions;
    this.subscriptions = [];
    for (const s of subs) s.unsubscribe();
  }
}
