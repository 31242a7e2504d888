import {
  type AudioCaps,
  type AudioFormat,
  apiKeyField,
  maxMessageBytesField,
  toolSpecSchema,
} from '@beluga-voice/core';
import { z } from 'zod';

const automatic = z
  .object({
    type: z.literal('automatic'),
    startSensitivity: z
      .enum(['high', 'low'])
      .default('high')
      .describe('How readily speech starts a turn (START_SENSITIVITY_HIGH or _LOW)'),
    endSensitivity: z
      .enum(['high', 'low'])
      .default('high')
      .describe('How readily silence ends a turn (END_SENSITIVITY_HIGH or _LOW)'),
    prefixPaddingMs: z.number().int().min(0).default(20).describe('Speech needed before a start is committed, in ms'),
    silenceDurationMs: z.number().int().min(0).default(500).describe('Silence that ends a turn, in ms'),
    interruptResponse: z
      .boolean()
      .default(true)
      .describe('Speech interrupts the reply (activityHandling START_OF_ACTIVITY_INTERRUPTS)'),
  })
  .strict()
  .describe('Automatic activity detection by the service');

const manual = z
  .object({ type: z.literal('manual') })
  .strict()
  .describe('No server detection: a local VAD sends activityStart / activityEnd');

export const geminiTurnDetectionSchema = z.discriminatedUnion('type', [automatic, manual]);

const reconnectSchema = z
  .object({
    maxAttempts: z.number().int().min(0).default(5).describe('Reconnection attempts before the session fails'),
    initialDelayMs: z.number().int().min(0).default(250).describe('Delay before the first attempt; doubles each time'),
    maxDelayMs: z.number().int().min(0).default(5000).describe('Upper bound of the delay between attempts'),
  })
  .strict();

export const geminiLiveConfigSchema = z
  .object({
    apiKey: apiKeyField('GEMINI_API_KEY', 'Gemini API key'),
    model: z
      .string()
      .min(1)
      .default('gemini-live-2.5-flash-preview')
      .describe('Live model, e.g. gemini-live-2.5-flash-preview or gemini-2.5-flash-native-audio-preview-09-2025'),
    voice: z
      .string()
      .min(1)
      .default('Puck')
      .describe('Prebuilt voice (Puck, Charon, Kore, Fenrir, Aoede, Leda, Orus, Zephyr)'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature, 0..2'),
    instructions: z.string().optional().describe('System instruction for the model'),
    turnDetection: geminiTurnDetectionSchema
      .default({
        type: 'automatic',
        startSensitivity: 'high',
        endSensitivity: 'high',
        prefixPaddingMs: 20,
        silenceDurationMs: 500,
        interruptResponse: true,
      })
      .describe('automatic (server activity detection) or manual (activityStart/activityEnd from a local VAD)'),
    transcription: z.boolean().default(true).describe('Ask for input and output audio transcriptions'),
    tools: z.array(toolSpecSchema).default([]).describe('Functions the model may call (the tool router may add more)'),
    contextWindowCompression: z
      .boolean()
      .default(true)
      .describe('Sliding-window context compression, so that sessions outlive the context limit'),
    baseUrl: z
      .string()
      .url()
      .default('wss://generativelanguage.googleapis.com')
      .describe(
        'Service origin; /ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent is appended',
      ),
    apiVersion: z.string().min(1).default('v1beta').describe('API version in the WebSocket path'),
    connectTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Time allowed to open and set up the session'),
    maxMessageBytes: maxMessageBytesField,
    reconnect: reconnectSchema
      .default({ maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 5000 })
      .describe('Reconnection policy after a dropped socket or goAway'),
  })
  .strict();

export type GeminiLiveConfigInput = z.input<typeof geminiLiveConfigSchema>;
export type GeminiLiveConfig = z.output<typeof geminiLiveConfigSchema>;
export type GeminiTurnDetection = GeminiLiveConfig['turnDetection'];

/** What the service takes: 16-bit PCM, 16 kHz, mono (`audio/pcm;rate=16000`). */
export const GEMINI_INPUT_FORMAT: AudioFormat = { encoding: 'pcm16', sampleRate: 16_000, channels: 1 };
/** What the model speaks: 16-bit PCM, 24 kHz, mono. */
export const GEMINI_OUTPUT_FORMAT: AudioFormat = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 };
export const GEMINI_INPUT_CAPS: AudioCaps = { encoding: ['pcm16'], sampleRate: [16_000], channels: [1] };
