import type { NodeContext } from '../node.js';
import type { ConversationContext, S2SProvider, S2SSession, ToolSpec } from './s2s.js';
import type { SessionReports } from './session-reports.js';
import type { SessionTrace } from './session-trace.js';

/**
 * Starts a provider node's session: its context with the tools the node offers, the node's abort
 * signal, logger and telemetry, and its `provider.session` span as the provider's trace parent.
 */
export function startProviderSession(
  provider: S2SProvider,
  context: ConversationContext,
  ctx: NodeContext,
  trace: SessionTrace,
  reports: SessionReports,
): Promise<S2SSession> {
  const tools = sessionTools(context.tools, ctx, provider, reports);
  const traceContext = trace.openSession();
  return provider.startSession(
    { ...context, tools },
    { signal: ctx.signal, logger: ctx.logger, tracer: ctx.tracer, meter: ctx.meter, traceContext },
  );
}

/**
 * The tools a provider node's session offers the model: the context's plus those offered by
 * linked nodes (a tool router), each name once (the first wins; a repeat is warned about). None
 * when the provider cannot call tools, with a warning naming how many were ignored.
 */
function sessionTools(
  contextTools: readonly ToolSpec[] | undefined,
  ctx: NodeContext,
  provider: S2SProvider,
  reports: SessionReports,
): readonly ToolSpec[] {
  const all = [...(contextTools ?? []), ...ctx.linkedOffers<readonly ToolSpec[]>('tools').flat()];
  const byName = new Map<string, ToolSpec>();
  for (const tool of all) {
    if (byName.has(tool.name)) {
      reports.warning('duplicate-tool', `tool "${tool.name}" is offered twice; using the first`);
    } else {
      byName.set(tool.name, tool);
    }
  }
  if (byName.size > 0 && !provider.capabilities.tools) {
    reports.warning(
      'tools-unsupported',
      `provider ${provider.name} does not call tools; ${byName.size} linked tool(s) ignored`,
    );
    return [];
  }
  return [...byName.values()];
}
