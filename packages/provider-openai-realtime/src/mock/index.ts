export { argumentsFromSchema } from '@beluga-voice/core';
export { type MockCliIo, type MockCliOptions, runMockServerCli } from './cli.js';
export type { ReceivedEvent } from './event-log.js';
export type { MockFault } from './faults.js';
export type { MockAudio, MockReply, MockScript, ReplyContext } from './script.js';
export { type MockServer, type MockServerOptions, startMockServer } from './server.js';
