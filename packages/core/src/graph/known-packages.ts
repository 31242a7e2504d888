/** The official packages and the node types they provide, for `install …` hints. */
const PROVIDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^audio\.vad-silero$/, '@beluga-voice/vad-silero'],
  [/^audio\./, '@beluga-voice/nodes-audio'],
  [/^tools\./, '@beluga-voice/nodes-tools'],
  [/^provider\.openai-realtime$/, '@beluga-voice/provider-openai-realtime'],
  [/^provider\.gemini-live$/, '@beluga-voice/provider-gemini-live'],
  [/^provider\.(echo|scripted|failover)$/, '@beluga-voice/core'],
];

export function packageForType(type: string): string | undefined {
  return PROVIDERS.find(([pattern]) => pattern.test(type))?.[1];
}
