import type { Observable, Subscription } from 'rxjs';

/**
 * Pulls an observable with `for await`. The buffer between the push side and a slow consumer is
 * bounded: past `maxBuffered` values the iteration fails instead of growing without limit.
 */
export function iterateObservable<T>(source: Observable<T>, maxBuffered = 10_000): AsyncIterableIterator<T> {
  const buffered: T[] = [];
  let failure: { error: unknown } | undefined;
  let done = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let subscription: Subscription | undefined;
  subscription = source.subscribe({
    next: (value) => {
      if (failure) return;
      if (buffered.length >= maxBuffered) {
        failure = { error: new Error(`event iterator: consumer fell ${maxBuffered} events behind; read faster`) };
        subscription?.unsubscribe();
      } else {
        buffered.push(value);
      }
      notify();
    },
    error: (error) => {
      failure ??= { error };
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
  });
  if (failure) subscription.unsubscribe();

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (buffered.length > 0) return { value: buffered.shift() as T, done: false };
        if (failure) throw failure.error;
        if (done) return { value: undefined, done: true };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<T>> {
      done = true;
      buffered.length = 0;
      subscription?.unsubscribe();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
