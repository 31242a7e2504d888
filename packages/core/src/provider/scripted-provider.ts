import { resolve } from 'node:path';
import type { ConversationContext, S2SCapabilities, S2SProvider, S2SSession, StartSessionOptions } from './s2s.js';
import { type CompiledScript, compileScript, loadScriptFile, type ScriptTurn } from './script.js';
import {
  type ReplyPart,
  type StubProviderOptions,
  StubSession,
  type StubSessionSettings,
  stubCapabilities,
  stubSessionSettings,
} from './stub-session.js';

export interface ScriptedProviderOptions extends StubProviderOptions {
  readonly sampleRate: number;
  /** Start over when the script runs out (otherwise later turns get no reply). */
  readonly loop: boolean;
}

export const SCRIPTED_DEFAULTS: ScriptedProviderOptions = {
  sampleRate: 24_000,
  latencyMs: 200,
  realtime: true,
  loop: false,
  maxTurnMs: 30_000,
  turnDetection: { thresholdDb: -50, minSpeechMs: 60, hangoverMs: 500 },
};

/** Where the script comes from: inline turns, or a YAML/JSON file; relative paths resolve against `baseDir`. */
export type ScriptSource = { readonly script: readonly ScriptTurn[] } | { readonly scriptFile: string };

export function scriptedCapabilities(sampleRate: number): S2SCapabilities {
  return stubCapabilities(sampleRate, { tools: true, transcripts: true });
}

/**
 * Replies to each user turn (end of speech, or a text message) with the next turn of a script:
 * transcripts, tones or WAV audio, tool calls that wait for their results, and errors on cue.
 */
export class ScriptedProvider implements S2SProvider {
  readonly name = 'scripted';
  readonly capabilities: S2SCapabilities;
  private readonly options: ScriptedProviderOptions;
  private sessions = 0;

  constructor(
    private readonly script: CompiledScript,
    options: Partial<ScriptedProviderOptions> = {},
  ) {
    this.options = { ...SCRIPTED_DEFAULTS, ...options };
    this.capabilities = scriptedCapabilities(this.options.sampleRate);
  }

  /** Loads and checks the script (and the WAV files it names) before any session starts. */
  static async load(
    source: ScriptSource,
    options: Partial<ScriptedProviderOptions> & { baseDir?: string } = {},
  ): Promise<ScriptedProvider> {
    const { baseDir = process.cwd(), ...rest } = options;
    const sampleRate = rest.sampleRate ?? SCRIPTED_DEFAULTS.sampleRate;
    const script =
      'scriptFile' in source
        ? await loadScriptFile(resolve(baseDir, source.scriptFile), sampleRate)
        : await compileScript(source.script, { sampleRate, dir: baseDir, source: 'script' });
    return new ScriptedProvider(script, rest);
  }

  async startSession(context: ConversationContext, options?: StartSessionOptions): Promise<S2SSession> {
    const settings = stubSessionSettings(this, `scripted-${++this.sessions}`, this.options, context, options);
    return new ScriptedSession(settings, this.script, this.options.loop);
  }
}

class ScriptedSession extends StubSession {
  private turns = 0;
  /** Responses of the current turn still to play, each after the tool results of the one before. */
  private remaining: (readonly ReplyPart[])[] = [];

  constructor(
    settings: StubSessionSettings,
    private readonly script: CompiledScript,
    private readonly loop: boolean,
  ) {
    super(settings);
  }

  protected onUserTurn(): void {
    this.nextTurn();
  }

  protected onUserText(): void {
    this.nextTurn();
  }

  protected override onToolResults(): void {
    const next = this.remaining.shift();
    if (next) this.reply(next);
  }

  protected override onInterrupted(): void {
    this.remaining = [];
  }

  private nextTurn(): void {
    if (this.script.length === 0 || (!this.loop && this.turns >= this.script.length)) return;
    const turn = this.script[this.turns++ % this.script.length];
    this.remaining = turn.slice(1);
    this.reply(turn[0]);
  }
}
