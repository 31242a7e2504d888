import type { Conversation } from './conversation.js';
import type { MockScript } from './script.js';
import type { ServerEvents } from './server-events.js';
import type { MockProtocol, SessionState } from './session-state.js';
import type { ConnectionTimers } from './timers.js';

/** What the parts of one mock connection share. */
export interface ConnectionContext {
  readonly protocol: MockProtocol;
  /** The effective session; `session.update` changes it in place. */
  readonly session: SessionState;
  readonly events: ServerEvents;
  readonly conversation: Conversation;
  readonly timers: ConnectionTimers;
  readonly script: () => MockScript;
}
