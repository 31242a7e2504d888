import type { NodeContext } from '@beluga-voice/core';
import { CALL_SERVICE, type CallConnection, type CallProtocol } from './call-connection.js';

/** The live call a transport node serves: lent by `beluga serve` to each pipeline instance. */
export function boundCall(ctx: NodeContext, protocol: CallProtocol): CallConnection {
  const call = ctx.services[CALL_SERVICE] as CallConnection | undefined;
  if (!call) {
    throw new Error(
      `${ctx.type} "${ctx.id}" serves live callers: run this pipeline with \`beluga serve\` (beluga run has no caller)`,
    );
  }
  if (call.protocol !== protocol) {
    throw new Error(
      `${ctx.type} "${ctx.id}" serves ${protocol} callers, but this connection is a ${call.protocol} call (use the transport.${call.protocol}-in/out nodes for it)`,
    );
  }
  return call;
}
