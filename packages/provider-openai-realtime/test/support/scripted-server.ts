import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ScriptedServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * A bare Realtime server for ordering tests: it sets the session up (`session.created`, then
 * `session.updated` for each `session.update`) and hands every other client event to `onEvent`,
 * which answers with whatever server events the test needs, in whatever order.
 */
export async function scriptedServer(
  onEvent: (event: { type: string } & Record<string, unknown>, send: (event: object) => void, ws: WebSocket) => void,
): Promise<ScriptedServer> {
  const wss = await new Promise<WebSocketServer>((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(server));
  });
  wss.on('connection', (ws) => {
    const send = (event: object) => ws.send(JSON.stringify(event));
    send({ type: 'session.created', event_id: 'srv_1', session: { id: 'sess_scripted' } });
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type: string } & Record<string, unknown>;
      if (event.type === 'session.update') send({ type: 'session.updated', event_id: 'srv_2', session: {} });
      else onEvent(event, send, ws);
    });
  });
  return {
    baseUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1`,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
