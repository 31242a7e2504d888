export { type GeminiMockCliIo, type GeminiMockCliOptions, runGeminiMockCli } from './cli.js';
export type { GeminiMockConnection } from './connection.js';
export type { GeminiMockFault } from './faults.js';
export type { GeminiMockAudio, GeminiMockReply, GeminiMockScript, GeminiReplyContext } from './script.js';
export { type GeminiMockServer, type GeminiMockServerOptions, startGeminiMockServer } from './server.js';
