import { EchoProvider } from '@beluga-voice/core';
import { describeProviderConformance } from '@beluga-voice/core/conformance';

describeProviderConformance(
  'provider.echo',
  (_scenario, { scheduler }) => new EchoProvider({ latencyMs: 50, scheduler }),
  { scenarios: ['reply'] },
);
