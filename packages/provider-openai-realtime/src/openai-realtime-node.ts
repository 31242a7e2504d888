import { defineProviderNode } from '@beluga-voice/core';
import { openaiRealtimeConfigSchema } from './config.js';
import { OpenAIRealtimeProvider, openaiRealtimeCapabilities } from './provider.js';

export const openaiRealtimeNode = defineProviderNode({
  type: 'provider.openai-realtime',
  summary: 'OpenAI Realtime API over WebSocket: speech to speech with function calling (GA or beta protocol)',
  config: openaiRealtimeConfigSchema,
  secrets: ['apiKey'],
  capabilities: (config) => openaiRealtimeCapabilities(config),
  createProvider: (config, ctx) => {
    // `conversation` is the provider node's own setting (the bridge handles it), not the provider's.
    const { conversation: _bridgeSettings, ...own } = config as typeof config & { conversation?: unknown };
    return new OpenAIRealtimeProvider(own, { scheduler: ctx.scheduler });
  },
});
