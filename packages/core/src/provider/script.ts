import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { decodeWav } from '../audio/wav-decode.js';
import { S2SError, type S2SErrorCode } from './s2s.js';
import type { ReplyPart } from './stub-session.js';
import { generateTone } from './tone.js';

const ERROR_CODES = [
  'invalid-input',
  'unknown-tool-call',
  'closed',
  'auth',
  'rate-limit',
  'session-expired',
  'invalid-request',
  'server',
  'timeout',
  'connection',
  'scripted',
] as const satisfies readonly S2SErrorCode[];

const toneSchema = z
  .object({
    freqHz: z.number().positive().describe('Frequency in Hz'),
    ms: z.number().positive().describe('Duration in milliseconds'),
    amplitude: z.number().min(0).max(1).default(0.3).describe('Peak level, 0..1 of full scale'),
  })
  .strict();

/** One step of a scripted reply; its fields play in this order: say, tone or audio, toolCall, error. */
export const scriptStepSchema = z
  .object({
    say: z.string().optional().describe('Assistant transcript text'),
    tone: toneSchema.optional().describe('A generated sine tone'),
    audio: z.string().optional().describe('A pcm16 mono WAV file at the provider rate, relative to the script'),
    toolCall: z
      .object({
        name: z.string().min(1).describe('Tool name'),
        arguments: z.record(z.string(), z.unknown()).default({}).describe('Arguments, sent as JSON'),
      })
      .strict()
      .optional()
      .describe('Calls a tool; the next step waits for its result'),
    error: z
      .object({
        message: z.string().min(1).describe('Error text'),
        code: z.enum(ERROR_CODES).default('scripted').describe('S2S error code'),
        fatal: z.boolean().default(false).describe('A fatal error ends the session'),
      })
      .strict()
      .optional()
      .describe('Reports an error at this point'),
  })
  .strict()
  .refine((s) => !(s.tone && s.audio), { message: 'a step has either tone or audio, not both' })
  .refine((s) => s.say ?? s.tone ?? s.audio ?? s.toolCall ?? s.error, {
    message: 'a step needs at least one of say, tone, audio, toolCall, error',
  });

export const scriptTurnSchema = z
  .object({ reply: z.array(scriptStepSchema).min(1).describe('What the provider does, in order') })
  .strict();

export const scriptSchema = z.array(scriptTurnSchema);

export type ScriptStep = z.input<typeof scriptStepSchema>;
export type ScriptTurn = z.input<typeof scriptTurnSchema>;

/** A script ready to play: per turn, the responses in order (each but the last ends with tool calls). */
export type CompiledScript = readonly (readonly (readonly ReplyPart[])[])[];

/** Reads a YAML or JSON script file (a list of turns, or `{ script: [...] }`). */
export async function loadScriptFile(path: string, sampleRate: number): Promise<CompiledScript> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`cannot read script ${path}: ${reason}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const turns = doc && typeof doc === 'object' && !Array.isArray(doc) && 'script' in doc ? doc.script : doc;
  return compileScript(turns, { sampleRate, dir: dirname(path), source: path });
}

/** Validates turns and loads their audio; errors name the source and the step (`turns[1].reply[0].tone.ms`). */
export async function compileScript(
  turns: unknown,
  options: { sampleRate: number; dir: string; source: string },
): Promise<CompiledScript> {
  const parsed = scriptSchema.safeParse(turns);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`);
    throw new Error(`${options.source}: invalid script: ${issues.join('; ')}`);
  }
  const compiled: ReplyPart[][][] = [];
  for (const [t, turn] of parsed.data.entries()) {
    const responses: ReplyPart[][] = [[]];
    for (const [s, step] of turn.reply.entries()) {
      const parts = responses[responses.length - 1];
      if (step.say !== undefined) parts.push({ kind: 'transcript', text: step.say });
      if (step.tone) {
        parts.push({
          kind: 'audio',
          samples: generateTone(options.sampleRate, step.tone.freqHz, step.tone.ms, step.tone.amplitude),
        });
      }
      if (step.audio !== undefined) {
        parts.push({
          kind: 'audio',
          samples: await loadAudio(
            resolve(options.dir, step.audio),
            options.sampleRate,
            `turns[${t}].reply[${s}].audio`,
          ),
        });
      }
      if (step.toolCall) {
        parts.push({ kind: 'tool-call', name: step.toolCall.name, arguments: JSON.stringify(step.toolCall.arguments) });
      }
      if (step.error) {
        parts.push({
          kind: 'error',
          error: new S2SError(step.error.code, step.error.message, { fatal: step.error.fatal }),
        });
      }
      if (step.toolCall && s < turn.reply.length - 1) responses.push([]);
    }
    compiled.push(responses);
  }
  return compiled;
}

async function loadAudio(path: string, sampleRate: number, where: string): Promise<Int16Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`${where}: cannot read ${path}: ${reason}`);
  }
  const wav = decodeWav(bytes, path, 'pcm16');
  if (wav.format.channels !== 1) {
    throw new Error(`${where}: ${path} has ${wav.format.channels} channels; scripted audio must be mono`);
  }
  if (wav.format.sampleRate !== sampleRate) {
    throw new Error(
      `${where}: ${path} is ${wav.format.sampleRate} Hz but the provider outputs ${sampleRate} Hz (set sampleRate: ${wav.format.sampleRate} or convert the file)`,
    );
  }
  return wav.samples;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = 'turns';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}
