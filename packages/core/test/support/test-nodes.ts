import { type AudioFrame, defineNode, type Frame } from '@beluga-voice/core';
import { concat, delay, first, map, NEVER, Observable, of, type Subject, take, timer } from 'rxjs';
import { z } from 'zod';

export const FORMAT_16K = { encoding: 'pcm16', sampleRate: 16000, channels: 1 } as const;

/** A 10 ms pcm16 frame whose samples all hold `value`, so tests can tell frames apart. */
export function frame(value: number, timestamp = value * 10): AudioFrame {
  return { kind: 'audio', timestamp, format: FORMAT_16K, samples: new Int16Array(160).fill(value) };
}

export const frameValue = (f: Frame) => (f.kind === 'audio' ? (f.samples as Int16Array)[0] : -1);

/** Per-test probes, keyed by the `probe` config value. */
export const probes = new Map<string, Probe>();

export interface Probe {
  log: string[];
  received: Frame[];
  sink$?: Subject<string>;
  input$?: Observable<Frame>;
  teardowns: number;
  active: number;
}

export function probe(name: string): Probe {
  const p: Probe = { log: [], received: [], teardowns: 0, active: 0 };
  probes.set(name, p);
  return p;
}

const probeOf = (name: string) => probes.get(name) as Probe;

/** Emits `count` frames, one every `everyMs` on the scheduler, honouring demand (pausable). */
export const testSource = defineNode({
  type: 'test.source',
  summary: 'Pausable source of numbered 10 ms frames',
  demand: 'pauses',
  config: z.object({ probe: z.string(), count: z.number().default(8), everyMs: z.number().default(1) }).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio'], format: FORMAT_16K } },
  create(cfg, ctx) {
    const p = probeOf(cfg.probe);
    ctx.onClose(() => {
      p.log.push(`close ${ctx.id}`);
    });
    return () => ({
      audio: new Observable<AudioFrame>((subscriber) => {
        p.active++;
        let n = 0;
        let sub = timer(cfg.everyMs, ctx.scheduler).subscribe(function tick() {
          if (!ctx.demand.ready) {
            p.log.push(`pause@${ctx.now()}`);
            sub = ctx.demand.ready$.pipe(first(Boolean), delay(0, ctx.scheduler)).subscribe(() => {
              p.log.push(`resume@${ctx.now()}`);
              tick();
            });
            return;
          }
          n++;
          subscriber.next(frame(n));
          if (subscriber.closed) return;
          if (n >= cfg.count) subscriber.complete();
          else sub = timer(cfg.everyMs, ctx.scheduler).subscribe(tick);
        });
        return () => {
          p.active--;
          p.teardowns++;
          sub.unsubscribe();
        };
      }),
    });
  },
});

export const testPass = defineNode({
  type: 'test.pass',
  summary: 'Passes frames through',
  demand: 'passes',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], caps: { sampleRate: [16000] }, required: true } },
  outputs: { audio: { kinds: ['audio'], format: ({ inputs }) => inputs.audio } },
  create() {
    return ({ audio }) => ({ audio: audio.pipe(map((f) => f)) });
  },
});

/** Takes `busyMs` per frame (through `process`), logging deliveries and control events. */
export const testSink = defineNode({
  type: 'test.sink',
  summary: 'Slow recording sink',
  config: z.object({ probe: z.string(), busyMs: z.number().default(0) }).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: {},
  create(cfg, ctx) {
    const p = probeOf(cfg.probe);
    const controlSub = ctx.control.events$.subscribe((e) => {
      p.log.push(`control ${e.type}@${ctx.now()}`);
      if (e.type === 'interrupt') p.sink$?.next('X');
    });
    ctx.onClose(() => {
      controlSub.unsubscribe();
      p.log.push(`close ${ctx.id}`);
    });
    return ({ audio }) => {
      const work = audio.process((f) => {
        p.received.push(f);
        p.log.push(`deliver ${frameValue(f)}@${ctx.now()}`);
        p.sink$?.next(String.fromCharCode(96 + frameValue(f)));
        return cfg.busyMs > 0 ? timer(cfg.busyMs, ctx.scheduler).pipe(map(() => undefined)) : undefined;
      });
      const sub = work.subscribe({
        complete: () => {
          p.log.push(`complete@${ctx.now()}`);
          p.sink$?.complete();
        },
      });
      ctx.onClose(() => sub.unsubscribe());
      return {};
    };
  },
});

export const testFail = defineNode({
  type: 'test.fail',
  summary: 'Fails on the frame numbered `at`',
  config: z.object({ at: z.number() }).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: { audio: { kinds: ['audio'], format: ({ inputs }) => inputs.audio } },
  create(cfg) {
    return ({ audio }) => ({
      audio: audio.pipe(
        map((f) => {
          if (frameValue(f) === cfg.at) throw new Error(`boom on frame ${cfg.at}`);
          return f;
        }),
      ),
    });
  },
});

const tickerConfig = z.object({ probe: z.string(), count: z.number(), everyMs: z.number() }).strict();

/** Emits `count` numbered frames, one every `everyMs`, whatever the demand (like a provider or a live socket). */
function ticker<const T extends string>(type: T, demand: 'pauses' | undefined) {
  return defineNode({
    type,
    summary: 'Source of numbered 10 ms frames that ignores demand',
    ...(demand ? { demand } : {}),
    config: tickerConfig,
    inputs: {},
    outputs: { audio: { kinds: ['audio'], format: FORMAT_16K } },
    create(cfg, ctx) {
      return () => ({
        audio: timer(cfg.everyMs, cfg.everyMs, ctx.scheduler).pipe(
          take(cfg.count),
          map((i) => frame(i + 1)),
        ),
      });
    },
  });
}

export const testTicker = ticker('test.ticker', undefined);
/** Declares that it pauses, and does not: the runtime must still hold its queues bounded. */
export const testDeafSource = ticker('test.deaf-source', 'pauses');

export const testNodes = [testSource, testPass, testSink, testFail, testTicker, testDeafSource];

/** Says one text frame (a user's message), then stays open until the pipeline stops. */
export const testSay = defineNode({
  type: 'test.say-and-wait',
  summary: 'Emits one text frame and stays open until stopped',
  config: z.object({ text: z.string().default('hi') }).strict(),
  inputs: {},
  outputs: { out: { kinds: ['text'] } },
  create: (config) => () => ({
    out: concat(of<Frame & { kind: 'text' }>({ kind: 'text', timestamp: 0, text: config.text }), NEVER),
  }),
});
