import { parseEndpoint } from '../graph/endpoint.js';
import type { Endpoint } from '../graph/model.js';

/** One endpoint of a chain and where it starts in the chain text. */
export interface ChainEndpoint {
  readonly text: string;
  readonly endpoint: Endpoint;
  readonly index: number;
}

export type ChainParse =
  | { readonly ok: true; readonly endpoints: readonly ChainEndpoint[] }
  | { readonly ok: false; readonly message: string; readonly index: number };

const ENDPOINT = /^[^\s.]+(\.[^\s.]+)?$/;

/**
 * Parses `a -> b.port -> c`. A middle endpoint names its port for both hops (in and out), which
 * suits nodes whose input and output share a name (`audio`); otherwise split the chain.
 */
export function parseChain(text: string): ChainParse {
  const endpoints: ChainEndpoint[] = [];
  let offset = 0;
  for (const part of text.split('->')) {
    const index = offset + (part.length - part.trimStart().length);
    const trimmed = part.trim();
    offset += part.length + 2;
    if (trimmed === '') {
      return { ok: false, message: `link "${text.trim()}" has an empty endpoint`, index };
    }
    if (!ENDPOINT.test(trimmed)) {
      return { ok: false, message: `link endpoint "${trimmed}" is not \`node\` or \`node.port\``, index };
    }
    endpoints.push({ text: trimmed, endpoint: parseEndpoint(trimmed), index });
  }
  if (endpoints.length < 2) {
    return { ok: false, message: `link "${text.trim()}" needs two or more endpoints joined by "->"`, index: 0 };
  }
  return { ok: true, endpoints };
}
