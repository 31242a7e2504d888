/** The part of a `ws` WebSocket that closing needs (core does not depend on `ws`). */
export interface ClosableSocket {
  readonly readyState: number;
  readonly CLOSED: number;
  once(event: 'close', listener: () => void): unknown;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** Closes with 1000 and waits for the close; a peer that does not answer within 1 s is cut off. */
export function closeSocket(socket: ClosableSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    const guard = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve();
    });
    socket.close(1000, 'OK');
  });
}
