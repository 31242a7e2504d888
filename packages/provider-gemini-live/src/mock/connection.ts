import { argumentsFromSchema, EnergyTurnDetector } from '@beluga-voice/core';
import type { WebSocket } from 'ws';
import type { GeminiMockFault } from './faults.js';
import { type GeminiMockReply, type GeminiMockScript, replyAudio, replyFor } from './script.js';

/** What a resumption handle restores: the conversation as the model saw it. */
export interface ResumableState {
  readonly context: readonly string[];
}

/** What the connection needs from its server. */
export interface ConnectionHost {
  readonly script: () => GeminiMockScript;
  readonly saveHandle: (state: ResumableState) => string;
  readonly loadHandle: (handle: string) => ResumableState | undefined;
  readonly record: (message: Record<string, unknown>) => void;
}

interface Tool {
  readonly name: string;
  readonly parameters: unknown;
}

interface Generation {
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  readonly text: string;
  sentChunks: number;
  readonly totalChunks: number;
}

const CLIENT_KEYS = new Set(['setup', 'clientContent', 'realtimeInput', 'toolResponse']);

/**
 * One client socket speaking BidiGenerateContent: setup first, then realtime audio (activity
 * detection by energy, or activityStart/End), client content and tool responses; the model's
 * turns come from the script, streamed as 24 kHz PCM with transcriptions.
 */
