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
export { type ConversationConfig, conversationSchema } from './provider/conversation-config.js';
export { ECHO_DEFAULTS, EchoProvider, type EchoProviderOptions, echoCapabilities } from './provider/echo-provider.js';
export { EnergyTurnDetector, type EnergyTurnOptions, type TurnEvent } from './provider/energy-turn-detector.js';
export { iterateObservable } from './provider/event-iterator.js';
export { providerEcho } from './provider/nodes/echo-node.js';
export { providerScripted } from './provider/nodes/scripted-node.js';
export type { ProviderBridgeOutputs, ProviderOutputPort } from './provider/provider-bridge.js';
export { defineProviderNode, type ProviderNodeDefinition } from './provider/provider-node.js';
export * from './provider/s2s.js';
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
export { redactingTracer } from './redacting-tracer.js';
export * from './registry.js';
export { highResolutionScheduler } from './runtime/clock.js';
export { PipelineAbortedError, PipelineError } from './runtime/errors.js';
export type { QueueStats, RunningPipeline, StartOptions, StopOptions } from './runtime/pipeline.js';
export { DEFAULT_AUDIO_QUEUE, DEFAULT_EVENT_QUEUE, type QueueLimits } from './runtime/queue-settings.js';
export { redact, registerSecret } from './secrets.js';
export { didYouMean, nearMatches } from './suggest.js';
export * from './yaml/index.js';
