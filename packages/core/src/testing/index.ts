export { eventOrderViolations } from './event-order.js';
export { type NodeHarness, type NodeHarnessOptions, runNode } from './node-harness.js';
export { SessionProbe } from './session-probe.js';
export { type TestUtterance, type TestUtteranceOptions, testUtterance } from './test-utterance.js';
export { fitTone, type ToneFit } from './tone-fit.js';
export { TrackingScheduler } from './tracking-scheduler.js';