export class GeminiMockConnection {
  /** The conversation as the model sees it: `user: …`, `model: …`, function calls and results. */
  readonly context: string[] = [];
  setup: Record<string, unknown> | undefined;
  private tools: Tool[] = [];
  private automatic = true;
  private interrupts = true;
  private transcribeInput = false;
  private transcribeOutput = false;
  private resumable = false;
  private silenceMs = 500;
  private detector: EnergyTurnDetector | undefined;
  private detectorRate = 0;
  private inputMs = 0;
  private userSpeaking = false;
  private generation: Generation | undefined;
  private readonly pendingCalls = new Map<string, string>();
  private turnIndex = 0;
  private callSeq = 0;
  private dropAfterChunks: number | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    socket.on('message', (data) => this.onMessage(data.toString()));
    socket.on('close', () => this.stopGeneration());
  }

  inject(fault: GeminiMockFault): void {
    switch (fault.type) {
      case 'drop':
        if (fault.afterChunks === undefined) this.socket.terminate();
        else this.dropAfterChunks = fault.afterChunks;
        return;
      case 'go-away': {
        const ms = fault.timeLeftMs ?? 1000;
        this.send({ goAway: { timeLeft: `${ms / 1000}s` } });
        const t = setTimeout(() => this.socket.close(1000, 'session ended after goAway'), ms);
        this.socket.once('close', () => clearTimeout(t));
        return;
      }
      case 'rate-limit':
        this.closeWith(1011, 'Resource has been exhausted (e.g. check quota).');
        return;
      case 'server-error':
        this.closeWith(1011, 'Internal error encountered.');
        return;
      case 'cancel-tool-calls':
        if (this.pendingCalls.size > 0) this.send({ toolCallCancellation: { ids: [...this.pendingCalls.keys()] } });
        this.pendingCalls.clear();
        return;
      case 'forget-handles':
        return;
      case 'oversized-message':
        this.socket.send(`{"serverContent":{"padding":"${'x'.repeat(fault.bytes)}"}}`);
        return;
    }
  }

  private onMessage(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.closeWith(1007, 'Invalid JSON payload received.');
      return;
    }
    this.host.record(message);
    const keys = Object.keys(message);
    const unknown = keys.find((k) => !CLIENT_KEYS.has(k));
    if (unknown || keys.length !== 1) {
      this.closeWith(
        1007,
        unknown
          ? `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`
          : 'Invalid JSON payload received. A message must set exactly one of setup, clientContent, realtimeInput, toolResponse.',
      );
      return;
    }
    if (!this.setup && !message.setup) {
      this.closeWith(1007, 'Invalid request: the first message must be setup.');
      return;
    }
    if (message.setup) this.onSetup(message.setup as Record<string, unknown>);
    else if (message.realtimeInput) this.onRealtimeInput(message.realtimeInput as Record<string, unknown>);
    else if (message.clientContent) this.onClientContent(message.clientContent as Record<string, unknown>);
    else if (message.toolResponse) this.onToolResponse(message.toolResponse as Record<string, unknown>);
  }

  private onSetup(setup: Record<string, unknown>): void {
    if (this.setup) {
      this.closeWith(1007, 'Invalid request: setup may only be sent once.');
      return;
    }
    const model = setup.model;
    if (typeof model !== 'string' || !model.startsWith('models/')) {
      this.closeWith(1007, `Invalid request: setup.model must be "models/<name>", got ${JSON.stringify(model)}.`);
      return;
    }
    const generation = (setup.generationConfig ?? {}) as { responseModalities?: string[] };
    const modalities = generation.responseModalities ?? ['AUDIO'];
    if (!modalities.includes('AUDIO')) {
      this.closeWith(1007, 'Invalid request: this mock speaks AUDIO only (responseModalities).');
      return;
    }
    const resumption = setup.sessionResumption as { handle?: string } | undefined;
    if (resumption?.handle) {
      const state = this.host.loadHandle(resumption.handle);
      if (!state) {
        this.closeWith(1008, 'Invalid session resumption handle.');
        return;
      }
      this.context.push(...state.context);
    }
    this.setup = setup;
    this.resumable = resumption !== undefined;
    const declarations = ((setup.tools ?? []) as { functionDeclarations?: Record<string, unknown>[] }[]).flatMap(
      (t) => t.functionDeclarations ?? [],
    );
    this.tools = declarations.map((d) => ({
      name: String(d.name),
      parameters: d.parametersJsonSchema ?? d.parameters ?? {},
    }));
    const input = (setup.realtimeInputConfig ?? {}) as {
      automaticActivityDetection?: { disabled?: boolean; silenceDurationMs?: number };
      activityHandling?: string;
    };
    this.automatic = input.automaticActivityDetection?.disabled !== true;
    this.silenceMs = input.automaticActivityDetection?.silenceDurationMs ?? 500;
    this.interrupts = input.activityHandling !== 'NO_INTERRUPTION';
    this.transcribeInput = setup.inputAudioTranscription !== undefined;
    this.transcribeOutput = setup.outputAudioTranscription !== undefined;
    this.send({ setupComplete: {} });
    if (this.resumable) this.sendHandle();
  }

  private onRealtimeInput(input: Record<string, unknown>): void {
    const chunks = [
      ...(input.audio ? [input.audio as { data?: string; mimeType?: string }] : []),
      ...((input.mediaChunks ?? []) as { data?: string; mimeType?: string }[]),
    ];
    for (const chunk of chunks) this.onAudio(chunk);
    if (input.activityStart !== undefined) {
      if (this.automatic) {
        this.closeWith(1007, 'Invalid request: activityStart needs automatic activity detection disabled.');
        return;
      }
      this.userStarted();
    }
    if (input.activityEnd !== undefined) {
      if (this.automatic) {
        this.closeWith(1007, 'Invalid request: activityEnd needs automatic activity detection disabled.');
        return;
      }
      this.userStopped();
    }
    if (typeof input.text === 'string') {
      this.context.push(`user: ${input.text}`);
      this.respond('user');
    }
  }

  private onAudio(chunk: { data?: string; mimeType?: string }): void {
    const mime = chunk.mimeType ?? '';
    if (!mime.startsWith('audio/pcm')) {
      this.closeWith(1007, `Invalid request: unsupported audio mimeType "${mime}" (use audio/pcm;rate=16000).`);
      return;
    }
    const rate = Number(/rate=(\d+)/.exec(mime)?.[1] ?? 16_000);
    const bytes = Buffer.from(chunk.data ?? '', 'base64');
    const samples = new Int16Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 2)),
    );
    const at = this.inputMs;
    this.inputMs += (samples.length / rate) * 1000;
    if (!this.automatic) return;
    if (!this.detector || this.detectorRate !== rate) {
      this.detector = new EnergyTurnDetector({ thresholdDb: -40, minSpeechMs: 60, hangoverMs: this.silenceMs }, rate);
      this.detectorRate = rate;
    }
    for (const event of this.detector.push(samples, at)) {
      if (event.type === 'start') this.userStarted();
      else this.userStopped();
    }
  }

  private userStarted(): void {
    this.userSpeaking = true;
    if (this.generation && this.interrupts) {
      const g = this.generation;
      this.stopGeneration();
      const spoken = g.text.slice(0, Math.round((g.text.length * g.sentChunks) / Math.max(1, g.totalChunks)));
      if (spoken) this.context.push(`model: ${spoken}`);
      this.send({ serverContent: { interrupted: true } });
    }
  }

  private userStopped(): void {
    if (!this.userSpeaking) return;
    this.userSpeaking = false;
    const heard = this.host.script().userTranscript ?? 'hello';
    if (this.transcribeInput) this.send({ serverContent: { inputTranscription: { text: heard } } });
    this.context.push(`user: ${heard}`);
    this.respond('user');
  }

  private onClientContent(content: Record<string, unknown>): void {
    const turns = (content.turns ?? []) as { role?: string; parts?: { text?: string }[] }[];
    for (const turn of turns) {
      const text = (turn.parts ?? []).map((p) => p.text ?? '').join(' ');
      this.context.push(`${turn.role === 'model' ? 'model' : 'user'}: ${text}`);
    }
    if (content.turnComplete === true) this.respond('user');
  }

  private onToolResponse(response: Record<string, unknown>): void {
    const answers = (response.functionResponses ?? []) as { id?: string; name?: string; response?: unknown }[];
    for (const answer of answers) {
      if (!answer.id || !this.pendingCalls.has(answer.id)) {
        this.closeWith(1007, `Invalid request: no pending function call with id ${JSON.stringify(answer.id)}.`);
        return;
      }
      this.pendingCalls.delete(answer.id);
      this.context.push(`function ${answer.name} returned ${JSON.stringify(answer.response)}`);
    }
    if (this.pendingCalls.size === 0) this.respond('tool-response');
  }

  // ---- model turns ----------------------------------------------------------------------------

  private respond(after: 'user' | 'tool-response'): void {
    if (this.generation) this.stopGeneration();
    const script = this.host.script();
    const reply = replyFor(script, {
      turnIndex: this.turnIndex++,
      after,
      context: [...this.context],
      tools: this.tools.map((t) => t.name),
    });
    if (reply.functionCall) this.callFunction(reply.functionCall);
    else this.speak(reply, script);
  }

  private callFunction(call: NonNullable<GeminiMockReply['functionCall']>): void {
    const tool = this.tools.find((t) => t.name === call.name);
    if (!tool) {
      this.closeWith(1011, `Internal error: the script calls "${call.name}", which the setup does not declare.`);
      return;
    }
    const id = `function-call-${++this.callSeq}`;
    const args = call.args ?? (argumentsFromSchema(tool.parameters) as Record<string, unknown>);
    this.pendingCalls.set(id, call.name);
    this.context.push(`model: called ${call.name}(${JSON.stringify(args)})`);
    this.send({ toolCall: { functionCalls: [{ id, name: call.name, args }] } });
  }

  private speak(reply: GeminiMockReply, script: GeminiMockScript): void {
    const text = reply.text ?? '';
    const samples = replyAudio(reply);
    const chunkSamples = Math.max(1, Math.round(((script.chunkMs ?? 40) * 24_000) / 1000));
    const total = Math.ceil(samples.length / chunkSamples);
    const words = text.split(/(?<=\s)/);
    const g: Generation = { timers: new Set(), text, sentChunks: 0, totalChunks: total };
    this.generation = g;
    const interval = script.chunkIntervalMs ?? 0;
    const first = script.firstAudioLatencyMs ?? 0;
    const at = (delay: number, fn: () => void) => {
      const t = setTimeout(() => {
        g.timers.delete(t);
        if (this.generation === g) fn();
      }, delay);
      g.timers.add(t);
    };
    for (let i = 0; i < total; i++) {
      at(first + i * interval, () => {
        const part = samples.subarray(i * chunkSamples, (i + 1) * chunkSamples);
        const data = Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64');
        this.send({
          serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data } }] } },
        });
        const from = Math.floor((words.length * i) / total);
        const to = Math.floor((words.length * (i + 1)) / total);
        const said = words.slice(from, to).join('');
        if (said && this.transcribeOutput) this.send({ serverContent: { outputTranscription: { text: said } } });
        g.sentChunks = i + 1;
        if (this.dropAfterChunks !== undefined && g.sentChunks >= this.dropAfterChunks) {
          this.dropAfterChunks = undefined;
          this.stopGeneration();
          this.socket.terminate();
        }
      });
    }
    at(first + total * interval, () => {
      this.generation = undefined;
      this.context.push(`model: ${text}`);
      this.send({ serverContent: { generationComplete: true } });
      const prompt = this.context.join('\n').length / 4;
      const output = Math.round((samples.length / 24_000) * 25);
      this.send({
        usageMetadata: {
          promptTokenCount: Math.round(prompt),
          responseTokenCount: output,
          totalTokenCount: Math.round(prompt) + output,
        },
      });
      this.send({ serverContent: { turnComplete: true } });
      if (this.resumable) this.sendHandle();
    });
  }

  private stopGeneration(): void {
    const g = this.generation;
    this.generation = undefined;
    if (g) for (const t of g.timers) clearTimeout(t);
  }

  private sendHandle(): void {
    this.send({
      sessionResumptionUpdate: { newHandle: this.host.saveHandle({ context: [...this.context] }), resumable: true },
    });
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private closeWith(code: number, reason: string): void {
    this.stopGeneration();
    this.socket.close(code, reason);
  }
}
