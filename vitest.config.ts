import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Tests import the packages by name; resolve them to sources so that a test never runs stale dist.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@beluga-voice\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
      { find: /^@beluga-voice\/core\/conformance$/, replacement: src('core/src/conformance/index.ts') },
      { find: /^@beluga-voice\/core\/nodes$/, replacement: src('core/src/nodes.ts') },
      { find: /^@beluga-voice\/core\/audio$/, replacement: src('core/src/audio/index.ts') },
      { find: /^@beluga-voice\/core$/, replacement: src('core/src/index.ts') },
      { find: /^@beluga-voice\/nodes-audio\/nodes$/, replacement: src('nodes-audio/src/nodes.ts') },
      { find: /^@beluga-voice\/nodes-audio$/, replacement: src('nodes-audio/src/index.ts') },
      { find: /^@beluga-voice\/nodes-tools\/nodes$/, replacement: src('nodes-tools/src/nodes.ts') },
      { find: /^@beluga-voice\/nodes-tools$/, replacement: src('nodes-tools/src/index.ts') },
      {
        find: /^@beluga-voice\/provider-openai-realtime\/mock$/,
        replacement: src('provider-openai-realtime/src/mock/index.ts'),
      },
      {
        find: /^@beluga-voice\/provider-openai-realtime\/nodes$/,
        replacement: src('provider-openai-realtime/src/nodes.ts'),
      },
      { find: /^@beluga-voice\/provider-openai-realtime$/, replacement: src('provider-openai-realtime/src/index.ts') },
      { find: /^@beluga-voice\/vad-silero\/nodes$/, replacement: src('vad-silero/src/nodes.ts') },
      { find: /^@beluga-voice\/vad-silero$/, replacement: src('vad-silero/src/index.ts') },
      {
        find: /^@beluga-voice\/transport-websocket\/testing$/,
        replacement: src('transport-websocket/src/testing/index.ts'),
      },
      { find: /^@beluga-voice\/transport-websocket\/nodes$/, replacement: src('transport-websocket/src/nodes.ts') },
      { find: /^@beluga-voice\/transport-websocket$/, replacement: src('transport-websocket/src/index.ts') },
      {
        find: /^@beluga-voice\/provider-gemini-live\/mock$/,
        replacement: src('provider-gemini-live/src/mock/index.ts'),
      },
      { find: /^@beluga-voice\/provider-gemini-live\/nodes$/, replacement: src('provider-gemini-live/src/nodes.ts') },
      { find: /^@beluga-voice\/provider-gemini-live$/, replacement: src('provider-gemini-live/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'deploy/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Finds ffmpeg, sox, openssl and git once; tests needing a missing one skip, saying so in one line.
    globalSetup: ['./packages/core/test/support/external-tools-setup.ts'],
  },
});
