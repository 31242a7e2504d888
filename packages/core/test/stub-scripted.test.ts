import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConversationContext,
  type Frame,
  providerScripted,
  type S2SEvent,
  ScriptedProvider,
  type ScriptTurn,
} from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'beluga-scripted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeWav(name: string, samples: Int16Array, sampleRate = 24_000, channels = 1): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  writeFileSync(
    join(dir, name),
    Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]),
  );
}

const ramp = Int16Array.from({ length: 960 }, (_, i) => i * 10);
writeWav('hello.wav', ramp);
writeWav('hello-16k.wav', ramp, 16_000);
writeWav('hello-stereo.wav', ramp, 24_000, 2);
writeFileSync(
  join(dir, 'order.yaml'),
  `# a two-step turn with a tool call, then a plain reply
- reply:
    - say: Let me check.
      audio: ./hello.wav
      toolCall: { name: lookup_order, arguments: { order: A-1 } }
    - say: It has shipped.
      tone: { freqHz: 440, ms: 60 }
- reply:
    - say: Bye.
`,
);

async function open(
  source: { script: ScriptTurn[] } | { scriptFile: string },
  loop = false,
  context: ConversationContext = {},
) {
  const scheduler = new TestScheduler(() => {});
  scheduler.maxFrames = 60_000;
  const provider = await ScriptedProvider.load(source, { baseDir: dir, latencyMs: 100, scheduler, loop });
  const session = await provider.startSession(context);
  const timeline: string[] = [];
  const events: S2SEvent[] = [];
  session.events$.subscribe((event) => {
    events.push(event);
    timeline.push(`${scheduler.now()} ${describeEvent(event)}`);
  });
  return { scheduler, session, timeline, events };
}

function describeEvent(e: S2SEvent): string {
  switch (e.type) {
    case 'audio':
      return `audio ${e.frame.samples.length}`;
    case 'transcript':
      return `transcript ${e.role} "${e.text}"`;
    case 'tool-call':
      return `tool-call ${e.id} ${e.name} ${e.arguments}`;
    case 'response-done':
      return `response-done ${e.responseId} ${e.status}`;
    case 'response-start':
      return `response-start ${e.responseId}`;
    case 'error':
      return `error ${e.error.code} ${e.error.fatal ? 'fatal' : 'non-fatal'} "${e.error.message}"`;
    default:
      return e.type;
  }
}

const say = (text: string): ScriptTurn => ({ reply: [{ say: text }] });

