import { defineProviderNode } from '@beluga-voice/core';
import { geminiLiveConfigSchema } from './config.js';
import { GeminiLiveProvider, geminiLiveCapabilities } from './provider.js';

export const geminiLiveNode = defineProviderNode({
  type: 'provider.gemini-live',
  summary: 'Gemini Live API over WebSocket: speech to speech (16 kHz in, 24 kHz out) with function calling',
  config: geminiLiveConfigSchema,
  secrets: ['apiKey'],
  capabilities: (config) => geminiLiveCapabilities(config),
  createProvider: (config, ctx) => {
    // `conversation` is the provider node's own setting (the bridge handles it), not the provider's.
    const { conversation: _bridgeSettings, ...own } = config as typeof config & { conversation?: unknown };
    return new GeminiLiveProvider(own, { scheduler: ctx.scheduler });
  },
});
