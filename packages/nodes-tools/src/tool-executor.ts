import type { Logger, NodeContext, ToolCallFrame, ToolResultFrame } from '@beluga-voice/core';
import { type Histogram, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Subscription } from 'rxjs';
import {
  type CallOutcome,
  cancelled,
  failed,
  invalidArguments,
  invalidJson,
  succeeded,
  timedOut,
  unknownTool,
} from './call-outcomes.js';
import { SeenCallIds } from './seen-call-ids.js';
import { shownName } from './shown-name.js';
import type { Tool, ToolContext } from './tool.js';

export interface ToolExecutorOptions {
  /** Time limit for tools that set none. */
  readonly defaultTimeoutMs: number;
  readonly sessionId: string;
}

interface RunningCall {
  readonly tool: Tool;
  readonly call: ToolCallFrame;
  /** Ends the call now with `outcome` and aborts the tool's signal with `reason`. */
  stop(outcome: CallOutcome, reason: Error): void;
}

/**
 * Runs tool calls: parses and validates the model's arguments, enforces the time limit,
 * honours interrupts, and records a span and a duration metric per call. `run` never
 * rejects: every failure is a result the model can read, plus an event on the bus.
 */
export class ToolExecutor {
  private readonly tools: ReadonlyMap<string, Tool>;
  private readonly running = new Set<RunningCall>();
  private readonly duration: Histogram;
  private readonly seen = new SeenCallIds();

  constructor(
    tools: readonly Tool[],
    private readonly ctx: NodeContext,
    private readonly options: ToolExecutorOptions,
  ) {
    this.tools = new Map(tools.map((tool) => [tool.name, tool]));
    this.duration = ctx.meter.createHistogram('tool.duration', { unit: 'ms', description: 'Tool call duration' });
  }

  /**
   * Takes a call unless its id was taken before: a repeated id is not run again and gets no second
   * result (the first one answers it), so a call's side effects happen once. Says so on the bus.
   */
  admit(call: ToolCallFrame): boolean {
    if (this.seen.add(call.id)) return true;
    this.ctx.emit({
      type: 'warning',
      code: 'tool-duplicate-call',
      message: `call ${shownName(call.id)} to "${shownName(call.name)}" repeats the id of an earlier call: not run again (the first call's result answers it)`,
    });
    return false;
  }

  async run(call: ToolCallFrame): Promise<ToolResultFrame> {
    const started = this.ctx.now();
    // A child of the response that made the call: one conversation is one trace.
    const parent = call.spanContext
      ? trace.setSpanContext(this.ctx.traceContext, call.spanContext)
      : this.ctx.traceContext;
    const span = this.ctx.tracer.startSpan(
      'tool.execute',
      { attributes: { 'tool.name': shownName(call.name), 'tool.call_id': shownName(call.id) } },
      parent,
    );
    const tool = this.tools.get(call.name);
    const outcome = tool ? await this.validateAndExecute(call, tool) : unknownTool(call, [...this.tools.keys()]);
    const durationMs = this.ctx.now() - started;
    this.record(span, call, tool, outcome, durationMs);
    return {
      kind: 'tool-result',
      timestamp: call.timestamp + durationMs,
      id: call.id,
      name: shownName(call.name),
      output: outcome.output,
      ...(outcome.status === 'ok' ? {} : { isError: true }),
      ...(outcome.status === 'cancelled' ? { cancelled: true } : {}),
    };
  }

  /** Barge-in: stops the in-flight calls of tools marked `cancelOnInterrupt`. */
  interrupt(): void {
    for (const running of [...this.running]) {
      if (running.tool.cancelOnInterrupt)
        running.stop(cancelled(running.call, 'interrupt'), new Error('interrupted by the user'));
    }
  }

  /** The provider withdrew these calls: they stop whatever their tool's `cancelOnInterrupt`. */
  cancel(ids: readonly string[]): void {
    for (const running of [...this.running]) {
      if (ids.includes(running.call.id))
        running.stop(cancelled(running.call, 'provider'), new Error('cancelled by the provider'));
    }
  }

  /** The pipeline closes: every in-flight call is aborted. */
  abortAll(): void {
    for (const running of [...this.running])
      running.stop(cancelled(running.call, 'close'), new Error('the pipeline closed'));
  }

  private async validateAndExecute(call: ToolCallFrame, tool: Tool): Promise<CallOutcome> {
    const text = call.arguments.trim();
    let raw: unknown;
    try {
      // Models send "" for tools without parameters.
      raw = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      return invalidJson(call, error);
    }
    try {
      const parsed = await tool.parameters.safeParseAsync(raw);
      if (!parsed.success) return invalidArguments(call, parsed.error.issues);
      return await this.execute(call, tool, parsed.data);
    } catch (error) {
      // A refinement in the tool's schema threw.
      return failed(call, error);
    }
  }

  private execute(call: ToolCallFrame, tool: Tool, args: unknown): Promise<CallOutcome> {
    const timeoutMs = tool.timeoutMs ?? this.options.defaultTimeoutMs;
    const abort = new AbortController();
    return new Promise<CallOutcome>((resolve) => {
      let timer: Subscription | undefined;
      const settle = (outcome: CallOutcome, abortReason?: Error) => {
        if (!this.running.delete(running)) return;
        timer?.unsubscribe();
        if (abortReason) abort.abort(abortReason);
        resolve(outcome);
      };
      const running: RunningCall = { tool, call, stop: settle };
      this.running.add(running);
      timer = this.ctx.scheduler.schedule(
        () => settle(timedOut(call, timeoutMs), new Error(`timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      Promise.resolve()
        .then(() => tool.execute(args, this.toolContext(call, tool, abort.signal)))
        .then(
          (value) => settle(succeeded(call, value)),
          (error: unknown) => settle(failed(call, error)),
        );
    });
  }

  private toolContext(call: ToolCallFrame, tool: Tool, signal: AbortSignal): ToolContext {
    return {
      signal,
      sessionId: this.options.sessionId,
      nodeId: this.ctx.id,
      callId: call.id,
      responseId: call.responseId,
      logger: taggedLogger(this.ctx.logger, { tool: tool.name, callId: shownName(call.id) }),
      control: this.ctx.control,
      now: () => this.ctx.now(),
    };
  }

  private record(span: Span, call: ToolCallFrame, tool: Tool | undefined, outcome: CallOutcome, durationMs: number) {
    span.setAttributes({ 'tool.duration_ms': durationMs, 'tool.status': outcome.status });
    if (tool?.recordArguments) span.setAttributes({ 'tool.arguments': call.arguments, 'tool.result': outcome.output });
    if (outcome.status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.status });
    span.end();
    // Unknown names share one label: a model inventing names must not grow the metric's series.
    const attributes = { tool: tool ? tool.name : '(unknown)', status: outcome.status };
    this.duration.record(durationMs, attributes);
    this.ctx.emit({ type: 'metric', name: 'tool.duration', value: durationMs, unit: 'ms', attributes });
    if (outcome.event) this.ctx.emit(outcome.event);
  }
}

function taggedLogger(logger: Logger, tags: Record<string, string>): Logger {
  const tagged =
    (level: keyof Logger) =>
    (message: string, data?: Record<string, unknown>): void =>
      logger[level](message, { ...tags, ...data });
  return { debug: tagged('debug'), info: tagged('info'), warn: tagged('warn'), error: tagged('error') };
}
