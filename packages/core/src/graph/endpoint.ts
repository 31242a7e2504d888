import type { Endpoint } from './model.js';

/** `node` or `node.port`. Node ids cannot contain dots, so the first dot splits. */
export function parseEndpoint(text: string): Endpoint {
  const trimmed = text.trim();
  const dot = trimmed.indexOf('.');
  return dot < 0 ? { node: trimmed } : { node: trimmed.slice(0, dot), port: trimmed.slice(dot + 1) };
}

export function endpointToString(e: Endpoint): string {
  return e.port === undefined ? e.node : `${e.node}.${e.port}`;
}
