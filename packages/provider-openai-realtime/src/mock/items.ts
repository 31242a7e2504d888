import { newId } from './ids.js';
import { gaFormat, type MockProtocol, type SessionState } from './session-state.js';

/** Conversation items and responses as the mock keeps them, and their wire shapes per version. */

export type Json = Record<string, unknown>;

export interface Item {
  readonly id: string;
  readonly type: 'message' | 'function_call' | 'function_call_output';
  role?: 'user' | 'assistant' | 'system';
  status: 'in_progress' | 'completed' | 'incomplete';
  content: Json[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string;
  /** Assistant audio sent for this item, in bytes of the output format. */
  audioBytes: number;
}

export interface ResponseRun {
  readonly id: string;
  status: 'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete';
  statusDetails: Json | null;
  readonly output: Item[];
  cancelReason?: 'turn_detected' | 'client_cancelled';
  outputTokens: number;
}

export const RESPONSE_KEYS: Record<MockProtocol, readonly string[]> = {
  ga: [
    'output_modalities',
    'instructions',
    'audio',
    'tools',
    'tool_choice',
    'max_output_tokens',
    'conversation',
    'input',
    'metadata',
    'prompt',
    'reasoning',
    'parallel_tool_calls',
  ],
  beta: [
    'modalities',
    'instructions',
    'voice',
    'output_audio_format',
    'tools',
    'tool_choice',
    'temperature',
    'max_response_output_tokens',
    'conversation',
    'input',
    'metadata',
  ],
};

/** Event names that differ between the versions (§4.1). */
export const NAMES = {
  ga: {
    audioDelta: 'response.output_audio.delta',
    audioDone: 'response.output_audio.done',
    transcriptDelta: 'response.output_audio_transcript.delta',
    transcriptDone: 'response.output_audio_transcript.done',
    textDelta: 'response.output_text.delta',
    textDone: 'response.output_text.done',
    audioContent: 'output_audio',
    textContent: 'output_text',
  },
  beta: {
    audioDelta: 'response.audio.delta',
    audioDone: 'response.audio.done',
    transcriptDelta: 'response.audio_transcript.delta',
    transcriptDone: 'response.audio_transcript.done',
    textDelta: 'response.text.delta',
    textDone: 'response.text.done',
    audioContent: 'audio',
    textContent: 'text',
  },
} as const;

export interface ItemProblem {
  readonly code: string;
  readonly message: string;
  readonly param: string;
}

const INPUT_CONTENT = ['input_text', 'input_audio', 'input_image'];

/** The item of a `conversation.item.create`, or what the service would say is wrong with it (§3.4). */
export function clientItem(
  raw: unknown,
  protocol: MockProtocol,
  existing: readonly Item[],
): { item: Item } | { problem: ItemProblem } {
  if (!raw || typeof raw !== 'object') {
    return {
      problem: { code: 'missing_required_parameter', message: "Missing required parameter: 'item'.", param: 'item' },
    };
  }
  const given = raw as Json;
  const id = typeof given.id === 'string' && given.id ? given.id : newId('item');
  if (existing.some((i) => i.id === id)) {
    return { problem: { code: 'invalid_value', message: `Item with id '${id}' already exists.`, param: 'item.id' } };
  }
  switch (given.type) {
    case 'message': {
      const role = given.role;
      if (role !== 'user' && role !== 'assistant' && role !== 'system') {
        return { problem: { code: 'invalid_value', message: "Invalid value for 'item.role'.", param: 'item.role' } };
      }
      const content = Array.isArray(given.content) ? (given.content as Json[]) : [];
      const allowed = role === 'assistant' ? [NAMES[protocol].textContent] : INPUT_CONTENT;
      const bad = content.findIndex((c) => !allowed.includes(String(c?.type)));
      if (bad >= 0) {
        const supported = allowed.map((a) => `'${a}'`).join(', ');
        return {
          problem: {
            code: 'invalid_value',
            message: `Invalid value: '${String(content[bad]?.type)}'. Supported values are: ${supported}.`,
            param: `item.content[${bad}].type`,
          },
        };
      }
      const stored = content.map((c) => ({ ...c, audio: undefined }));
      return { item: { id, type: 'message', role, status: 'completed', content: stored, audioBytes: 0 } };
    }
    case 'function_call':
      if (typeof given.call_id !== 'string' || typeof given.name !== 'string') {
        return {
          problem: {
            code: 'missing_required_parameter',
            message: "Missing required parameter: 'item.call_id'.",
            param: 'item.call_id',
          },
        };
      }
      return {
        item: {
          id,
          type: 'function_call',
          status: 'completed',
          content: [],
          call_id: given.call_id,
          name: given.name,
          arguments: String(given.arguments ?? '{}'),
          audioBytes: 0,
        },
      };
    case 'function_call_output': {
      const callId = given.call_id;
      if (typeof callId !== 'string' || !existing.some((i) => i.type === 'function_call' && i.call_id === callId)) {
        return {
          problem: {
            code: 'invalid_value',
            message: `Tool call ID '${String(callId)}' not found in conversation.`,
            param: 'item.call_id',
          },
        };
      }
      return {
        item: {
          id,
          type: 'function_call_output',
          status: 'completed',
          content: [],
          call_id: callId,
          output: String(given.output ?? ''),
          audioBytes: 0,
        },
      };
    }
    default:
      return {
        problem: {
          code: 'invalid_value',
          message: `Invalid value: '${String(given.type)}'. Supported values are: 'message', 'function_call', and 'function_call_output'.`,
          param: 'item.type',
        },
      };
  }
}

export function renderResponse(
  protocol: MockProtocol,
  session: SessionState,
  run: ResponseRun,
  usage: Json | null,
): Json {
  const common = {
    object: 'realtime.response',
    id: run.id,
    status: run.status,
    status_details: run.statusDetails,
    output: run.output.map((i) => renderItem(protocol, i)),
    conversation_id: `conv_${session.id.slice(5)}`,
    max_output_tokens: session.maxOutputTokens,
    usage,
    metadata: null,
  };
  if (protocol === 'ga') {
    return {
      ...common,
      output_modalities: session.outputModalities,
      audio: { output: { format: gaFormat(session.outputFormat), voice: session.voice } },
    };
  }
  return {
    ...common,
    modalities: session.outputModalities,
    voice: session.voice,
    output_audio_format: session.outputFormat,
    temperature: session.temperature,
  };
}

export function renderItem(protocol: MockProtocol, item: Item): Json {
  const base: Json = { id: item.id, type: item.type, status: item.status };
  if (protocol === 'beta') base.object = 'realtime.item';
  if (item.type === 'message') return { ...base, role: item.role, content: item.content };
  if (item.type === 'function_call')
    return { ...base, call_id: item.call_id, name: item.name, arguments: item.arguments };
  return { ...base, call_id: item.call_id, output: item.output };
}

/** Words with their trailing space, as transcript deltas come. */
export function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

export function textOf(item: Item): string | undefined {
  const part = item.content[0];
  if (!part) return item.output;
  return typeof part.text === 'string' ? part.text : typeof part.transcript === 'string' ? part.transcript : undefined;
}