describe('provider.scripted session', () => {
  it('plays a YAML script: audio from a WAV, a tool call that waits for its result, then the rest', async () => {
    const { scheduler, session, timeline } = await open({ scriptFile: 'order.yaml' });
    session.sendText('where is my order?');
    scheduler.schedule(() => session.sendToolResult({ id: 'scripted-1-call-1', output: '{"status":"shipped"}' }), 1000);
    scheduler.schedule(() => session.sendText('thanks'), 2000);
    scheduler.flush();
    expect(timeline).toEqual([
      '0 session-started',
      '0 transcript user "where is my order?"',
      '100 response-start scripted-1-response-1',
      '100 transcript assistant "Let me check."',
      '100 audio 480',
      '120 audio 480',
      '140 tool-call scripted-1-call-1 lookup_order {"order":"A-1"}',
      '140 response-done scripted-1-response-1 completed',
      '1100 response-start scripted-1-response-2',
      '1100 transcript assistant "It has shipped."',
      '1100 audio 480',
      '1120 audio 480',
      '1140 audio 480',
      '1160 response-done scripted-1-response-2 completed',
      '2000 transcript user "thanks"',
      '2100 response-start scripted-1-response-3',
      '2100 transcript assistant "Bye."',
      '2100 response-done scripted-1-response-3 completed',
    ]);
  });

  it('plays the WAV samples unchanged', async () => {
    const { scheduler, session, events } = await open({ scriptFile: 'order.yaml' });
    session.sendText('hi');
    scheduler.flush();
    const audio = events.flatMap((e) => (e.type === 'audio' ? [...(e.frame.samples as Int16Array)] : []));
    expect(audio).toEqual([...ramp]);
  });

  it('starts a turn at the end of user speech, from its own detector or a speech-stop', async () => {
    const { scheduler, session, timeline } = await open({ script: [say('one'), say('two')] });
    const format = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 } as const;
    const loud = Int16Array.from({ length: 480 }, (_, i) => (i % 20 < 10 ? 8000 : -8000));
    for (let i = 0; i < 100; i++) {
      const samples = i >= 10 && i < 40 ? loud : new Int16Array(480);
      session.sendAudio({ kind: 'audio', timestamp: i * 20, format, samples });
    }
    scheduler.schedule(() => session.speechStopped(3000), 500);
    scheduler.flush();
    expect(timeline.filter((t) => !t.includes('response-'))).toEqual([
      '0 session-started',
      '0 speech-start',
      '0 speech-stop',
      '100 transcript assistant "one"',
      '600 transcript assistant "two"',
    ]);
  });

  it('reports a non-fatal error on cue and goes on', async () => {
    const { scheduler, session, timeline } = await open({
      script: [
        {
          reply: [{ error: { message: 'rate limited, retrying', code: 'rate-limit' } }, { say: 'Sorry for the wait.' }],
        },
      ],
    });
    session.sendText('hi');
    scheduler.flush();
    expect(timeline.slice(2)).toEqual([
      '100 response-start scripted-1-response-1',
      '100 error rate-limit non-fatal "rate limited, retrying"',
      '100 transcript assistant "Sorry for the wait."',
      '100 response-done scripted-1-response-1 completed',
    ]);
  });

  it('ends the session on a fatal error on cue; later calls fail with "closed"', async () => {
    const { scheduler, session, timeline } = await open({
      script: [
        {
          reply: [
            { say: 'Hmm.' },
            { error: { message: 'session expired', code: 'session-expired', fatal: true } },
            { say: 'never said' },
          ],
        },
      ],
    });
    session.sendText('hi');
    scheduler.flush();
    expect(timeline.slice(2)).toEqual([
      '100 response-start scripted-1-response-1',
      '100 transcript assistant "Hmm."',
      '100 error session-expired fatal "session expired"',
      '100 response-done scripted-1-response-1 failed',
      '100 closed',
    ]);
    expect(() => session.sendText('again')).toThrow('scripted session scripted-1 is closed: sendText() after close()');
  });

  it('gives no reply once the script is over, unless it loops', async () => {
    const once = await open({ script: [say('only')] });
    const looped = await open({ script: [say('a'), say('b')] }, true);
    for (const { session, scheduler } of [once, looped]) {
      for (let i = 0; i < 3; i++) scheduler.schedule(() => session.sendText(`turn ${i}`), i * 1000);
      scheduler.flush();
    }
    const said = (t: string[]) => t.filter((l) => l.includes('assistant')).map((l) => l.split('"')[1]);
    expect(said(once.timeline)).toEqual(['only']);
    expect(said(looped.timeline)).toEqual(['a', 'b', 'a']);
  });

  it('reports a scripted call to a tool the session does not offer, and still makes it', async () => {
    const weather = { name: 'weather', description: 'Weather', parameters: { type: 'object' } };
    const { scheduler, session, timeline } = await open({ scriptFile: 'order.yaml' }, false, { tools: [weather] });
    session.sendText('hi');
    scheduler.flush();
    expect(timeline.slice(6, 8)).toEqual([
      '140 error invalid-request non-fatal "scripted session scripted-1: calls tool "lookup_order", which the session does not offer (offered: weather)"',
      '140 tool-call scripted-1-call-1 lookup_order {"order":"A-1"}',
    ]);
  });

  it('rejects a result for a call it never made, and a second result for the same call', async () => {
    const { scheduler, session } = await open({ scriptFile: 'order.yaml' });
    session.sendText('hi');
    scheduler.flush();
    expect(() => session.sendToolResult({ id: 'nope', output: '' })).toThrow(
      'scripted session scripted-1: sendToolResult for unknown tool call "nope" (no tool call with that id was made)',
    );
    session.sendToolResult({ id: 'scripted-1-call-1', output: '{}' });
    expect(() => session.sendToolResult({ id: 'scripted-1-call-1', output: '{}' })).toThrow(
      'scripted session scripted-1: tool call "scripted-1-call-1" already has a result',
    );
  });
});

