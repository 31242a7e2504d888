import { ScriptedProvider } from '@beluga-voice/core';
import { CONFORMANCE_TOOL, describeProviderConformance } from '@beluga-voice/core/conformance';

describeProviderConformance('provider.scripted', (scenario, { scheduler }) =>
  ScriptedProvider.load(
    {
      script:
        scenario === 'tool-call'
          ? [
              {
                reply: [
                  {
                    say: 'Let me look that up.',
                    toolCall: { name: CONFORMANCE_TOOL.name, arguments: { order: 'A-1' } },
                  },
                  { say: 'Your order has shipped.', tone: { freqHz: 330, ms: 400 } },
                ],
              },
            ]
          : [{ reply: [{ say: 'Hello there.', tone: { freqHz: 440, ms: 800 } }] }],
    },
    { latencyMs: 50, scheduler },
  ),
);
