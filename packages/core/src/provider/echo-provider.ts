import type { ConversationContext, S2SCapabilities, S2SProvider, S2SSession, StartSessionOptions } from './s2s.js';
import {
  type StubProviderOptions,
  StubSession,
  type StubSessionSettings,
  stubCapabilities,
  stubSessionSettings,
  type UserTurn,
} from './stub-session.js';

export interface EchoProviderOptions extends StubProviderOptions {
  /** Rate of the pcm16 mono audio it takes and gives back. */
  readonly sampleRate: number;
  /** Audio kept from before the detected start of speech, so the first syllable is not clipped. */
  readonly prerollMs: number;
}

export const ECHO_DEFAULTS: EchoProviderOptions = {
  sampleRate: 24_000,
  latencyMs: 300,
  realtime: true,
  prerollMs: 100,
  maxTurnMs: 30_000,
  turnDetection: { thresholdDb: -50, minSpeechMs: 60, hangoverMs: 500 },
};

export function echoCapabilities(sampleRate: number): S2SCapabilities {
  return stubCapabilities(sampleRate, { tools: false, transcripts: false });
}

/**
 * Plays back each user turn after a fixed latency: a deterministic provider for demos, tests and
 * latency probes. A text message is answered with the same text as an assistant transcript.
 */
export class EchoProvider implements S2SProvider {
  readonly name = 'echo';
  readonly capabilities: S2SCapabilities;
  private readonly options: EchoProviderOptions;
  private sessions = 0;

  constructor(options: Partial<EchoProviderOptions> = {}) {
    this.options = { ...ECHO_DEFAULTS, ...options };
    this.capabilities = echoCapabilities(this.options.sampleRate);
  }

  async startSession(context: ConversationContext, options?: StartSessionOptions): Promise<S2SSession> {
    const settings = stubSessionSettings(this, `echo-${++this.sessions}`, this.options, context, options);
    return new EchoSession(settings, this.options.prerollMs);
  }
}

class EchoSession extends StubSession {
  constructor(
    settings: StubSessionSettings,
    private readonly prerollMs: number,
  ) {
    super(settings);
  }

  protected onUserTurn(turn: UserTurn): void {
    const samples = this.userAudio(turn, this.prerollMs);
    if (samples.length > 0) this.reply([{ kind: 'audio', samples }]);
  }

  protected onUserText(text: string): void {
    this.reply([{ kind: 'transcript', text }]);
  }
}
