import type { ControlPlane, InputStream, ToolCallFrame, ToolResultFrame } from '@beluga-voice/core';
import { Observable } from 'rxjs';
import type { ToolExecutor } from './tool-executor.js';

/**
 * Runs up to `concurrency` calls at once. A call is taken from the link only when a slot is
 * free, so waiting calls stay in the link's bounded queue, not in the router. Results go out
 * as calls finish, each with its call's id; a call repeating an earlier id is not run again.
 */
export function routeCalls(
  calls: InputStream<ToolCallFrame>,
  executor: ToolExecutor,
  concurrency: number,
  control: ControlPlane,
): Observable<ToolResultFrame> {
  return new Observable<ToolResultFrame>((subscriber) => {
    const running = new Set<Promise<void>>();
    let wake: (() => void) | undefined;
    const start = (call: ToolCallFrame): Promise<void> | undefined => {
      if (!executor.admit(call)) return undefined;
      const done: Promise<void> = executor.run(call).then((result) => {
        running.delete(done);
        subscriber.next(result);
        const waiting = wake;
        wake = undefined;
        waiting?.();
      });
      running.add(done);
      return running.size < concurrency ? undefined : new Promise<void>((resolve) => (wake = resolve));
    };
    const interrupts = control.events$.subscribe((event) => {
      if (event.type === 'interrupt') executor.interrupt();
      if (event.type === 'cancel-tool-calls') executor.cancel(event.ids);
    });
    const intake = calls.process(start).subscribe({
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        Promise.all(running).then(() => subscriber.complete());
      },
    });
    return () => {
      intake.unsubscribe();
      interrupts.unsubscribe();
      executor.abortAll();
    };
  });
}
