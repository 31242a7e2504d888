import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { asapScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { formatTimeIn } from '../src/builtins/current-time.js';
import { toolRouterNode } from '../src/index.js';
import { problems, toolCall } from './support.js';

/** 2026-01-15T09:30:05Z and 2026-07-15T09:30:05Z: winter and summer time. */
const WINTER = Date.UTC(2026, 0, 15, 9, 30, 5);
const SUMMER = Date.UTC(2026, 6, 15, 9, 30, 5);

const clockAt = (epochMs: number): SchedulerLike => ({
  now: () => epochMs,
  schedule: asapScheduler.schedule.bind(asapScheduler) as SchedulerLike['schedule'],
});

async function run(calls: Frame[], scheduler?: SchedulerLike) {
  const harness = await runNode(toolRouterNode, {
    id: 'tools',
    config: { tools: ['calculator', 'current_time', 'end_session'] },
    inputs: { calls },
    scheduler,
  });
  const results = await harness.collect('results');
  return { harness, output: (id: string) => results.find((r) => r.kind === 'tool-result' && r.id === id) };
}

describe('current_time', () => {
  it.each([
    ['UTC', WINTER, 'Thursday 2026-01-15 09:30:05 in UTC (UTC+00:00)'],
    ['Europe/Paris', WINTER, 'Thursday 2026-01-15 10:30:05 in Europe/Paris (UTC+01:00)'],
    ['Europe/Paris', SUMMER, 'Wednesday 2026-07-15 11:30:05 in Europe/Paris (UTC+02:00)'],
    ['America/New_York', WINTER, 'Thursday 2026-01-15 04:30:05 in America/New_York (UTC-05:00)'],
    ['Asia/Kolkata', WINTER, 'Thursday 2026-01-15 15:00:05 in Asia/Kolkata (UTC+05:30)'],
    ['Pacific/Kiritimati', WINTER, 'Thursday 2026-01-15 23:30:05 in Pacific/Kiritimati (UTC+14:00)'],
  ])('formats the time in %s', (zone, at, expected) => {
    expect(formatTimeIn(at, zone)).toBe(expected);
  });

  it('reads the pipeline clock, defaults to UTC and refuses unknown zones', async () => {
    const { harness, output } = await run(
      [
        toolCall('t1', 'current_time', { timeZone: 'Asia/Tokyo' }),
        toolCall('t2', 'current_time', ''),
        toolCall('t3', 'current_time', { timeZone: 'Mars/Olympus_Mons' }),
      ],
      clockAt(WINTER),
    );
    expect(output('t1')).toMatchObject({ output: 'Thursday 2026-01-15 18:30:05 in Asia/Tokyo (UTC+09:00)' });
    expect(output('t2')).toMatchObject({ output: 'Thursday 2026-01-15 09:30:05 in UTC (UTC+00:00)' });
    expect(output('t3')).toMatchObject({
      output:
        'Error: invalid arguments for tool "current_time": timeZone: unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "Europe/Paris" or "America/New_York"',
      isError: true,
    });
    expect(problems(harness.events).map((p) => p.code)).toEqual(['tool-invalid-arguments']);
  });
});

describe('calculator tool', () => {
  it('answers with the number, and reports syntax errors with their position', async () => {
    const { harness, output } = await run([
      toolCall('c1', 'calculator', { expression: '(12.5 * 4) / sqrt(16) + 2^3' }),
      toolCall('c2', 'calculator', { expression: '0.1 + 0.2' }),
      toolCall('c3', 'calculator', { expression: '3 * (4 + ' }),
      toolCall('c4', 'calculator', { expression: '8 / (2 - 2)' }),
    ]);
    expect(output('c1')).toMatchObject({ output: '20.5' });
    expect(output('c2')).toMatchObject({ output: '0.3' });
    expect(output('c3')).toMatchObject({
      output: 'Error: tool "calculator" failed: syntax error at position 10: unexpected end of expression',
      isError: true,
    });
    expect(output('c4')).toMatchObject({
      output: 'Error: tool "calculator" failed: math error at position 3: division by zero',
      isError: true,
    });
    expect(problems(harness.events).map((p) => p.code)).toEqual(['tool-failed', 'tool-failed']);
  });
});

describe('end_session tool', () => {
  it('asks the pipeline to end after the current reply', async () => {
    const { harness, output } = await run([toolCall('e1', 'end_session', { reason: 'the user said goodbye' })]);
    expect(harness.control).toEqual([{ type: 'end-session', source: 'tools', reason: 'the user said goodbye' }]);
    expect(output('e1')).toMatchObject({ output: 'The session will end after this reply. Say goodbye now.' });
    expect(output('e1')).not.toHaveProperty('isError');
  });
});
