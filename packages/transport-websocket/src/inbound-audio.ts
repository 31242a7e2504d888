import type { AudioFrame } from '@beluga-voice/core';
import { Observable, type Subscriber } from 'rxjs';

/**
 * Caller audio between the socket and the pipeline's source node. Audio that arrives before the
 * source subscribes (while the instance starts) is held, up to `holdMs`; beyond it the oldest is
 * dropped and counted.
 */
export class InboundAudio {
  private subscriber: Subscriber<AudioFrame> | undefined;
  private held: AudioFrame[] = [];
  private heldMs = 0;
  private ended = false;
  /** Frames dropped while no one listened. */
  dropped = 0;

  readonly audio$: Observable<AudioFrame>;

  constructor(private readonly holdMs = 2000) {
    this.audio$ = new Observable<AudioFrame>((subscriber) => {
      if (this.subscriber) {
        subscriber.error(new Error('caller audio has one reader: the transport source node'));
        return;
      }
      this.subscriber = subscriber;
      const held = this.held;
      this.held = [];
      this.heldMs = 0;
      for (const frame of held) subscriber.next(frame);
      if (this.ended) subscriber.complete();
      return () => {
        this.subscriber = undefined;
      };
    });
  }

  push(frame: AudioFrame, ms: number): void {
    if (this.ended) return;
    if (this.subscriber) {
      this.subscriber.next(frame);
      return;
    }
    this.held.push(frame);
    this.heldMs += ms;
    while (this.heldMs > this.holdMs && this.held.length > 1) {
      const oldest = this.held.shift() as AudioFrame;
      this.heldMs -= (oldest.samples.length / oldest.format.sampleRate) * 1000;
      this.dropped++;
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.subscriber?.complete();
  }
}
