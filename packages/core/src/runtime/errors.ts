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

/**
 * A node failure the node has already reported on the bus (with its code): the runtime applies the
 * node's error policy without reporting the failure a second time.
 */
export class ReportedNodeError extends Error {
  override readonly name = 'ReportedNodeError';
}

export class PipelineAbortedError extends PipelineError {
  override readonly name = 'PipelineAbortedError';
  constructor(reason: string) {
    super(`pipeline aborted: ${reason}`);
  }
}
