import { argumentsFromSchema } from '@beluga-voice/core';
import type WebSocket from 'ws';
import { decodeBase64Audio } from '../base64.js';
import { bytesPerMs, decodeToPcm16, encodeFromPcm16, sampleRateOf } from './audio.js';
import { EnergyVad, type VadEvent, type VadSettings } from './energy-vad.js';
import type { FaultQueue, ResponseFault } from './faults.js';
import { newId } from './ids.js';
import {
  clientItem,
  type Item,
  type Json,
  NAMES,
  RESPONSE_KEYS,
  type ResponseRun,
  renderItem,
  renderResponse,
  textOf,
  words,
} from './items.js';
import { type MockReply, type MockScript, replyAudio, replyFor, userTranscriptFor } from './script.js';
import {
  applyBetaUpdate,
  applyGaUpdate,
  defaultSession,
  type MockProtocol,
  renderSession,
  type SessionState,
  type ToolChoice,
  type ToolState,
  voiceChange,
} from './session-state.js';
import { betaSessionSchema, gaSessionSchema, paramName, validateParameters } from './session-validation.js';

export interface ConnectionDeps {
  readonly number: number;
  readonly protocol: MockProtocol;
  readonly model: string;
  readonly script: () => MockScript;
  readonly faults: FaultQueue;
  readonly nextResponseIndex: () => number;
  readonly record: (event: Json) => void;
  readonly sessionMaxMs: number;
  readonly onClosed: () => void;
}

const MIN_COMMIT_MS = 100;

