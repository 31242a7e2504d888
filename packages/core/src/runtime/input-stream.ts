import { concatMap, defer, from, isObservable, Observable, type Subscriber } from 'rxjs';
import type { Frame } from '../frames.js';
import type { InputStream } from '../node.js';

/** Adapts a plain observable into an `InputStream` whose `process` runs one frame at a time. */
export function inputStreamOf<F extends Frame>(source: Observable<F>, linked = true): InputStream<F> {
  const stream = new Observable<F>((subscriber: Subscriber<F>) => source.subscribe(subscriber)) as Observable<F> & {
    linked: boolean;
    process: InputStream<F>['process'];
  };
  stream.linked = linked;
  stream.process = <R>(fn: (frame: F) => R | Promise<R> | Observable<R>) =>
    source.pipe(
      concatMap((frame) =>
        defer(() => {
          const result = fn(frame);
          return isObservable(result) ? result : from(Promise.resolve(result));
        }),
      ),
    );
  return stream;
}
