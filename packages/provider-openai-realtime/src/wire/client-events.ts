import type { HistoryItem, ToolSpec } from '@beluga-voice/core';
import type { AudioFormatName, OpenAIRealtimeConfig, TurnDetection } from '../config.js';
import type { ReplayItem } from '../conversation-log.js';

/** Client events as sent on the wire (`event_id` is added by the sender). */
export type ClientEvent = { readonly type: string } & Readonly<Record<string, unknown>>;
export type Protocol = 'ga' | 'beta';

/** What a session asks the service for; config merged with the conversation context. */
export interface SessionSettings {
  readonly instructions?: string;
  readonly voice: string;
  readonly temperature?: number;
  readonly turnDetection: TurnDetection;
  readonly inputTranscription: OpenAIRealtimeConfig['inputTranscription'];
  readonly tools: readonly ToolSpec[];
  readonly toolChoice: OpenAIRealtimeConfig['toolChoice'];
  readonly maxOutputTokens?: number | 'inf';
  readonly audioFormat: AudioFormatName;
}

function gaFormat(name: AudioFormatName): Record<string, unknown> {
  if (name === 'pcm16') return { type: 'audio/pcm', rate: 24000 };
  return { type: name === 'g711_ulaw' ? 'audio/pcmu' : 'audio/pcma' };
}

/** Every field is sent: partial objects get build-dependent defaults (pitfall 9). */
function turnDetection(td: TurnDetection, protocol: Protocol): Record<string, unknown> | null {
  switch (td.type) {
    case 'none':
      return null;
    case 'semantic_vad':
      return {
        type: 'semantic_vad',
        eagerness: td.eagerness,
        create_response: td.createResponse,
        interrupt_response: td.interruptResponse,
      };
    case 'server_vad':
      return {
        type: 'server_vad',
        threshold: td.threshold,
        prefix_padding_ms: td.prefixPaddingMs,
        silence_duration_ms: td.silenceDurationMs,
        create_response: td.createResponse,
        interrupt_response: td.interruptResponse,
        ...(protocol === 'ga' ? { idle_timeout_ms: td.idleTimeoutMs } : {}),
      };
  }
}

function tools(list: readonly ToolSpec[]): Record<string, unknown>[] {
  return list.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters }));
}

function transcription(value: SessionSettings['inputTranscription']): Record<string, unknown> | null {
  if (value === false) return null;
  return {
    model: value.model,
    ...(value.language ? { language: value.language } : {}),
    ...(value.prompt ? { prompt: value.prompt } : {}),
  };
}

/** The `session` object of a `session.update`, shaped for the protocol version. */
export function buildSessionObject(protocol: Protocol, s: SessionSettings): Record<string, unknown> {
  const instructions = s.instructions === undefined ? {} : { instructions: s.instructions };
  if (protocol === 'ga') {
    return {
      type: 'realtime',
      output_modalities: ['audio'],
      ...instructions,
      audio: {
        input: {
          format: gaFormat(s.audioFormat),
          transcription: transcription(s.inputTranscription),
          turn_detection: turnDetection(s.turnDetection, 'ga'),
        },
        output: { format: gaFormat(s.audioFormat), voice: s.voice },
      },
      tools: tools(s.tools),
      tool_choice: s.toolChoice,
      ...(s.maxOutputTokens === undefined ? {} : { max_output_tokens: s.maxOutputTokens }),
    };
  }
  return {
    modalities: ['text', 'audio'],
    ...instructions,
    voice: s.voice,
    input_audio_format: s.audioFormat,
    output_audio_format: s.audioFormat,
    input_audio_transcription: transcription(s.inputTranscription),
    turn_detection: turnDetection(s.turnDetection, 'beta'),
    tools: tools(s.tools),
    tool_choice: s.toolChoice,
    temperature: s.temperature ?? 0.8,
    ...(s.maxOutputTokens === undefined ? {} : { max_response_output_tokens: s.maxOutputTokens }),
  };
}

/** A conversation item that replays one history entry as text (assistant audio cannot be re-created). */
export function historyItem(protocol: Protocol, item: HistoryItem): Record<string, unknown> {
  switch (item.type) {
    case 'message': {
      const type = item.role === 'assistant' ? (protocol === 'ga' ? 'output_text' : 'text') : 'input_text';
      return { type: 'message', role: item.role, content: [{ type, text: item.text }] };
    }
    case 'tool-call':
      return { type: 'function_call', call_id: item.id, name: item.name, arguments: item.arguments };
    case 'tool-result':
      return { type: 'function_call_output', call_id: item.id, output: item.output };
  }
}

/** A replayed entry: a history item, or a user turn re-created from its audio (§3.4 allows `input_audio`). */
export function replayItem(protocol: Protocol, item: ReplayItem): Record<string, unknown> {
  if (item.type !== 'user-audio') return historyItem(protocol, item);
  const audio = Buffer.from(item.audio.buffer, item.audio.byteOffset, item.audio.byteLength).toString('base64');
  return { type: 'message', role: 'user', content: [{ type: 'input_audio', audio }] };
}
