import WebSocket from 'ws';
import { until } from './fixtures.js';

export interface RawClient {
  readonly socket: WebSocket;
  readonly events: Array<{ type: string } & Record<string, unknown>>;
  readonly closed: Promise<{ code: number; reason: string }>;
  send(event: Record<string, unknown>): void;
  /** The `count`-th server event of `type`, waiting for it. */
  next(type: string, count?: number): Promise<{ type: string } & Record<string, unknown>>;
}

/** A bare `ws` client, to speak to the mock event by event. */
export async function rawClient(
  url: string,
  options: { key?: string; beta?: boolean; protocols?: string[] } = {},
): Promise<RawClient> {
  const headers: Record<string, string> = {};
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  if (options.beta) headers['OpenAI-Beta'] = 'realtime=v1';
  const socket = new WebSocket(`${url}?model=gpt-realtime`, options.protocols ?? [], { headers });
  const events: RawClient['events'] = [];
  socket.on('message', (data) => events.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    events,
    closed,
    send: (event) => socket.send(JSON.stringify(event)),
    async next(type, count = 1) {
      const of = () => events.filter((e) => e.type === type);
      await until(() => of().length >= count, 3000, `server event ${type} #${count}`);
      return of()[count - 1];
    },
  };
}
