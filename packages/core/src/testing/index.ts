export { runNode, type NodeHarness, type NodeHarnessOptions } from './node-harness.js';
