import {
  type AudioCaps,
  type AudioFormat,
  apiKeyField,
  maxMessageBytesField,
  toolSpecSchema,
} from '@beluga-voice/core';
import { z } from 'zod';

const serverVad = z
  .object({
    type: z.literal('server_vad'),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Speech probability above which audio counts as speech (0..1)'),
    prefixPaddingMs: z.number().int().min(0).default(300).describe('Audio kept before detected speech, in ms'),
    silenceDurationMs: z.number().int().min(0).default(500).describe('Silence that ends a turn, in ms'),
    createResponse: z.boolean().default(true).describe('The server answers by itself when a turn ends'),
    interruptResponse: z.boolean().default(true).describe('The server cancels its reply when the user starts speaking'),
    idleTimeoutMs: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('GA only: after this much silence with no reply, the server prompts the model (null = off)'),
  })
  .strict()
  .describe('Server voice activity detection on audio energy');

const semanticVad = z
  .object({
    type: z.literal('semantic_vad'),
    eagerness: z
      .enum(['low', 'medium', 'high', 'auto'])
      .default('auto')
      .describe('How soon the model decides the user has finished (auto = medium)'),
    createResponse: z.boolean().default(true).describe('The server answers by itself when a turn ends'),
    interruptResponse: z.boolean().default(true).describe('The server cancels its reply when the user starts speaking'),
  })
  .strict()
  .describe('Server turn detection by a model that judges whether the user has finished');

const noVad = z
  .object({ type: z.literal('none') })
  .strict()
  .describe('No server turn detection: push-to-talk or a local VAD (commit and respond on speech stop)');

export const turnDetectionSchema = z.discriminatedUnion('type', [serverVad, semanticVad, noVad]);

const reconnectSchema = z
  .object({
    maxAttempts: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe('Reconnection attempts before the session fails (0 = never reconnect)'),
    initialDelayMs: z
      .number()
      .int()
      .min(0)
      .default(250)
      .describe('Delay before the first attempt; doubles on each attempt'),
    maxDelayMs: z.number().int().min(0).default(5000).describe('Upper bound of the delay between attempts'),
    jitter: z.number().min(0).max(1).default(0.2).describe('Random spread of each delay, as a fraction (0.2 = ±20 %)'),
  })
  .strict();

export const openaiRealtimeConfigSchema = z
  .object({
    apiKey: apiKeyField('OPENAI_API_KEY', 'OpenAI API key (or ek_ ephemeral key)'),
    model: z
      .string()
      .min(1)
      .default('gpt-realtime')
      .describe('Realtime model, e.g. gpt-realtime or gpt-4o-realtime-preview-2024-10-01'),
    voice: z
      .string()
      .min(1)
      .default('alloy')
      .describe('Output voice (alloy, ash, ballad, coral, echo, sage, shimmer, verse; GA adds marin, cedar)'),
    temperature: z
      .number()
      .min(0.6)
      .max(1.2)
      .optional()
      .describe('Sampling temperature, 0.6..1.2 (beta protocol only; 0.8 when unset; ignored with a warning in GA)'),
    instructions: z.string().optional().describe('System instructions for the model'),
    turnDetection: turnDetectionSchema
      .default({
        type: 'server_vad',
        threshold: 0.5,
        prefixPaddingMs: 300,
        silenceDurationMs: 500,
        createResponse: true,
        interruptResponse: true,
        idleTimeoutMs: null,
      })
      .describe('Turn detection: server_vad, semantic_vad, or none (push-to-talk / local VAD)'),
    inputTranscription: z
      .union([
        z
          .object({
            model: z.string().min(1).default('whisper-1').describe('Transcription model'),
            language: z.string().optional().describe('ISO-639-1 language of the input, e.g. en'),
            prompt: z.string().optional().describe('Hint text for the transcription model'),
          })
          .strict(),
        z.literal(false),
      ])
      .default({ model: 'whisper-1' })
      .describe('Transcribe the user audio (user transcripts); false turns it off'),
    tools: z.array(toolSpecSchema).default([]).describe('Functions the model may call (the tool router may add more)'),
    toolChoice: z
      .union([
        z.enum(['auto', 'none', 'required']),
        z.object({ type: z.literal('function'), name: z.string().min(1) }).strict(),
      ])
      .default('auto')
      .describe('auto, none, required, or {type: function, name} to force one function'),
    maxOutputTokens: z
      .union([z.number().int().min(1).max(4096), z.literal('inf')])
      .optional()
      .describe('Maximum output tokens per response (1..4096 or inf)'),
    baseUrl: z
      .string()
      .url()
      .default('wss://api.openai.com/v1')
      .describe('API base URL; /realtime?model=… is appended (http(s) becomes ws(s))'),
    protocol: z
      .enum(['ga', 'beta'])
      .default('ga')
      .describe('Wire protocol: ga (current service) or beta (retired; mocks and old deployments)'),
    audioFormat: z
      .enum(['pcm16', 'g711_ulaw', 'g711_alaw'])
      .default('pcm16')
      .describe('Audio in and out: pcm16 24 kHz mono, or G.711 μ-law / A-law 8 kHz mono for telephony'),
    connectTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Time allowed for each set-up step: opening the socket, then session.created, then session.updated'),
    maxMessageBytes: maxMessageBytesField,
    responseTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe('A response making no progress of its own for this long is reported as timed out'),
    reconnect: reconnectSchema
      .default({ maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 5000, jitter: 0.2 })
      .describe('Reconnection policy after a dropped socket or session expiry'),
  })
  .strict();

export type OpenAIRealtimeConfigInput = z.input<typeof openaiRealtimeConfigSchema>;
export type OpenAIRealtimeConfig = z.output<typeof openaiRealtimeConfigSchema>;
export type TurnDetection = OpenAIRealtimeConfig['turnDetection'];
export type ReconnectPolicy = OpenAIRealtimeConfig['reconnect'];
export type AudioFormatName = OpenAIRealtimeConfig['audioFormat'];

const FORMATS: Record<AudioFormatName, AudioFormat> = {
  pcm16: { encoding: 'pcm16', sampleRate: 24000, channels: 1 },
  g711_ulaw: { encoding: 'mulaw', sampleRate: 8000, channels: 1 },
  g711_alaw: { encoding: 'alaw', sampleRate: 8000, channels: 1 },
};

/** The one format the session sends and receives for a config's `audioFormat`. */
export function wireAudioFormat(name: AudioFormatName): AudioFormat {
  return FORMATS[name];
}

export function wireAudioCaps(name: AudioFormatName): AudioCaps {
  const f = FORMATS[name];
  return { encoding: [f.encoding], sampleRate: [f.sampleRate], channels: [f.channels] };
}
