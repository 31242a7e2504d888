// The provider conformance suite, apart from `@beluga-voice/core/testing` because it needs vitest at load.
export {
  CONFORMANCE_TOOL,
  type ConformanceEnv,
  type ConformanceFactory,
  type ConformanceOptions,
  type ConformanceScenario,
  describeProviderConformance,
} from '../testing/conformance.js';
