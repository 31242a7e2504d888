export * from './audio-format.js';
export * from './bus.js';
export * from './caps.js';
export * from './control.js';
export { type Discovery, type DiscoveryOptions, discoverNodes, findNodePackages } from './discovery/index.js';
export { fileErrorReason, unreadableFile } from './file-access.js';
export * from './frames.js';
export { endpointToString, parseEndpoint } from './graph/endpoint.js';
export { Graph } from './graph/graph.js';
export { createGraph, GraphBuilder, type LinkOptions } from './graph/graph-builder.js';
export { packageForType } from './graph/known-packages.js';
export * from './graph/model.js';
export type { InsertedConverter, ResolvedGraph, ResolvedLink, ResolvedNode } from './graph/resolved.js';
export { buildGraph, type ValidateOptions, type ValidationResult, validateGraph } from './graph/validate.js';
export * from './node.js';
export { type ClosableSocket, closeSocket } from './provider/close-socket.js';
export { apiKeyField, configWithKeyRedacted, maxMessageBytesField, toolSpecSchema } from './provider/config-fields.js';
export { type ConversationConfig, conversationSchema } from './provider/conversation-config.js';
export { ECHO_DEFAULTS, EchoProvider, type EchoProviderOptions, echoCapabilities } from './provider/echo-provider.js';
export { EnergyTurnDetector, type EnergyTurnOptions, type TurnEvent } from './provider/energy-turn-detector.js';
export { iterateObservable } from './provider/event-iterator.js';
export { providerFailover } from './provider/failover/failover-node.js';
export {
  FAILOVER,
  type FailoverEntry,
  type FailoverOptions,
  FailoverProvider,
  type FailoverSwitch,
  failoverWorthy,
} from './provider/failover/failover-provider.js';
export { FailoverSession } from './provider/failover/failover-session.js';
export { PcmRateConverter } from './provider/failover/pcm-rate-converter.js';
export { type BufferedInput, HeldInputBuffer } from './provider/held-input.js';
export { providerEcho } from './provider/nodes/echo-node.js';
export { providerScripted } from './provider/nodes/scripted-node.js';
export type { ProviderBridgeOutputs, ProviderOutputPort } from './provider/provider-bridge.js';
export { defineProviderNode, type ProviderNodeDefinition, providerDefinitionOf } from './provider/provider-node.js';
export {
  messageLimitText,
  PROVIDER_MAX_MESSAGE_BYTES,
  providerSocketOptions,
  type WatchedSocket,
  watchProviderSocketClose,
} from './provider/provider-socket-options.js';
export { readReplyScriptFile } from './provider/reply-script-file.js';
export * from './provider/s2s.js';
export { ScheduledDelays } from './provider/scheduled-delays.js';
export { argumentsFromSchema } from './provider/schema-arguments.js';
export {
  type CompiledScript,
  compileScript,
  loadScriptFile,
  type ScriptStep,
  type ScriptTurn,
  scriptSchema,
  scriptStepSchema,
  scriptTurnSchema,
} from './provider/script.js';
export {
  SCRIPTED_DEFAULTS,
  ScriptedProvider,
  type ScriptedProviderOptions,
  type ScriptSource,
  scriptedCapabilities,
} from './provider/scripted-provider.js';
export { type ReplyPart, StubSession, type StubSessionSettings, type UserTurn } from './provider/stub-session.js';
export { generateTone } from './provider/tone.js';
export { mergeTools } from './provider/tool-merge.js';
export { redactingTracer } from './redacting-tracer.js';
export * from './registry.js';
export { highResolutionScheduler } from './runtime/clock.js';
export { NodeReportedError, PipelineAbortedError, PipelineError } from './runtime/errors.js';
export type { QueueStats, RunningPipeline, StartOptions, StopOptions } from './runtime/pipeline.js';
export { DEFAULT_AUDIO_QUEUE, DEFAULT_EVENT_QUEUE, type QueueLimits } from './runtime/queue-settings.js';
export { untilStopped } from './runtime/until-stopped.js';
export { redact, redactingLogger, registerSecret } from './secrets.js';
export { didYouMean, nearMatches } from './suggest.js';
export { endSpan, recordTokenUsage } from './telemetry-span.js';
export * from './yaml/index.js';
