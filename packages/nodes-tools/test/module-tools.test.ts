import { fileURLToPath } from 'node:url';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { toolRouterNode } from '../src/index.js';
import { toolCall } from './support.js';

/** As if the pipeline YAML sat in test/fixtures. */
const baseDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('tools from modules', () => {
  it('loads a named export relative to the pipeline folder and runs it', async () => {
    const harness = await runNode(toolRouterNode, {
      config: { tools: [{ module: './weather-tools.mjs', export: 'getWeather' }] },
      inputs: {
        calls: [toolCall('w1', 'get_weather', { city: 'Lisbon' }), toolCall('w2', 'get_tide', { port: 'Porto' })],
      },
      baseDir,
    });
    const results = await harness.collect('results');
    expect(results.find((r) => r.kind === 'tool-result' && r.id === 'w1')).toMatchObject({
      output: '{"city":"Lisbon","temperatureC":21,"sky":"clear"}',
    });
    expect(results.find((r) => r.kind === 'tool-result' && r.id === 'w2')).toMatchObject({
      output: 'Error: unknown tool "get_tide". Available tools: get_weather.',
    });
  });

  it('loads every exported tool when no export is named', async () => {
    const harness = await runNode(toolRouterNode, {
      config: { tools: [{ module: './weather-tools.mjs' }] },
      inputs: { calls: [toolCall('t1', 'get_tide', { port: 'Porto' })] },
      baseDir,
    });
    expect(await harness.collect('results')).toMatchObject([{ id: 't1', output: 'High tide in Porto at 14:05' }]);
  });

  it.each([
    [
      { module: './weather-tools.mjs', export: 'getRain' },
      'tools.router "tools": tool module ./weather-tools.mjs has no export "getRain" (exports: getTide, getWeather, units)',
    ],
    [
      { module: './weather-tools.mjs', export: 'units' },
      'tools.router "tools": export "units" of ./weather-tools.mjs is not a tool: build it with defineTool from @beluga-voice/nodes-tools',
    ],
    [
      { module: './mcp-server-missing.mjs' },
      `tools.router "tools": cannot load tool module ./mcp-server-missing.mjs (${baseDir}mcp-server-missing.mjs): `,
    ],
  ])('refuses %j with a clear message', async (source, message) => {
    await expect(runNode(toolRouterNode, { id: 'tools', config: { tools: [source] }, baseDir })).rejects.toThrow(
      message,
    );
  });

  it('rejects two tools with the same name', async () => {
    await expect(
      runNode(toolRouterNode, {
        id: 'tools',
        config: { tools: [{ module: './weather-tools.mjs' }, { module: './weather-tools.mjs', export: 'getTide' }] },
        baseDir,
      }),
    ).rejects.toThrow(
      'tools.router "tools": two tools are named "get_tide" (module ./weather-tools.mjs and module ./weather-tools.mjs); remove one, or give an MCP server a prefix',
    );
  });
});
