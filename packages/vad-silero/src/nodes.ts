import type { AnyNodeSpec } from '@beluga-voice/core';
import { vadSilero } from './vad-silero-node.js';

/** Every node type of @beluga-voice/vad-silero, for discovery (`"beluga": { "nodes": "./dist/nodes.js" }`). */
export const nodes: readonly AnyNodeSpec[] = [vadSilero];
