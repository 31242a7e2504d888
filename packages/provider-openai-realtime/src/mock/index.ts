export { type MockCliIo, type MockCliOptions, runMockServerCli } from './cli.js';
export type { ReceivedEvent } from './event-log.js';
export type { MockFault } from './faults.js';
export { argumentsFromSchema } from './schema-arguments.js';
export type { MockAudio, MockReply, MockScript, ReplyContext } from './script.js';
export { type MockServer, type MockServerOptions, startMockServer } from './server.js';
