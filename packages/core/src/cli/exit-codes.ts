/** Process exit codes of `beluga`, listed in `beluga --help`. */
export const EXIT = {
  /** The command did what it was asked; `run`: the pipeline ended (or drained after one Ctrl-C). */
  ok: 0,
  /** Invalid pipeline file or command line. */
  invalid: 1,
  /** The pipeline failed while running, or a command failed at run time. */
  failed: 2,
  /** A second Ctrl-C aborted the run without draining. */
  aborted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
