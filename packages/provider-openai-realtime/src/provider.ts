import {
  type ConversationContext,
  configWithKeyRedacted,
  redactingLogger,
  registerSecret,
  type S2SCapabilities,
  type S2SProvider,
  type S2SSession,
  type StartSessionOptions,
  silentLogger,
} from '@beluga-voice/core';
import { context, metrics, trace } from '@opentelemetry/api';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import {
  type OpenAIRealtimeConfig,
  type OpenAIRealtimeConfigInput,
  openaiRealtimeConfigSchema,
  wireAudioCaps,
  wireAudioFormat,
} from './config.js';
import { OpenAIRealtimeSession } from './session.js';
import { RealtimeTelemetry } from './telemetry.js';

export interface OpenAIRealtimeProviderOptions {
  /** Drives every timer (timeouts, backoff); tests inject a virtual one. */
  readonly scheduler?: SchedulerLike;
  /** Source of jitter for reconnection delays. */
  readonly random?: () => number;
}

export function openaiRealtimeCapabilities(
  config: Pick<OpenAIRealtimeConfig, 'audioFormat' | 'turnDetection'>,
): S2SCapabilities {
  return {
    input: wireAudioCaps(config.audioFormat),
    output: wireAudioFormat(config.audioFormat),
    tools: true,
    serverVad: config.turnDetection.type !== 'none',
    transcripts: true,
    interruption: true,
  };
}

/** The OpenAI Realtime API (GA or beta) over WebSocket as an `S2SProvider`. */
export class OpenAIRealtimeProvider implements S2SProvider {
  readonly name = 'openai-realtime';
  readonly capabilities: S2SCapabilities;
  readonly #config: OpenAIRealtimeConfig;
  readonly #scheduler: SchedulerLike;
  readonly #random: () => number;
  #warnedTemperature = false;

  constructor(config: OpenAIRealtimeConfigInput | OpenAIRealtimeConfig, options: OpenAIRealtimeProviderOptions = {}) {
    this.#config = openaiRealtimeConfigSchema.parse(config);
    registerSecret(this.#config.apiKey);
    this.capabilities = openaiRealtimeCapabilities(this.#config);
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#random = options.random ?? Math.random;
  }

  async startSession(conversation: ConversationContext, options: StartSessionOptions = {}): Promise<S2SSession> {
    const config = this.#config;
    const logger = redactingLogger(options.logger ?? silentLogger);
    const temperature = conversation.temperature ?? config.temperature;
    if (config.protocol === 'ga' && temperature !== undefined && !this.#warnedTemperature) {
      this.#warnedTemperature = true;
      logger.warn(`temperature ${temperature} ignored: the GA Realtime protocol has no temperature setting`);
    }
    const telemetry = new RealtimeTelemetry(
      options.tracer ?? trace.getTracer('@beluga-voice/provider-openai-realtime'),
      options.meter ?? metrics.getMeter('@beluga-voice/provider-openai-realtime'),
      { model: config.model, voice: conversation.voice ?? config.voice, protocol: config.protocol },
      options.traceContext ?? context.active(),
    );
    const { apiKey, ...rest } = config;
    const session = new OpenAIRealtimeSession({
      config: rest,
      apiKey,
      context: conversation,
      logger,
      telemetry,
      scheduler: this.#scheduler,
      random: this.#random,
      signal: options.signal,
    });
    await session.start();
    return session;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, config: configWithKeyRedacted(this.#config) };
  }
}

export function createOpenAIRealtimeProvider(
  config: OpenAIRealtimeConfigInput,
  options?: OpenAIRealtimeProviderOptions,
): OpenAIRealtimeProvider {
  return new OpenAIRealtimeProvider(config, options);
}
