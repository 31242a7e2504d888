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
import { metrics, trace } from '@opentelemetry/api';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import {
  GEMINI_INPUT_CAPS,
  GEMINI_OUTPUT_FORMAT,
  type GeminiLiveConfig,
  type GeminiLiveConfigInput,
  geminiLiveConfigSchema,
} from './config.js';
import { GeminiLiveSession } from './session.js';
import { GeminiTelemetry } from './telemetry.js';

export interface GeminiLiveProviderOptions {
  /** Drives every timer (timeouts, backoff, goAway); tests inject a virtual one. */
  readonly scheduler?: SchedulerLike;
}

/** 16 kHz in, 24 kHz out, as the service takes and speaks them. */
export function geminiLiveCapabilities(
  config: Pick<GeminiLiveConfig, 'turnDetection' | 'transcription'>,
): S2SCapabilities {
  return {
    input: GEMINI_INPUT_CAPS,
    output: GEMINI_OUTPUT_FORMAT,
    tools: true,
    serverVad: config.turnDetection.type === 'automatic',
    transcripts: config.transcription,
    interruption: true,
  };
}

/** The Gemini Live API (BidiGenerateContent) over WebSocket as an `S2SProvider`. */
export class GeminiLiveProvider implements S2SProvider {
  readonly name = 'gemini-live';
  readonly capabilities: S2SCapabilities;
  readonly #config: GeminiLiveConfig;
  readonly #scheduler: SchedulerLike;

  constructor(config: GeminiLiveConfigInput | GeminiLiveConfig, options: GeminiLiveProviderOptions = {}) {
    this.#config = geminiLiveConfigSchema.parse(config);
    registerSecret(this.#config.apiKey);
    this.capabilities = geminiLiveCapabilities(this.#config);
    this.#scheduler = options.scheduler ?? asyncScheduler;
  }

  async startSession(context: ConversationContext, options: StartSessionOptions = {}): Promise<S2SSession> {
    const { apiKey, ...config } = this.#config;
    const telemetry = new GeminiTelemetry(
      options.tracer ?? trace.getTracer('@beluga-voice/provider-gemini-live'),
      options.meter ?? metrics.getMeter('@beluga-voice/provider-gemini-live'),
      { model: config.model, voice: context.voice ?? config.voice },
    );
    const session = new GeminiLiveSession({
      config,
      apiKey,
      context,
      logger: redactingLogger(options.logger ?? silentLogger),
      telemetry,
      scheduler: this.#scheduler,
      signal: options.signal,
    });
    await session.start();
    return session;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, config: configWithKeyRedacted(this.#config) };
  }
}

export function createGeminiLiveProvider(
  config: GeminiLiveConfigInput,
  options?: GeminiLiveProviderOptions,
): GeminiLiveProvider {
  return new GeminiLiveProvider(config, options);
}