describe('provider.scripted script loading', () => {
  const load = (source: { script: unknown[] } | { scriptFile: string }) =>
    ScriptedProvider.load(source as never, { baseDir: dir });

  it('names the missing script file', async () => {
    await expect(load({ scriptFile: 'missing.yaml' })).rejects.toThrow(
      `cannot read script ${join(dir, 'missing.yaml')}: no such file`,
    );
  });

  it('names the step and field of an invalid script', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify([{ reply: [{ say: 'ok' }, { tone: { freqHz: 'high', ms: 10 } }] }, { reply: [{}] }]),
    );
    await expect(load({ scriptFile: 'bad.json' })).rejects.toThrow(
      `${join(dir, 'bad.json')}: invalid script: turns[0].reply[1].tone.freqHz: Invalid input: expected number, received string; turns[1].reply[0]: a step needs at least one of say, tone, audio, toolCall, error`,
    );
  });

  it('accepts a file holding { script: [...] }', async () => {
    writeFileSync(join(dir, 'wrapped.json'), JSON.stringify({ script: [{ reply: [{ say: 'hi' }] }] }));
    await expect(load({ scriptFile: 'wrapped.json' })).resolves.toBeInstanceOf(ScriptedProvider);
  });

  it('rejects WAV audio that does not match the output format', async () => {
    await expect(load({ script: [{ reply: [{ audio: 'hello-16k.wav' }] }] })).rejects.toThrow(
      `turns[0].reply[0].audio: ${join(dir, 'hello-16k.wav')} is 16000 Hz but the provider outputs 24000 Hz (set sampleRate: 16000 or convert the file)`,
    );
    await expect(load({ script: [{ reply: [{ audio: 'hello-stereo.wav' }] }] })).rejects.toThrow(
      `turns[0].reply[0].audio: ${join(dir, 'hello-stereo.wav')} has 2 channels; scripted audio must be mono`,
    );
    await expect(load({ script: [{ reply: [{ audio: 'order.yaml' }] }] })).rejects.toThrow(
      `${join(dir, 'order.yaml')}: not a WAV file (no RIFF/WAVE header)`,
    );
  });
});

describe('provider.scripted node', () => {
  it('resolves scriptFile against the pipeline folder, round-trips the tool call and completes', async () => {
    const toolResults = new Subject<Frame>();
    const h = await runNode(providerScripted, {
      config: { scriptFile: 'order.yaml', latencyMs: 0, realtime: false },
      baseDir: dir,
      inputs: { audio: [{ kind: 'text', timestamp: 0, text: 'hi' }], toolResults },
      linkedOffers: {
        tools: [[{ name: 'lookup_order', description: 'order status', parameters: { type: 'object' } }]],
      },
    });
    const calls: Frame[] = [];
    h.outputs.toolCalls?.subscribe((call) => {
      calls.push(call);
      if (call.kind === 'tool-call')
        toolResults.next({ kind: 'tool-result', timestamp: 0, id: call.id, output: '{"status":"shipped"}' });
    });
    const transcripts: Frame[] = [];
    h.outputs.transcripts?.subscribe((t) => transcripts.push(t));
    const audio = await h.collect('audio');
    expect(audio.map((f) => (f.kind === 'audio' ? f.responseId : ''))).toEqual([
      'scripted-1-response-1',
      'scripted-1-response-1',
      'scripted-1-response-2',
      'scripted-1-response-2',
      'scripted-1-response-2',
    ]);
    expect(calls).toEqual([
      expect.objectContaining({ kind: 'tool-call', name: 'lookup_order', arguments: '{"order":"A-1"}' }),
    ]);
    expect(transcripts.map((t) => (t.kind === 'transcript' ? `${t.role}: ${t.text}` : ''))).toEqual([
      'user: hi',
      'assistant: Let me check.',
      'assistant: It has shipped.',
    ]);
    expect(h.events.filter((e) => e.type === 'warning' || e.type === 'error')).toEqual([]);
  });

  it('fails to start with a message naming the node and the file', async () => {
    await expect(runNode(providerScripted, { config: { scriptFile: 'nope.yaml' }, baseDir: dir })).rejects.toThrow(
      `provider.scripted "scripted": cannot read script ${join(dir, 'nope.yaml')}: no such file`,
    );
  });

  it('needs exactly one of script and scriptFile', async () => {
    await expect(runNode(providerScripted, { config: { script: [], scriptFile: 'x.yaml' } })).rejects.toThrow(
      'give exactly one of script or scriptFile',
    );
  });

  it('errors its outputs on a fatal scripted error, with the node in the message', async () => {
    const h = await runNode(providerScripted, {
      config: {
        script: [{ reply: [{ error: { message: 'server went away', code: 'server', fatal: true } }] }],
        latencyMs: 0,
      },
      inputs: { audio: [{ kind: 'text', timestamp: 0, text: 'hi' }] },
    });
    await expect(h.collect('audio')).rejects.toThrow('provider.scripted "scripted": server went away');
    expect(h.events).toContainEqual(
      expect.objectContaining({
        type: 'error',
        code: 'server',
        fatal: true,
        message: 'provider.scripted "scripted": server went away',
      }),
    );
  });
});