/** One client socket speaking the Realtime protocol (GA or beta) against a scripted model. */
export class MockConnection {
  private readonly session: SessionState;
  private readonly names: (typeof NAMES)[MockProtocol];
  private readonly items: Item[] = [];
  private readonly vad: EnergyVad;
  private bufferBytes = 0;
  private pendingUserItem: string | undefined;
  private active: ResponseRun | undefined;
  private replyAfterActive = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private assistantAudioSent = false;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.names = NAMES[deps.protocol];
    const expiresAt = Math.floor((Date.now() + deps.sessionMaxMs) / 1000);
    this.session = defaultSession(deps.protocol, newId('sess'), deps.model, expiresAt);
    this.vad = new EnergyVad(this.vadSettings(), sampleRateOf(this.session.inputFormat));
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.send({ type: 'session.created', session: renderSession(deps.protocol, this.session) });
    this.later(deps.sessionMaxMs, () => this.expire());
  }

  get protocol(): MockProtocol {
    return this.deps.protocol;
  }

  /** Ends the socket as the fault asks (no close frame for a drop). */
  drop(): void {
    this.socket.terminate();
    this.dispose();
  }

  /** `session_expired`, then close 1001 with the message as reason (§1.5). */
  expire(): void {
    if (this.closed) return;
    const minutes = Math.round(this.deps.sessionMaxMs / 60_000);
    const message = `Your session hit the maximum duration of ${minutes} minutes.`;
    this.sendError('session_expired', message);
    this.closeWith(1001, message);
  }

  /** Non-JSON text, a wrongly typed field, an unknown event type. */
  sendMalformed(): void {
    if (this.closed) return;
    this.socket.send('{"type": "response.output_audio.delta", "delta": ');
    this.send({ type: this.names.audioDelta, response_id: 42, delta: null });
    this.send({ type: 'mock.unknown_event', detail: 'injected by the mock' });
  }

  closeWith(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason.slice(0, 120));
    this.dispose();
  }

  // ---- client events ------------------------------------------------------------------------

  private onMessage(text: string): void {
    if (this.closed) return;
    let event: Json;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      event = parsed as Json;
    } catch {
      this.sendError(
        'invalid_json',
        "We could not parse the JSON body of your request. Expected a JSON object with a 'type' field.",
      );
      return;
    }
    this.deps.record(event);
    const eventId = typeof event.event_id === 'string' ? event.event_id : null;
    switch (event.type) {
      case 'session.update':
        this.onSessionUpdate(event, eventId);
        return;
      case 'input_audio_buffer.append':
        this.onAppend(event, eventId);
        return;
      case 'input_audio_buffer.commit':
        this.onCommit(eventId);
        return;
      case 'input_audio_buffer.clear':
        this.bufferBytes = 0;
        this.vad.reset();
        this.pendingUserItem = undefined;
        this.send({ type: 'input_audio_buffer.cleared' });
        return;
      case 'conversation.item.create':
        this.onItemCreate(event, eventId);
        return;
      case 'conversation.item.retrieve':
        this.withItem(event, eventId, 'item_retrieve_invalid_item_id', (item) =>
          this.send({ type: 'conversation.item.retrieved', item: renderItem(this.deps.protocol, item) }),
        );
        return;
      case 'conversation.item.delete':
        this.withItem(event, eventId, 'item_delete_invalid_item_id', (item) => {
          this.items.splice(this.items.indexOf(item), 1);
          this.send({ type: 'conversation.item.deleted', item_id: item.id });
        });
        return;
      case 'conversation.item.truncate':
        this.onTruncate(event, eventId);
        return;
      case 'response.create':
        this.onResponseCreate(event, eventId);
        return;
      case 'response.cancel':
        this.onResponseCancel(event, eventId);
        return;
      case 'output_audio_buffer.clear':
        this.sendError('invalid_value', 'output_audio_buffer.clear is only supported for WebRTC and SIP connections.', {
          eventId,
          param: 'type',
        });
        return;
      default:
        this.sendError(
          'invalid_value',
          `Invalid value: '${String(event.type)}'. Supported values are client events of the Realtime API.`,
          {
            eventId,
            param: 'type',
          },
        );
        return;
    }
  }

  private onSessionUpdate(event: Json, eventId: string | null): void {
    const protocol = this.deps.protocol;
    const result =
      protocol === 'ga'
        ? validateParameters(gaSessionSchema, event.session, 'session')
        : validateParameters(betaSessionSchema, event.session, 'session');
    if (!result.ok) {
      this.sendError(result.error.code, result.error.message, { eventId, param: result.error.param });
      return;
    }
    if (this.assistantAudioSent && voiceChange(this.session, protocol, result.value)) {
      this.sendError('cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present.", {
        eventId,
        param: protocol === 'ga' ? 'session.audio.output.voice' : 'session.voice',
      });
      return;
    }
    if (protocol === 'ga') applyGaUpdate(this.session, result.value as never);
    else applyBetaUpdate(this.session, result.value as never);
    this.vad.configure(this.vadSettings(), sampleRateOf(this.session.inputFormat));
    this.send({ type: 'session.updated', session: renderSession(protocol, this.session) });
  }

  private onAppend(event: Json, eventId: string | null): void {
    const bytes = decodeBase64Audio(event.audio);
    if (!bytes) {
      this.sendError(
        'invalid_value',
        "Invalid 'audio'. Expected base64-encoded audio bytes (mono PCM16 at 24kHz) but got a value that is not valid base64.",
        {
          eventId,
          param: 'audio',
        },
      );
      return;
    }
    this.bufferBytes += bytes.byteLength;
    if (!this.session.turnDetection) return;
    for (const vadEvent of this.vad.push(decodeToPcm16(this.session.inputFormat, bytes))) this.onVad(vadEvent);
  }

  private onVad(event: VadEvent): void {
    const td = this.session.turnDetection;
    if (!td) return;
    if (event.type === 'start') {
      this.clearIdleTimer();
      this.pendingUserItem = newId('item');
      this.send({
        type: 'input_audio_buffer.speech_started',
        audio_start_ms: event.audioStartMs,
        item_id: this.pendingUserItem,
      });
      if (this.active && td.interrupt_response) this.cancel(this.active, 'turn_detected');
      return;
    }
    const itemId = this.pendingUserItem ?? newId('item');
    this.pendingUserItem = undefined;
    this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: event.audioEndMs, item_id: itemId });
    this.commit(itemId);
    if (!td.create_response) return;
    // A turn that ends while a response is still winding down is answered right after it.
    if (this.active) this.replyAfterActive = true;
    else this.startResponse({});
  }

  private onCommit(eventId: string | null): void {
    const ms = this.bufferBytes / bytesPerMs(this.session.inputFormat);
    if (ms < MIN_COMMIT_MS) {
      this.sendError(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
        { eventId },
      );
      return;
    }
    this.commit(newId('item'));
  }

  /** The buffer becomes a user audio item (§7.2 steps 3–5), transcribed asynchronously. */
  private commit(itemId: string): void {
    const audioMs = this.bufferBytes / bytesPerMs(this.session.inputFormat);
    this.bufferBytes = 0;
    const previous = this.lastItemId();
    this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: previous });
    const item: Item = {
      id: itemId,
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null }],
      audioBytes: 0,
    };
    this.items.push(item);
    this.announceItem(item, previous, true);
    const transcription = this.session.transcription;
    if (!transcription) return;
    const transcript = userTranscriptFor(this.deps.script(), itemId, audioMs);
    this.soon(() => {
      for (const delta of words(transcript)) {
        this.send({
          type: 'conversation.item.input_audio_transcription.delta',
          item_id: itemId,
          content_index: 0,
          delta,
        });
      }
      item.content = [{ type: 'input_audio', transcript }];
      this.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: { type: 'duration', seconds: Math.round(audioMs) / 1000 },
      });
    });
  }

  private onItemCreate(event: Json, eventId: string | null): void {
    const previousId = event.previous_item_id;
    if (typeof previousId === 'string' && previousId !== 'root' && !this.items.some((i) => i.id === previousId)) {
      this.sendError('invalid_value', `Item with id '${previousId}' not found in conversation.`, {
        eventId,
        param: 'previous_item_id',
      });
      return;
    }
    const parsed = clientItem(event.item, this.deps.protocol, this.items);
    if ('problem' in parsed) {
      this.sendError(parsed.problem.code, parsed.problem.message, { eventId, param: parsed.problem.param });
      return;
    }
    const item = parsed.item;
    let previous: string | null;
    if (previousId === 'root') {
      this.items.unshift(item);
      previous = null;
    } else if (typeof previousId === 'string') {
      const index = this.items.findIndex((i) => i.id === previousId);
      this.items.splice(index + 1, 0, item);
      previous = previousId;
    } else {
      previous = this.lastItemId();
      this.items.push(item);
    }
    this.announceItem(item, previous, true);
  }

  private withItem(event: Json, eventId: string | null, code: string, fn: (item: Item) => void): void {
    const item = this.items.find((i) => i.id === event.item_id);
    if (!item) {
      this.sendError(code, `Item with item_id not found: ${String(event.item_id)}`, { eventId, param: 'item_id' });
      return;
    }
    fn(item);
  }

  private onTruncate(event: Json, eventId: string | null): void {
    const end = event.audio_end_ms;
    if (typeof end !== 'number' || !Number.isInteger(end)) {
      this.sendError('invalid_type', "Invalid type for 'audio_end_ms': expected an integer.", {
        eventId,
        param: 'audio_end_ms',
      });
      return;
    }
    if (end < 0) {
      this.sendError(
        'integer_below_min_value',
        "Invalid 'audio_end_ms': integer below minimum value. Expected a value >= 0.",
        { eventId, param: 'audio_end_ms' },
      );
      return;
    }
    this.withItem(event, eventId, 'item_truncate_invalid_item_id', (item) => {
      if (item.role !== 'assistant' || item.audioBytes === 0) {
        return this.sendError('unsupported_content_type', 'Only model output audio messages can be truncated', {
          eventId,
          param: 'item_id',
        });
      }
      const sentMs = Math.floor(item.audioBytes / bytesPerMs(this.session.outputFormat));
      if (end > sentMs) {
        return this.sendError('invalid_value', `Audio content of ${sentMs}ms is already shorter than ${end}ms`, {
          eventId,
          param: 'audio_end_ms',
        });
      }
      const part = item.content[0];
      if (part && typeof part.transcript === 'string') {
        const kept = words(part.transcript).slice(
          0,
          Math.floor((words(part.transcript).length * end) / Math.max(1, sentMs)),
        );
        item.content = [{ ...part, transcript: kept.join('') }];
      }
      this.send({
        type: 'conversation.item.truncated',
        item_id: item.id,
        content_index: Number(event.content_index ?? 0),
        audio_end_ms: end,
      });
    });
  }

  private onResponseCreate(event: Json, eventId: string | null): void {
    const response = (event.response ?? {}) as Json;
    const unknown = Object.keys(response).find((k) => !RESPONSE_KEYS[this.deps.protocol].includes(k));
    if (unknown) {
      const param = paramName('response', [unknown]);
      this.sendError('unknown_parameter', `Unknown parameter: '${param}'.`, { eventId, param });
      return;
    }
    if (this.active) {
      this.sendError(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
        { eventId },
      );
      return;
    }
    this.startResponse(response);
  }

  private onResponseCancel(event: Json, eventId: string | null): void {
    const active = this.active;
    if (!active || active.cancelReason || (typeof event.response_id === 'string' && event.response_id !== active.id)) {
      this.sendError('response_cancel_not_active', 'Cancellation failed: no active response found', { eventId });
      return;
    }
    this.cancel(active, 'client_cancelled');
  }

  // ---- responses ----------------------------------------------------------------------------

  private startResponse(overrides: Json): void {
    this.clearIdleTimer();
    const run: ResponseRun = {
      id: newId('resp'),
      status: 'in_progress',
      statusDetails: null,
      output: [],
      outputTokens: 0,
    };
    this.active = run;
    this.send({ type: 'response.created', response: renderResponse(this.deps.protocol, this.session, run, null) });
    const fault = this.deps.faults.takeForResponse();
    const reply = this.chooseReply(overrides);
    void this.generate(run, reply, fault);
  }

  /** A forced `tool_choice` calls that function (unless answering its output); otherwise the script speaks. */
  private chooseReply(overrides: Json): MockReply {
    const tools = Array.isArray(overrides.tools) ? (overrides.tools as ToolState[]) : this.session.tools;
    const choice = (overrides.tool_choice as ToolChoice | undefined) ?? this.session.toolChoice;
    const last = this.items.at(-1);
    const answeringTool = last?.type === 'function_call_output';
    if (!answeringTool && tools.length > 0) {
      const forced =
        choice === 'required'
          ? tools[0]
          : typeof choice === 'object' && choice.type === 'function'
            ? tools.find((t) => t.name === choice.name)
            : undefined;
      if (forced)
        return { functionCall: { name: forced.name, arguments: argumentsFromSchema(forced.parameters ?? {}) } };
    }
    const reply = replyFor(this.deps.script(), {
      responseIndex: this.deps.nextResponseIndex(),
      lastItem: last ? { type: last.type, role: last.role, text: textOf(last) } : undefined,
    });
    if (reply.functionCall && reply.functionCall.arguments === undefined) {
      const tool = tools.find((t) => t.name === reply.functionCall?.name);
      return {
        ...reply,
        functionCall: { name: reply.functionCall.name, arguments: argumentsFromSchema(tool?.parameters ?? {}) },
      };
    }
    return reply;
  }

  private async generate(run: ResponseRun, reply: MockReply, fault: ResponseFault | undefined): Promise<void> {
    if (fault?.type === 'rate-limit') {
      run.status = 'failed';
      run.statusDetails = {
        type: 'failed',
        error: {
          type: 'rate_limit_exceeded',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached for requests. Please try again in 1s.',
        },
      };
      return this.finish(run);
    }
    const script = this.deps.script();
    const pacing = {
      firstAudioLatencyMs:
        (fault?.type === 'slow' ? fault.firstAudioLatencyMs : undefined) ?? script.firstAudioLatencyMs ?? 0,
      chunkIntervalMs: (fault?.type === 'slow' ? fault.chunkIntervalMs : undefined) ?? script.chunkIntervalMs ?? 0,
      chunkMs: script.chunkMs ?? 100,
    };
    const breakAfter =
      fault?.type === 'drop' || fault?.type === 'expire-session'
        ? { fault, chunks: fault.afterChunks ?? 2 }
        : undefined;
    let outputIndex = 0;
    if (reply.text !== undefined || reply.audio || !reply.functionCall) {
      const broke = await this.speak(run, reply, outputIndex++, pacing, breakAfter);
      if (broke || this.closed) return;
    }
    if (reply.functionCall && !run.cancelReason) {
      await this.pause(pacing.firstAudioLatencyMs);
      if (this.closed) return;
      this.callFunction(run, reply.functionCall.name, reply.functionCall.arguments, outputIndex);
    }
    this.finish(run);
  }

  /** An assistant message with audio (or text) content: §7.2 steps 7–15. Returns true when a fault ended the socket. */
  private async speak(
    run: ResponseRun,
    reply: MockReply,
    outputIndex: number,
    pacing: { firstAudioLatencyMs: number; chunkIntervalMs: number; chunkMs: number },
    breakAfter: { fault: ResponseFault; chunks: number } | undefined,
  ): Promise<boolean> {
    const audioMode = this.session.outputModalities.includes('audio');
    const text = reply.text ?? (reply.audio ? '' : 'Sure, I can help with that.');
    const item: Item = {
      id: newId('item'),
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
      audioBytes: 0,
    };
    const previous = this.addOutputItem(run, item, outputIndex);
    const ids = { response_id: run.id, item_id: item.id, output_index: outputIndex, content_index: 0 };
    this.send({
      type: 'response.content_part.added',
      ...ids,
      part: audioMode ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
    });
    const tokens = words(text);
    const format = this.session.outputFormat;
    const bytes = audioMode ? encodeFromPcm16(format, replyAudio(reply, sampleRateOf(format))) : new Uint8Array(0);
    const chunkBytes = Math.max(1, Math.round(pacing.chunkMs * bytesPerMs(format)));
    const chunks = audioMode ? Math.max(1, Math.ceil(bytes.byteLength / chunkBytes)) : tokens.length;
    let sentWords = 0;
    let said = '';
    await this.pause(pacing.firstAudioLatencyMs);
    for (let i = 0; i < chunks && !this.closed && !run.cancelReason; i++) {
      // Transcript deltas run ahead of the audio they describe (§7.2 step 10).
      const due = Math.min(tokens.length, Math.ceil(((i + 1) / chunks) * tokens.length));
      for (; sentWords < due; sentWords++) {
        said += tokens[sentWords];
        this.send({
          type: audioMode ? this.names.transcriptDelta : this.names.textDelta,
          ...ids,
          delta: tokens[sentWords],
        });
      }
      if (audioMode) {
        const chunk = bytes.subarray(i * chunkBytes, Math.min(bytes.byteLength, (i + 1) * chunkBytes));
        item.audioBytes += chunk.byteLength;
        run.outputTokens += Math.ceil(chunk.byteLength / bytesPerMs(format) / 50);
        this.assistantAudioSent = true;
        this.send({
          type: this.names.audioDelta,
          ...ids,
          delta: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64'),
        });
      }
      if (breakAfter && i + 1 >= breakAfter.chunks) {
        if (breakAfter.fault.type === 'drop') this.drop();
        else this.expire();
        return true;
      }
      if (i + 1 < chunks) await this.pause(pacing.chunkIntervalMs);
    }
    if (this.closed) return true;
    const finalText = run.cancelReason ? said : text;
    if (audioMode) {
      this.send({ type: this.names.audioDone, ...ids });
      this.send({ type: this.names.transcriptDone, ...ids, transcript: finalText });
      this.send({ type: 'response.content_part.done', ...ids, part: { type: 'audio', transcript: finalText } });
      item.content = [{ type: this.names.audioContent, transcript: finalText }];
    } else {
      this.send({ type: this.names.textDone, ...ids, text: finalText });
      this.send({ type: 'response.content_part.done', ...ids, part: { type: 'text', text: finalText } });
      item.content = [{ type: this.names.textContent, text: finalText }];
    }
    run.outputTokens += sentWords;
    item.status = run.cancelReason ? 'incomplete' : 'completed';
    this.finishOutputItem(run, item, outputIndex, previous);
    return false;
  }

  /** A function_call output item: §7.4 steps 3–8. */
  private callFunction(run: ResponseRun, name: string, args: unknown, outputIndex: number): void {
    const argumentsText = typeof args === 'string' ? args : JSON.stringify(args ?? {});
    const item: Item = {
      id: newId('item'),
      type: 'function_call',
      status: 'in_progress',
      content: [],
      call_id: newId('call'),
      name,
      arguments: '',
      audioBytes: 0,
    };
    const previous = this.addOutputItem(run, item, outputIndex);
    const ids = { response_id: run.id, item_id: item.id, output_index: outputIndex, call_id: item.call_id };
    for (let i = 0; i < argumentsText.length; i += 16) {
      this.send({ type: 'response.function_call_arguments.delta', ...ids, delta: argumentsText.slice(i, i + 16) });
    }
    item.arguments = argumentsText;
    item.status = 'completed';
    run.outputTokens += Math.ceil(argumentsText.length / 4);
    this.send({ type: 'response.function_call_arguments.done', ...ids, name, arguments: argumentsText });
    this.finishOutputItem(run, item, outputIndex, previous);
  }

  private cancel(run: ResponseRun, reason: 'turn_detected' | 'client_cancelled'): void {
    run.cancelReason = reason;
  }

  /** `response.done` then `rate_limits.updated` (§7.2 steps 16–17). */
  private finish(run: ResponseRun): void {
    if (this.closed || this.active !== run) return;
    this.active = undefined;
    if (run.cancelReason) {
      run.status = 'cancelled';
      run.statusDetails = { type: 'cancelled', reason: run.cancelReason };
    } else if (run.status === 'in_progress') run.status = 'completed';
    const inputTokens = 20 * this.items.length;
    const usage =
      run.status === 'failed'
        ? { total_tokens: 0, input_tokens: 0, output_tokens: 0 }
        : {
            total_tokens: inputTokens + run.outputTokens,
            input_tokens: inputTokens,
            output_tokens: run.outputTokens,
            input_token_details: { text_tokens: inputTokens, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
            output_token_details: { text_tokens: 0, audio_tokens: run.outputTokens },
          };
    this.send({ type: 'response.done', response: renderResponse(this.deps.protocol, this.session, run, usage) });
    const rateLimited = run.status === 'failed';
    this.send({
      type: 'rate_limits.updated',
      rate_limits: [
        { name: 'requests', limit: 5000, remaining: rateLimited ? 0 : 4999, reset_seconds: rateLimited ? 1 : 0.012 },
        { name: 'tokens', limit: 40000, remaining: Math.max(0, 40000 - usage.total_tokens), reset_seconds: 0.2 },
      ],
    });
    if (this.replyAfterActive) {
      this.replyAfterActive = false;
      this.startResponse({});
      return;
    }
    this.armIdleTimer(run);
  }

  /**
   * GA `idle_timeout_ms`: once the reply has finished playing (response.done plus its audio
   * length), silence that lasts the timeout makes the server commit and answer by itself.
   */
  private armIdleTimer(run: ResponseRun): void {
    const td = this.session.turnDetection;
    if (td?.type !== 'server_vad' || td.idle_timeout_ms === null || this.deps.protocol !== 'ga') return;
    const playbackMs = run.output.reduce((ms, item) => ms + item.audioBytes / bytesPerMs(this.session.outputFormat), 0);
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closed || this.active || this.pendingUserItem) return;
      const itemId = newId('item');
      const at = this.vad.positionMs;
      this.send({
        type: 'input_audio_buffer.timeout_triggered',
        audio_start_ms: at,
        audio_end_ms: at,
        item_id: itemId,
      });
      this.commit(itemId);
      this.startResponse({});
    }, playbackMs + td.idle_timeout_ms);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  // ---- rendering ----------------------------------------------------------------------------

  /** GA: `conversation.item.added` (+ `.done` when complete); beta: `conversation.item.created`. */
  /** A finished item of a response: `response.output_item.done`, and in GA `conversation.item.done`. */
  private finishOutputItem(run: ResponseRun, item: Item, outputIndex: number, previous: string | null): void {
    const rendered = renderItem(this.deps.protocol, item);
    this.send({ type: 'response.output_item.done', response_id: run.id, output_index: outputIndex, item: rendered });
    if (this.deps.protocol === 'ga') {
      this.send({ type: 'conversation.item.done', previous_item_id: previous, item: rendered });
    }
  }

  /** A new item of a response: into the output and the conversation, then announced; returns the item before it. */
  private addOutputItem(run: ResponseRun, item: Item, outputIndex: number): string | null {
    const previous = this.lastItemId();
    run.output.push(item);
    this.items.push(item);
    this.send({
      type: 'response.output_item.added',
      response_id: run.id,
      output_index: outputIndex,
      item: renderItem(this.deps.protocol, item),
    });
    this.announceItem(item, previous, false);
    return previous;
  }

  private announceItem(item: Item, previous: string | null, complete: boolean): void {
    if (this.deps.protocol === 'beta') {
      this.send({
        type: 'conversation.item.created',
        previous_item_id: previous,
        item: renderItem(this.deps.protocol, item),
      });
      return;
    }
    this.send({
      type: 'conversation.item.added',
      previous_item_id: previous,
      item: renderItem(this.deps.protocol, item),
    });
    if (complete)
      this.send({
        type: 'conversation.item.done',
        previous_item_id: previous,
        item: renderItem(this.deps.protocol, item),
      });
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private vadSettings(): VadSettings {
    const td = this.session.turnDetection;
    if (td?.type === 'server_vad')
      return {
        threshold: td.threshold,
        prefixPaddingMs: td.prefix_padding_ms,
        silenceDurationMs: td.silence_duration_ms,
      };
    const silence = td?.eagerness === 'high' ? 250 : td?.eagerness === 'low' ? 800 : 500;
    return { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: silence };
  }

  private lastItemId(): string | null {
    return this.items.at(-1)?.id ?? null;
  }

  private send(event: Json): void {
    if (this.closed) return;
    this.socket.send(JSON.stringify({ event_id: newId('event'), ...event }));
  }

  private sendError(
    code: string | null,
    message: string,
    options: { eventId?: string | null; param?: string; type?: string } = {},
  ): void {
    this.send({
      type: 'error',
      error: {
        type: options.type ?? 'invalid_request_error',
        code,
        message,
        param: options.param ?? null,
        event_id: options.eventId ?? null,
      },
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ms > 0) this.later(ms, resolve);
      else this.soon(resolve);
    });
  }

  private later(ms: number, fn: () => void): void {
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, ms);
    this.timers.add(handle);
  }

  private soon(fn: () => void): void {
    const handle = setImmediate(() => {
      this.immediates.delete(handle);
      fn();
    });
    this.immediates.add(handle);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    for (const t of this.timers) clearTimeout(t);
    for (const i of this.immediates) clearImmediate(i);
    this.timers.clear();
    this.immediates.clear();
    this.deps.onClosed();
  }
}
