/** Why a pipeline's `done` rejected. */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';
  constructor(
    message: string,
    readonly node?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class PipelineAbortedError extends PipelineError {
  override readonly name = 'PipelineAbortedError';
  constructor(reason: string) {
    super(`pipeline aborted: ${reason}`);
  }
}

/**
 * A failure a node reported on the bus itself (an `error` event marked fatal), with its code: the
 * runtime reports it once, under the node's error policy, and not again when its outputs error.
 */
export class NodeReportedError extends Error {
  override readonly name = 'NodeReportedError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `{ code }` of an error that carries a string code (S2S errors, reported node errors), else nothing. */
export function errorCode(error: unknown): { code?: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? { code } : {};
}
