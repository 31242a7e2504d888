import { type ConversationContext, mergeTools, type ToolSpec } from '@beluga-voice/core';
import type { OpenAIRealtimeConfig } from './config.js';
import { buildSessionObject, type Protocol, type SessionSettings } from './wire/client-events.js';

/** What `updateSession` may change mid-conversation. */
export interface SessionUpdate {
  readonly instructions?: string;
  readonly tools?: readonly ToolSpec[];
}

/** The config merged with the conversation context: the context wins, its tools add to the config's. */
export function initialSettings(
  config: Omit<OpenAIRealtimeConfig, 'apiKey'>,
  context: ConversationContext,
): SessionSettings {
  return {
    instructions: context.systemPrompt ?? config.instructions,
    voice: context.voice ?? config.voice,
    temperature: context.temperature ?? config.temperature,
    turnDetection: config.turnDetection,
    inputTranscription: config.inputTranscription,
    tools: mergeTools(config.tools, context.tools ?? []),
    toolChoice: config.toolChoice,
    maxOutputTokens: config.maxOutputTokens,
    audioFormat: config.audioFormat,
  };
}

/** The settings after `update`; new tools replace the context's, the config's stay. */
export function updatedSettings(
  settings: SessionSettings,
  update: SessionUpdate,
  configTools: readonly ToolSpec[],
): SessionSettings {
  return {
    ...settings,
    ...(update.instructions === undefined ? {} : { instructions: update.instructions }),
    ...(update.tools === undefined ? {} : { tools: mergeTools(configTools, update.tools) }),
  };
}

/** The `session` of a `session.update` that sends only what `update` changed (`settings` already applied). */
export function sessionUpdatePatch(
  protocol: Protocol,
  settings: SessionSettings,
  update: SessionUpdate,
): Record<string, unknown> {
  const session: Record<string, unknown> = protocol === 'ga' ? { type: 'realtime' } : {};
  if (update.instructions !== undefined) session.instructions = update.instructions;
  if (update.tools !== undefined) session.tools = buildSessionObject(protocol, settings).tools;
  return session;
}
