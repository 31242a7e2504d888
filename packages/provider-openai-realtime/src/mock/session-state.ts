import type { MockAudioFormat } from './audio.js';
import type { BetaSessionUpdate, GaSessionUpdate } from './session-validation.js';

export type MockProtocol = 'ga' | 'beta';

export type TurnDetectionState =
  | {
      type: 'server_vad';
      threshold: number;
      prefix_padding_ms: number;
      silence_duration_ms: number;
      create_response: boolean;
      interrupt_response: boolean;
      idle_timeout_ms: number | null;
    }
  | {
      type: 'semantic_vad';
      eagerness: 'low' | 'medium' | 'high' | 'auto';
      create_response: boolean;
      interrupt_response: boolean;
    };

export interface ToolState {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export type ToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'mcp'; server_label: string; name?: string };

/** The effective session, whichever protocol shaped it. */
export interface SessionState {
  readonly id: string;
  readonly model: string;
  readonly expiresAt: number;
  instructions: string;
  voice: string | { id: string };
  speed: number;
  inputFormat: MockAudioFormat;
  outputFormat: MockAudioFormat;
  transcription: { model: string; language?: string; prompt?: string } | null;
  noiseReduction: { type: 'near_field' | 'far_field' } | null;
  turnDetection: TurnDetectionState | null;
  tools: ToolState[];
  toolChoice: ToolChoice;
  temperature: number;
  maxOutputTokens: number | 'inf';
  outputModalities: ('audio' | 'text')[];
}

export const DEFAULT_INSTRUCTIONS =
  'You are a helpful, witty, and friendly AI. Your voice and personality should be warm and engaging.';

/** Defaults per version; GA's silence duration is 200 ms in captured traffic, beta's 500 ms. */
export function defaultSession(protocol: MockProtocol, id: string, model: string, expiresAt: number): SessionState {
  return {
    id,
    model,
    expiresAt,
    instructions: DEFAULT_INSTRUCTIONS,
    voice: 'alloy',
    speed: 1,
    inputFormat: 'pcm16',
    outputFormat: 'pcm16',
    transcription: null,
    noiseReduction: null,
    turnDetection: serverVad(protocol, {}),
    tools: [],
    toolChoice: 'auto',
    temperature: 0.8,
    maxOutputTokens: 'inf',
    outputModalities: protocol === 'ga' ? ['audio'] : ['text', 'audio'],
  };
}

type TurnDetectionUpdate = NonNullable<NonNullable<NonNullable<GaSessionUpdate['audio']>['input']>['turn_detection']>;

/** Fields left out take the server's defaults (pitfall 9). */
function serverVad(
  protocol: MockProtocol,
  td: Partial<Extract<TurnDetectionState, { type: 'server_vad' }>>,
): TurnDetectionState {
  return {
    type: 'server_vad',
    threshold: td.threshold ?? 0.5,
    prefix_padding_ms: td.prefix_padding_ms ?? 300,
    silence_duration_ms: td.silence_duration_ms ?? (protocol === 'ga' ? 200 : 500),
    create_response: td.create_response ?? true,
    interrupt_response: td.interrupt_response ?? true,
    idle_timeout_ms: td.idle_timeout_ms ?? null,
  };
}

function turnDetection(protocol: MockProtocol, td: TurnDetectionUpdate | null): TurnDetectionState | null {
  if (td === null) return null;
  if (td.type === 'server_vad')
    return serverVad(protocol, td as Partial<Extract<TurnDetectionState, { type: 'server_vad' }>>);
  return {
    type: 'semantic_vad',
    eagerness: td.eagerness ?? 'auto',
    create_response: td.create_response ?? true,
    interrupt_response: td.interrupt_response ?? true,
  };
}

function fromGaFormat(format: { type: 'audio/pcm' | 'audio/pcmu' | 'audio/pcma' }): MockAudioFormat {
  return format.type === 'audio/pcm' ? 'pcm16' : format.type === 'audio/pcmu' ? 'g711_ulaw' : 'g711_alaw';
}

export function gaFormat(format: MockAudioFormat): Record<string, unknown> {
  return format === 'pcm16'
    ? { type: 'audio/pcm', rate: 24000 }
    : { type: format === 'g711_ulaw' ? 'audio/pcmu' : 'audio/pcma' };
}

function tools(
  list: readonly { name: string; description?: string; parameters?: Record<string, unknown> }[],
): ToolState[] {
  return list.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
}

