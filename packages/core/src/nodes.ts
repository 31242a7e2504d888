import type { AnyNodeSpec } from './node.js';
import { providerFailover } from './provider/failover/failover-node.js';
import { providerEcho } from './provider/nodes/echo-node.js';
import { providerScripted } from './provider/nodes/scripted-node.js';

/** The node types this package provides (discovered through `"beluga": { "nodes" }`). */
export const nodes: readonly AnyNodeSpec[] = [providerEcho, providerScripted, providerFailover];
