import { Observable, Subject, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { emitEach } from '../src/emit-each.js';

describe('emitEach (the VADs’ per-frame step)', () => {
  it('emits what each value yields at that value’s time, in order (marbles)', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const source = cold('a-b--c---|', { a: 1, b: 0, c: 2 });
      const out = source.pipe(emitEach((n: number) => Array.from({ length: n }, (_, i) => `${n}.${i}`)));
      expectObservable(out).toBe('x----(yz)|', { x: '1.0', y: '2.0', z: '2.1' });
    });
  });

  it('subscribes to nothing per value: one subscription to the source for the whole stream', () => {
    let subscriptions = 0;
    const values = new Subject<number>();
    const counted = new Observable<number>((subscriber) => {
      subscriptions++;
      return values.subscribe(subscriber);
    });
    const seen: number[] = [];
    counted.pipe(emitEach((n: number) => [n, n])).subscribe((v) => seen.push(v));
    for (let i = 0; i < 100; i++) values.next(i);
    expect(subscriptions).toBe(1);
    expect(seen.length).toBe(200);
  });

  it('turns a throwing step into the stream’s error', () => {
    const errors: unknown[] = [];
    const source = new Subject<number>();
    source
      .pipe(
        emitEach(() => {
          throw new Error('audio.vad-energy "vad": frame of 0 samples');
        }),
      )
      .subscribe({ error: (e) => errors.push((e as Error).message) });
    source.next(1);
    expect(errors).toEqual(['audio.vad-energy "vad": frame of 0 samples']);
  });

  it('stops handing out items once the subscriber has had enough', () => {
    const source = new Subject<number>();
    const seen: string[] = [];
    source
      .pipe(
        emitEach(() => ['a', 'b', 'c']),
        take(2),
      )
      .subscribe((v) => seen.push(v));
    source.next(1);
    source.next(2);
    expect(seen).toEqual(['a', 'b']);
    expect(source.observed).toBe(false);
  });
});
