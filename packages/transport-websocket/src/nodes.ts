import type { AnyNodeSpec } from '@beluga-voice/core';
import { browserIn } from './browser-in.js';
import { browserOut } from './browser-out.js';
import { twilioIn } from './twilio-in.js';
import { twilioOut } from './twilio-out.js';

/** Every node type of @beluga-voice/transport-websocket, for discovery. */
export const nodes: readonly AnyNodeSpec[] = [browserIn, browserOut, twilioIn, twilioOut];
