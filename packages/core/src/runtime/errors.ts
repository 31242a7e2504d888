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
