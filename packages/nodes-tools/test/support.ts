import type { AnyNodeSpec, BusEvent, ToolCallFrame } from '@beluga-voice/core';
import { toolRouterNode } from '../src/index.js';

export function toolCall(id: string, name: string, args: string | object, timestamp = 0): ToolCallFrame {
  return { kind: 'tool-call', timestamp, id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

/** Lets pending promise callbacks and I/O run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise with its resolvers, for tools whose completion a test controls. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function problems(events: readonly BusEvent[]) {
  return events.flatMap((e) =>
    e.type === 'warning' || e.type === 'error' ? [{ type: e.type, code: e.code, message: e.message }] : [],
  );
}

/** The router, with what it offers to linked nodes (its tool list for the provider) captured. */
export function routerCapturingOffers(offered: Map<string, unknown>): AnyNodeSpec {
  return {
    ...toolRouterNode,
    create: (config, ctx) =>
      toolRouterNode.create(config as never, { ...ctx, offer: (key, value) => offered.set(key, value) }),
  };
}
