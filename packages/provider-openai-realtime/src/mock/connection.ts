import type WebSocket from 'ws';
import { clientEventId, parseClientEvent } from './client-event.js';
import type { ConnectionContext } from './connection-context.js';
import { Conversation } from './conversation.js';
import type { VadEvent } from './energy-vad.js';
import {
  invalidJsonError,
  outputBufferClearError,
  sessionExpiredMessage,
  unknownEventTypeError,
} from './error-events.js';
import type { FaultQueue } from './faults.js';
import { IdleTimeout } from './idle-timeout.js';
import { newId } from './ids.js';
import { InputAudioBuffer } from './input-audio-buffer.js';
import { createItem, deleteItem, retrieveItem, truncateItem } from './item-operations.js';
import { type Json, NAMES } from './items.js';
import { ResponseRunner } from './response-runner.js';
import type { MockScript } from './script.js';
import { ServerEvents } from './server-events.js';
import { defaultSession, type MockProtocol, renderSession } from './session-state.js';
import { updateSession } from './session-update.js';
import { ConnectionTimers } from './timers.js';

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

/** One client socket speaking the Realtime protocol (GA or beta) against a scripted model. */
export class MockConnection {
  private readonly events: ServerEvents;
  private readonly timers = new ConnectionTimers();
  private readonly ctx: ConnectionContext;
  private readonly buffer: InputAudioBuffer;
  private readonly idle: IdleTimeout;
  private readonly responses: ResponseRunner;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.events = new ServerEvents(socket);
    const expiresAt = Math.floor((Date.now() + deps.sessionMaxMs) / 1000);
    const session = defaultSession(deps.protocol, newId('sess'), deps.model, expiresAt);
    this.ctx = {
      protocol: deps.protocol,
      session,
      events: this.events,
      conversation: new Conversation(deps.protocol, this.events),
      timers: this.timers,
      script: deps.script,
    };
    this.buffer = new InputAudioBuffer(this.ctx);
    this.idle = new IdleTimeout(
      this.ctx,
      this.buffer,
      () => this.responses.active !== undefined,
      () => this.responses.start({}),
    );
    this.responses = new ResponseRunner(this.ctx, this.idle, {
      faults: deps.faults,
      nextResponseIndex: deps.nextResponseIndex,
      breakSocket: (fault) => (fault.type === 'drop' ? this.drop() : this.expire()),
    });
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.events.send({ type: 'session.created', session: renderSession(deps.protocol, session) });
    this.timers.later(deps.sessionMaxMs, () => this.expire());
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
    if (this.events.closed) return;
    const message = sessionExpiredMessage(this.deps.sessionMaxMs);
    this.events.error('session_expired', message);
    this.closeWith(1001, message);
  }

  /** Non-JSON text, a wrongly typed field, an unknown event type. */
  sendMalformed(): void {
    if (this.events.closed) return;
    this.socket.send('{"type": "response.output_audio.delta", "delta": ');
    this.events.send({ type: NAMES[this.deps.protocol].audioDelta, response_id: 42, delta: null });
    this.events.send({ type: 'mock.unknown_event', detail: 'injected by the mock' });
  }

  closeWith(code: number, reason: string): void {
    if (this.events.closed) return;
    this.socket.close(code, reason.slice(0, 120));
    this.dispose();
  }

  private onMessage(text: string): void {
    if (this.events.closed) return;
    const event = parseClientEvent(text);
    if (!event) {
      this.events.send(invalidJsonError());
      return;
    }
    this.deps.record(event);
    const eventId = clientEventId(event);
    const ctx = this.ctx;
    switch (event.type) {
      case 'session.update':
        updateSession(ctx, this.buffer, event, eventId);
        return;
      case 'input_audio_buffer.append':
        for (const vadEvent of this.buffer.append(event, eventId)) this.onVad(vadEvent);
        return;
      case 'input_audio_buffer.commit':
        this.buffer.commitByClient(eventId);
        return;
      case 'input_audio_buffer.clear':
        this.buffer.clear();
        return;
      case 'conversation.item.create':
        createItem(ctx, event, eventId);
        return;
      case 'conversation.item.retrieve':
        retrieveItem(ctx, event, eventId);
        return;
      case 'conversation.item.delete':
        deleteItem(ctx, event, eventId);
        return;
      case 'conversation.item.truncate':
        truncateItem(ctx, event, eventId);
        return;
      case 'response.create':
        this.responses.create(event, eventId);
        return;
      case 'response.cancel':
        this.responses.cancel(event, eventId);
        return;
      case 'output_audio_buffer.clear':
        this.events.send(outputBufferClearError(eventId));
        return;
      default:
        this.events.send(unknownEventTypeError(event.type, eventId));
        return;
    }
  }

  /** Server VAD: speech interrupts the active response (if asked to); its end commits the turn and answers it. */
  private onVad(event: VadEvent): void {
    const td = this.ctx.session.turnDetection;
    if (!td) return;
    if (event.type === 'start') {
      this.idle.clear();
      this.buffer.speechStarted(event.audioStartMs);
      if (td.interrupt_response) this.responses.interrupt();
      return;
    }
    this.buffer.speechStopped(event.audioEndMs);
    if (td.create_response) this.responses.answerTurn();
  }

  private dispose(): void {
    if (this.events.closed) return;
    this.events.close();
    this.timers.clear();
    this.deps.onClosed();
  }
}
