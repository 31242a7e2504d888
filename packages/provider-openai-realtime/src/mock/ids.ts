import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_CHARS = 13;
const COUNTER_CHARS = 21 - RANDOM_CHARS;

/** Drawn once per process: ids differ between runs without drawing random bytes for every event. */
const processPart = Array.from(randomBytes(RANDOM_CHARS), (b) => ALPHABET[b % ALPHABET.length]).join('');
let counter = 0;

/** Ids shaped like the service's: a prefix and 21 alphanumerics (`item_C1a…`), unique in the process. */
export function newId(prefix: 'event' | 'sess' | 'conv' | 'resp' | 'item' | 'call'): string {
  let n = ++counter;
  let tail = '';
  for (let i = 0; i < COUNTER_CHARS; i++) {
    tail = ALPHABET[n % ALPHABET.length] + tail;
    n = Math.floor(n / ALPHABET.length);
  }
  return `${prefix}_${processPart}${tail}`;
}
