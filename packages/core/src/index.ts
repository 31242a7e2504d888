export * from './audio-format.js';
export * from './frames.js';
export * from './caps.js';
export * from './bus.js';
export * from './control.js';
export * from './node.js';
export * from './registry.js';
export { registerSecret, redact } from './secrets.js';
export * from './provider/s2s.js';
