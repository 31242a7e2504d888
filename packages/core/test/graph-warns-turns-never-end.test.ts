import { defineNode, defineProviderNode, GraphBuilder, providerFailover, Registry } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CAPS, FAKE_FORMAT, FakeProvider, FakeSession } from './provider-fake-session.js';

const mic = defineNode({
  type: 'test.mic',
  summary: 'audio only',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio'], format: FAKE_FORMAT } },
  create: () => () => ({}),
});

const vad = defineNode({
  type: 'test.vad',
  summary: 'takes audio, makes speech markers',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], format: FAKE_FORMAT } },
  create: () => () => ({}),
});

const pass = defineNode({
  type: 'test.pass',
  summary: 'passes audio and markers on, makes none',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], required: true } },
  outputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], format: FAKE_FORMAT } },
  create: () => () => ({}),
});

const typed = defineNode({
  type: 'test.typed',
  summary: 'typed text',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { text: { kinds: ['text'] } },
  create: () => () => ({}),
});

const agent = defineProviderNode({
  type: 'provider.turns',
  summary: 'a provider whose turn detection is a config switch',
  config: z.object({ serverVad: z.boolean().default(false) }).strict(),
  capabilities: (c) => ({ ...FAKE_CAPS, serverVad: c.serverVad }),
  createProvider: () => new FakeProvider(new FakeSession([])),
});

const registry = new Registry().registerAll([mic, vad, pass, typed, agent, providerFailover], 'test');
const graph = () => new GraphBuilder(registry, 'turns').node('mic', 'test.mic');

describe('graph warning: a provider whose turns can never end', () => {
  it('warns when the provider leaves turns to the graph and only audio reaches it, naming the node and the fix', () => {
    const built = graph().node('agent', 'provider.turns').chain('mic', 'agent').build();
    expect(built.warnings).toEqual([
      {
        code: 'turns-never-end',
        message:
          'node "agent" (provider.turns) has its own turn detection off and no speech-stop reaches it: the caller\'s turns never end, so it never answers',
        fix: "put a VAD on its way in (audio.vad-energy or audio.vad-silero, e.g. mic -> vad -> agent), or turn the provider's turn detection on",
        path: ['nodes', 'agent'],
      },
    ]);
  });

  it('still warns when markers could only pass through a node that makes none', () => {
    const built = graph().node('up', 'test.pass').node('agent', 'provider.turns').chain('mic', 'up', 'agent').build();
    expect(built.warnings.map((w) => w.code)).toEqual(['turns-never-end']);
  });

  it('is quiet once a VAD makes the markers, directly or through a pass-through', () => {
    const direct = graph().node('vad', 'test.vad').node('agent', 'provider.turns').chain('mic', 'vad', 'agent');
    expect(direct.build().warnings).toEqual([]);
    const through = graph()
      .node('vad', 'test.vad')
      .node('up', 'test.pass')
      .node('agent', 'provider.turns')
      .chain('mic', 'vad', 'up', 'agent');
    expect(through.build().warnings).toEqual([]);
  });

  it('is quiet when the provider detects turns itself, or typed text asks for replies', () => {
    expect(graph().node('agent', 'provider.turns', { serverVad: true }).chain('mic', 'agent').build().warnings).toEqual(
      [],
    );
    const typedIn = graph()
      .node('keys', 'test.typed')
      .node('agent', 'provider.turns')
      .chain('mic', 'agent')
      .link('keys.text', 'agent.control');
    expect(typedIn.build().warnings).toEqual([]);
  });

  it("reads a failover's own providers: it warns when any of them leaves turns to the graph", () => {
    const failover = (...serverVad: boolean[]) =>
      graph()
        .node('agent', 'provider.failover', {
          providers: serverVad.map((on) => ({ type: 'provider.turns', config: { serverVad: on } })),
        })
        .chain('mic', 'agent')
        .build().warnings;
    expect(failover(true, true)).toEqual([]);
    expect(failover(true, false)).toEqual([
      expect.objectContaining({
        code: 'turns-never-end',
        message: expect.stringMatching(
          /^node "agent" \(provider\.failover\) has its own turn detection off \(providers\[1\], provider\.turns\) and no speech-stop/,
        ),
        path: ['nodes', 'agent'],
      }),
    ]);
    const withVad = graph()
      .node('vad', 'test.vad')
      .node('agent', 'provider.failover', { providers: [{ type: 'provider.turns', config: {} }] })
      .chain('mic', 'vad', 'agent');
    expect(withVad.build().warnings).toEqual([]);
  });

  it('leaves a failover provider it cannot resolve to the checks that name it', () => {
    const unknown = graph()
      .node('agent', 'provider.failover', { providers: [{ type: 'provider.nowhere', config: {} }] })
      .chain('mic', 'agent');
    expect(unknown.build().warnings).toEqual([]);
  });
});
