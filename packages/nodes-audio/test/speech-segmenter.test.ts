import { describe, expect, it } from 'vitest';
import { type SpeechEvent, SpeechSegmenter } from '../src/speech-segmenter.js';

/** Feeds 10 ms windows: 'S' above the start threshold, 'k' only above the keep threshold, '.' silence. */
function run(pattern: string, minSpeechMs: number, minSilenceMs: number): SpeechEvent[] {
  const s = new SpeechSegmenter({ minSpeechMs, minSilenceMs });
  const events: SpeechEvent[] = [];
  [...pattern].forEach((c, i) => {
    const e = s.push({ start: c === 'S', keep: c !== '.' }, i * 10, i * 10 + 10);
    if (e) events.push(e);
  });
  const last = s.end();
  if (last) events.push(last);
  return events;
}

describe('SpeechSegmenter', () => {
  it('starts above the upper threshold, continues above the lower one (hysteresis)', () => {
    expect(run('..kkSkkkk...', 0, 20)).toEqual([
      { kind: 'speech-start', timestamp: 40 },
      { kind: 'speech-stop', timestamp: 90 },
    ]);
  });

  it('reports the onset of speech, once it has lasted minSpeechMs', () => {
    expect(run('..SS.SSSS......', 30, 30)).toEqual([
      { kind: 'speech-start', timestamp: 50 },
      { kind: 'speech-stop', timestamp: 90 },
    ]);
  });

  it('reports the end of the last speech window, once minSilenceMs of silence has passed', () => {
    expect(run('SSS..SSS....', 0, 30)).toEqual([
      { kind: 'speech-start', timestamp: 0 },
      { kind: 'speech-stop', timestamp: 80 },
    ]);
  });

  it('closes open speech at the end of the stream', () => {
    expect(run('..SSSS.', 0, 100)).toEqual([
      { kind: 'speech-start', timestamp: 20 },
      { kind: 'speech-stop', timestamp: 60 },
    ]);
  });
});
