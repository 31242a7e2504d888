import type { AudioFrame, Demand } from '@beluga-voice/core';
import { Observable, type SchedulerLike } from 'rxjs';
import type { AudioReader } from './audio-reader.js';

const FAST_YIELD_FRAMES = 50;

export type Pace = 'realtime' | 'fast';

export interface PumpOptions {
  readonly frameMs: number;
  /** `realtime` emits each frame when the scheduler's clock reaches its timestamp; `fast` as fast as demand allows. */
  readonly pace: Pace;
  readonly loop: boolean;
  readonly scheduler: SchedulerLike;
  /** Paused while not ready (the `block` queue policy). */
  readonly demand: Demand;
  /** Called with the fraction read (0..1) at every whole percent, when the input's length is known. */
  readonly progress?: (fraction: number) => void;
  /**
   * Receives, when a subscription ends, the promise that the reader is released (file closed, child
   * exited): the node's close waits for it, so `stop()` resolves only once nothing is left open.
   */
  readonly onRelease?: (released: Promise<void>) => void;
}

/**
 * Turns a reader into a stream of audio frames of `frameMs` (the last one may be shorter), timed
 * from the stream start. Subscribing opens the reader; unsubscribing closes it (see `onRelease`).
 */
export function pumpFrames(open: () => Promise<AudioReader>, options: PumpOptions): Observable<AudioFrame> {
  const { scheduler, demand } = options;
  return new Observable<AudioFrame>((subscriber) => {
    // A plain flag, checked after every await: an AbortSignal's getter cost showed per frame.
    let ended = false;
    // Opened once per subscription; whatever happens to the loop, teardown closes what this opened.
    const opening = open();
    let end = () => {};
    const stopped = new Promise<void>((resolve) => {
      end = resolve;
    });
    // The one sleep in progress, cut short on stop: no listener added and removed per frame.
    let sleeping: { timer: { unsubscribe(): void }; wake: () => void } | undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = scheduler.schedule(() => {
          sleeping = undefined;
          resolve();
        }, ms);
        sleeping = { timer, wake: resolve };
      });

    const run = async () => {
      const reader = await opening;
      if (ended) return;
      const { format } = reader;
      const frameSize = Math.max(1, Math.round((options.frameMs * format.sampleRate) / 1000));
      let emitted = 0;
      let clockStart = scheduler.now();
      let mediaStart = 0;
      let emptyPass = true;
      let sinceYield = 0;
      let percent = -1;
      const total = reader.totalFrames;
      while (!ended) {
        if (!demand.ready) {
          await Promise.race([demand.whenReady(), stopped]);
          if (ended) return;
          clockStart = scheduler.now();
          mediaStart = (emitted / format.sampleRate) * 1000;
        }
        const samples = await reader.read(frameSize);
        if (ended) return;
        if (!samples) {
          if (!options.loop || emptyPass) return;
          emptyPass = true;
          await reader.rewind();
          continue;
        }
        emptyPass = false;
        const timestamp = (emitted / format.sampleRate) * 1000;
        if (options.pace === 'realtime') {
          const wait = clockStart + timestamp - mediaStart - scheduler.now();
          if (wait > 0) await sleep(wait);
          if (ended) return;
        } else if (++sinceYield === FAST_YIELD_FRAMES) {
          // Reads that hit the read-ahead buffer settle as microtasks: let timers and I/O run too.
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
          if (ended) return;
        }
        subscriber.next({ kind: 'audio', timestamp, format, samples });
        emitted += samples.length / format.channels;
        if (total && options.progress && !options.loop) {
          const now = Math.floor((emitted / total) * 100);
          if (now > percent) {
            percent = now;
            options.progress(Math.min(1, now / 100));
          }
        }
      }
    };

    run().then(
      () => {
        if (!ended) subscriber.complete();
      },
      (error) => {
        if (!ended) subscriber.error(error);
      },
    );
    return () => {
      ended = true;
      sleeping?.timer.unsubscribe();
      sleeping?.wake();
      sleeping = undefined;
      end();
      const released = opening.then(
        (reader) => reader.close(),
        () => {},
      );
      if (options.onRelease) options.onRelease(released);
      else released.catch(() => {});
    };
  });
}
