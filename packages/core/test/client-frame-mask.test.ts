import { describe, expect, it } from 'vitest';
import { clientFrameMask } from '../src/provider/provider-socket-options.js';

describe('client frames are masked with a zero key only where no proxy can read them', () => {
  it('uses a zero key over TLS and on loopback', () => {
    for (const url of [
      'wss://api.openai.com/v1/realtime',
      'ws://127.0.0.1:8080/realtime',
      'ws://127.3.4.5/x',
      'ws://localhost:9/x',
      'ws://[::1]:9/x',
    ]) {
      const { generateMask } = clientFrameMask(new URL(url));
      const key = new Uint8Array([9, 9, 9, 9]);
      generateMask?.(key);
      expect({ url, key: [...key] }).toEqual({ url, key: [0, 0, 0, 0] });
    }
  });

  it('leaves plaintext sockets to other hosts to ws, which masks with random keys', () => {
    for (const url of ['ws://10.0.0.7:8080/realtime', 'ws://realtime.example.com/x', 'ws://127.example.com/x']) {
      expect(clientFrameMask(new URL(url))).toEqual({});
    }
  });
});
