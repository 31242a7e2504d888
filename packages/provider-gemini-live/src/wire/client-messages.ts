import type { HistoryItem, ToolSpec } from '@beluga-voice/core';
import type { GeminiTurnDetection } from '../config.js';

/** What a `setup` message is built from. */
export interface SetupSettings {
  readonly model: string;
  readonly voice: string;
  readonly temperature?: number;
  readonly instructions?: string;
  readonly tools: readonly ToolSpec[];
  readonly turnDetection: GeminiTurnDetection;
  readonly transcription: boolean;
  readonly contextWindowCompression: boolean;
  /** A resumption handle from `sessionResumptionUpdate`, when resuming. */
  readonly handle?: string;
}

export interface Part {
  readonly text?: string;
}

export interface Content {
  readonly role: 'user' | 'model';
  readonly parts: readonly Part[];
}

/** The first message on a socket (BidiGenerateContentSetup). */
export function setupMessage(s: SetupSettings): Record<string, unknown> {
  const td = s.turnDetection;
  const sensitivity = (side: 'START' | 'END', value: 'high' | 'low') => `${side}_SENSITIVITY_${value.toUpperCase()}`;
  const realtimeInputConfig =
    td.type === 'manual'
      ? { automaticActivityDetection: { disabled: true } }
      : {
          automaticActivityDetection: {
            disabled: false,
            startOfSpeechSensitivity: sensitivity('START', td.startSensitivity),
            endOfSpeechSensitivity: sensitivity('END', td.endSensitivity),
            prefixPaddingMs: td.prefixPaddingMs,
            silenceDurationMs: td.silenceDurationMs,
          },
          activityHandling: td.interruptResponse ? 'START_OF_ACTIVITY_INTERRUPTS' : 'NO_INTERRUPTION',
        };
  return {
    setup: {
      model: s.model.startsWith('models/') ? s.model : `models/${s.model}`,
      generationConfig: {
        responseModalities: ['AUDIO'],
        speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: s.voice } } },
        ...(s.temperature === undefined ? {} : { temperature: s.temperature }),
      },
      ...(s.instructions ? { systemInstruction: { parts: [{ text: s.instructions }] } } : {}),
      ...(s.tools.length > 0
        ? {
            tools: [
              {
                functionDeclarations: s.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  parametersJsonSchema: t.parameters,
                })),
              },
            ],
          }
        : {}),
      realtimeInputConfig,
      ...(s.transcription ? { inputAudioTranscription: {}, outputAudioTranscription: {} } : {}),
      sessionResumption: s.handle ? { handle: s.handle } : {},
      ...(s.contextWindowCompression ? { contextWindowCompression: { slidingWindow: {} } } : {}),
    },
  };
}

export function audioMessage(base64: string, sampleRate: number): Record<string, unknown> {
  return { realtimeInput: { audio: { data: base64, mimeType: `audio/pcm;rate=${sampleRate}` } } };
}

export function activityMessage(kind: 'start' | 'end'): Record<string, unknown> {
  return { realtimeInput: kind === 'start' ? { activityStart: {} } : { activityEnd: {} } };
}

export function clientContentMessage(turns: readonly Content[], turnComplete: boolean): Record<string, unknown> {
  return { clientContent: { turns, turnComplete } };
}

export function toolResponseMessage(id: string, name: string, output: string, isError: boolean) {
  return { toolResponse: { functionResponses: [{ id, name, response: functionResponse(output, isError) }] } };
}

/** Gemini takes a JSON object as the response: JSON objects pass through, anything else is wrapped. */
function functionResponse(output: string, isError: boolean): Record<string, unknown> {
  if (isError) return { error: output };
  try {
    const parsed: unknown = JSON.parse(output);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: sent as text
  }
  return { output };
}

/**
 * Earlier conversation as `clientContent` turns. Gemini cannot take function calls it did not
 * make, so tool calls and their results are replayed as text the model can read.
 */
export function historyTurns(history: readonly HistoryItem[]): Content[] {
  const turns: Content[] = [];
  const push = (role: Content['role'], text: string) => {
    const last = turns.at(-1);
    if (last && last.role === role) turns[turns.length - 1] = { role, parts: [...last.parts, { text }] };
    else turns.push({ role, parts: [{ text }] });
  };
  for (const item of history) {
    if (item.type === 'message') push(item.role === 'assistant' ? 'model' : 'user', item.text);
    else if (item.type === 'tool-call') push('model', `[called ${item.name}(${item.arguments})]`);
    else push('user', `[result of call ${item.id}: ${item.output}]`);
  }
  return turns;
}
