import OpenAI from 'openai';
import { OpenAIRealtimeWS as BetaRealtimeWS } from 'openai/beta/realtime/ws';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { expect } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';

export const KEY = 'sk-mock-sdk-0123456789abcdef';

export interface Client {
  readonly events: Array<{ type: string } & Record<string, unknown>>;
  send(event: Record<string, unknown>): void;
  close(): void;
}

/** The official SDK's client over wss://, trusting the mock's self-signed certificate. */
export async function connect(server: MockServer, protocol: 'ga' | 'beta'): Promise<Client> {
  const openai = new OpenAI({ apiKey: KEY, baseURL: `https://127.0.0.1:${server.port}/v1` });
  const props = { model: 'gpt-realtime', options: { ca: server.certificate } };
  const rt = protocol === 'ga' ? new OpenAIRealtimeWS(props, openai) : new BetaRealtimeWS(props, openai);
  const events: Client['events'] = [];
  const emitter = rt as unknown as { on(type: 'event' | 'error', listener: (value: unknown) => void): void };
  emitter.on('event', (e) => events.push(e as Client['events'][number]));
  emitter.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  expect(rt.url.protocol).toBe('wss:');
  return { events, send: (e) => rt.send(e as never), close: () => rt.close() };
}
