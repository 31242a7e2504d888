import { resolve } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../secrets.js';
import { defineProviderNode } from '../provider-node.js';
import { compileScript, loadScriptFile, scriptSchema } from '../script.js';
import { ScriptedProvider, scriptedCapabilities } from '../scripted-provider.js';
import { stubConfigShape, turnDetection } from './turn-config.js';

const config = z
  .object({
    ...stubConfigShape,
    latencyMs: stubConfigShape.latencyMs.default(200),
    script: scriptSchema
      .optional()
      .describe('Turns: for each user turn, the reply steps (say, tone, audio, toolCall, error)'),
    scriptFile: z.string().optional().describe('YAML or JSON file holding the turns, relative to the pipeline file'),
    loop: z.boolean().default(false).describe('Start the script over when it runs out'),
  })
  .strict()
  .refine((c) => (c.script === undefined) !== (c.scriptFile === undefined), {
    message: 'give exactly one of script or scriptFile',
  });

export const providerScripted = defineProviderNode({
  type: 'provider.scripted',
  summary: 'Stub provider that follows a script: audio or tones, transcripts, tool calls and errors on cue',
  config,
  capabilities: (c) => scriptedCapabilities(c.sampleRate),
  // The script file and the audio files the script plays, read and compiled as a run would.
  check: async (c, { baseDir }) => {
    try {
      if (c.scriptFile !== undefined) await loadScriptFile(resolve(baseDir, c.scriptFile), c.sampleRate);
      else await compileScript(c.script ?? [], { sampleRate: c.sampleRate, dir: baseDir, source: 'script' });
      return [];
    } catch (error) {
      return [{ path: [c.scriptFile !== undefined ? 'scriptFile' : 'script'], message: errorMessage(error) }];
    }
  },
  createProvider: (c, ctx) =>
    ScriptedProvider.load(c.scriptFile === undefined ? { script: c.script ?? [] } : { scriptFile: c.scriptFile }, {
      baseDir: ctx.baseDir,
      sampleRate: c.sampleRate,
      latencyMs: c.latencyMs,
      realtime: c.realtime,
      loop: c.loop,
      maxTurnMs: c.maxTurnMs,
      turnDetection: turnDetection(c),
      scheduler: ctx.scheduler,
    }).catch((error: Error) => {
      throw new Error(`provider.scripted "${ctx.id}": ${error.message}`);
    }),
});
