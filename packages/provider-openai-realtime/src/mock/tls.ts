import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` CLI
 * (Node cannot issue X.509 certificates by itself). Clients trust it by passing `cert` as `ca`.
 */
export async function selfSignedCertificate(): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'beluga-mock-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === 'ENOENT'
          ? 'mock-openai --tls needs the openssl command (install openssl, or pass certFile and keyFile)'
          : `mock-openai: openssl could not make a certificate: ${error.message}`,
      );
    });
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsMaterial> {
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}
