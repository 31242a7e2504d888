import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids shaped like the service's: a prefix and 21 alphanumerics (`item_C1a…`). */
export function newId(prefix: 'event' | 'sess' | 'conv' | 'resp' | 'item' | 'call'): string {
  const bytes = randomBytes(21);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}
