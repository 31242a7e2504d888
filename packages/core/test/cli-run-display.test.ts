import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { BusEvent } from '../src/bus.js';
import { RunDisplay } from '../src/cli/run-display.js';

function sink(columns = 200) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { columns: number };
  stream.columns = columns;
  return { stream, text: () => text };
}

const progress = (value: number): BusEvent => ({
  type: 'metric',
  time: 0,
  node: 'mic',
  name: 'source.progress',
  value,
  attributes: { path: 'in.wav' },
});

describe('beluga run display', () => {
  test('on a TTY, one status line with a progress bar and live metrics is redrawn in place', () => {
    const out = sink();
    const display = new RunDisplay(out.stream, true);
    display.onEvent(progress(0.5));
    display.onEvent({
      type: 'metric',
      time: 0,
      name: 'queue.depth',
      value: 3,
      unit: 'frames',
      attributes: { link: 'a->b' },
    });
    display.onEvent({
      type: 'metric',
      time: 0,
      name: 'queue.drops',
      value: 2,
      unit: 'frames',
      attributes: { link: 'a->b' },
    });
    display.onEvent({
      type: 'metric',
      time: 0,
      node: 'agent',
      name: 'provider.time_to_first_audio',
      value: 412.4,
      unit: 'ms',
    });
    display.draw();
    display.onEvent({ type: 'warning', time: 0, node: 'out', message: 'slow disk' });
    display.finish();
    expect(out.text()).toBe(
      '\r\x1b[2Kin.wav [############------------] 50%  |  queue max 3  drops 2  agent.provider.time_to_first_audio 412 ms' +
        '\r\x1b[2Kwarning [out]: slow disk\n' +
        '\r\x1b[2Kin.wav [############------------] 50%  |  queue max 3  drops 2  agent.provider.time_to_first_audio 412 ms' +
        '\r\x1b[2Kmetrics: queue max 3  drops 2  agent.provider.time_to_first_audio 412 ms\n',
    );
  });

  test('the status line is cut to the terminal width', () => {
    const out = sink(30);
    const display = new RunDisplay(out.stream, true);
    display.onEvent(progress(1));
    display.draw();
    expect(out.text()).toBe('\r\x1b[2Kin.wav [####################…');
  });

  test('off a TTY, progress is printed every 10 % and nothing is redrawn', () => {
    const out = sink();
    const display = new RunDisplay(out.stream, false);
    for (const value of [0.01, 0.05, 0.12, 0.19, 0.5, 1]) display.onEvent(progress(value));
    display.draw();
    display.onEvent({ type: 'error', time: 0, node: 'mic', message: 'read failed', fatal: true });
    display.onEvent({ type: 'log', time: 0, node: 'mic', level: 'info', message: 'hidden unless verbose' });
    display.finish();
    expect(out.text()).toBe('in.wav: 0%\nin.wav: 10%\nin.wav: 50%\nin.wav: 100%\nerror [mic]: read failed\n');
    expect(display.fatalErrors.has('read failed')).toBe(true);
  });
});
