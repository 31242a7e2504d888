import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpFront {
  /** `ws://127.0.0.1:N/v1`: a base URL for the provider. */
  readonly url: string;
  /** Connections accepted and never answered. */
  readonly held: Socket[];
  /** Held connections the client has since given up. */
  readonly closed: Socket[];
  /** Every byte the clients sent on the piped connections, in order. */
  sent(): Buffer;
  close(): Promise<void>;
}

/**
 * A TCP front on loopback: the first `forward` connections are piped to the mock on `target` (a
 * tap that keeps what the client sent), the rest are held open and never answered (a hung proxy
 * or load balancer).
 */
export async function tcpFront(forward = 0, target?: number): Promise<TcpFront> {
  const held: Socket[] = [];
  const piped: Socket[] = [];
  const closed: Socket[] = [];
  const chunks: Buffer[] = [];
  let seen = 0;
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (seen++ < forward && target !== undefined) {
      const up = connect(target, '127.0.0.1');
      up.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.pipe(up).pipe(socket);
      piped.push(socket, up);
      return;
    }
    // Read the upgrade request and never answer it.
    socket.resume();
    socket.on('close', () => closed.push(socket));
    held.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1`,
    held,
    closed,
    sent: () => Buffer.concat(chunks),
    close: () => {
      for (const s of [...held, ...piped]) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