/** The new voice, when an update changes it. */
export function voiceChange(
  state: SessionState,
  protocol: MockProtocol,
  update: GaSessionUpdate | BetaSessionUpdate,
): boolean {
  const next =
    protocol === 'ga' ? (update as GaSessionUpdate).audio?.output?.voice : (update as BetaSessionUpdate).voice;
  return next !== undefined && JSON.stringify(next) !== JSON.stringify(state.voice);
}

export function applyGaUpdate(state: SessionState, u: GaSessionUpdate): void {
  if (u.instructions !== undefined) state.instructions = u.instructions;
  if (u.output_modalities) state.outputModalities = [...u.output_modalities];
  const input = u.audio?.input;
  if (input?.format) state.inputFormat = fromGaFormat(input.format);
  if (input?.transcription !== undefined) state.transcription = input.transcription;
  if (input?.noise_reduction !== undefined) state.noiseReduction = input.noise_reduction;
  if (input?.turn_detection !== undefined) state.turnDetection = turnDetection('ga', input.turn_detection);
  const output = u.audio?.output;
  if (output?.format) state.outputFormat = fromGaFormat(output.format);
  if (output?.voice !== undefined) state.voice = output.voice;
  if (output?.speed !== undefined) state.speed = output.speed;
  if (u.tools) state.tools = tools(u.tools);
  if (u.tool_choice !== undefined) state.toolChoice = u.tool_choice;
  if (u.max_output_tokens !== undefined) state.maxOutputTokens = u.max_output_tokens;
}

export function applyBetaUpdate(state: SessionState, u: BetaSessionUpdate): void {
  if (u.instructions !== undefined) state.instructions = u.instructions;
  if (u.modalities) state.outputModalities = [...u.modalities];
  if (u.voice !== undefined) state.voice = u.voice;
  if (u.speed !== undefined) state.speed = u.speed;
  if (u.input_audio_format) state.inputFormat = u.input_audio_format;
  if (u.output_audio_format) state.outputFormat = u.output_audio_format;
  if (u.input_audio_transcription !== undefined) state.transcription = u.input_audio_transcription;
  if (u.input_audio_noise_reduction !== undefined) state.noiseReduction = u.input_audio_noise_reduction;
  if (u.turn_detection !== undefined)
    state.turnDetection = turnDetection('beta', u.turn_detection as TurnDetectionUpdate | null);
  if (u.tools) state.tools = tools(u.tools);
  if (u.tool_choice !== undefined) state.toolChoice = u.tool_choice;
  if (u.temperature !== undefined) state.temperature = u.temperature;
  if (u.max_response_output_tokens !== undefined) state.maxOutputTokens = u.max_response_output_tokens;
}

function toolObjects(state: SessionState): Record<string, unknown>[] {
  return state.tools.map((t) => ({
    type: 'function',
    name: t.name,
    description: t.description ?? '',
    parameters: t.parameters ?? {},
  }));
}

/** The full effective session, as `session.created` / `session.updated` carry it. */
export function renderSession(protocol: MockProtocol, s: SessionState): Record<string, unknown> {
  if (protocol === 'ga') {
    return {
      type: 'realtime',
      object: 'realtime.session',
      id: s.id,
      model: s.model,
      output_modalities: s.outputModalities,
      instructions: s.instructions,
      tools: toolObjects(s),
      tool_choice: s.toolChoice,
      max_output_tokens: s.maxOutputTokens,
      tracing: null,
      truncation: 'auto',
      prompt: null,
      expires_at: s.expiresAt,
      include: null,
      audio: {
        input: {
          format: gaFormat(s.inputFormat),
          transcription: s.transcription,
          noise_reduction: s.noiseReduction,
          turn_detection: s.turnDetection,
        },
        output: { format: gaFormat(s.outputFormat), voice: s.voice, speed: s.speed },
      },
    };
  }
  const td = s.turnDetection;
  return {
    id: s.id,
    object: 'realtime.session',
    model: s.model,
    expires_at: s.expiresAt,
    modalities: s.outputModalities,
    instructions: s.instructions,
    voice: s.voice,
    speed: s.speed,
    turn_detection: td && td.type === 'server_vad' ? { ...td, idle_timeout_ms: undefined } : td,
    input_audio_format: s.inputFormat,
    output_audio_format: s.outputFormat,
    input_audio_transcription: s.transcription,
    input_audio_noise_reduction: s.noiseReduction,
    tool_choice: s.toolChoice,
    temperature: s.temperature,
    max_response_output_tokens: s.maxOutputTokens,
    tools: toolObjects(s),
  };
}
