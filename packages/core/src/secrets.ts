import type { Logger } from './bus.js';

/**
 * Secret values (API keys) must never reach a log, an error, a span or a snapshot. Nodes register
 * the secrets they hold; everything the runtime prints or emits passes through `redact`.
 */
const registered = new Set<string>();
const KEY_PATTERN = /\b(sk-[A-Za-z0-9_-]{8,}|ek_[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{35})\b/g;
const MASK = '[redacted]';

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

export function redact(text: string): string {
  let out = text.replace(KEY_PATTERN, MASK);
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * Deep copy of `value` with every string redacted (for log data and events). An Error becomes
 * `{ name, message }`: its own fields are not enumerable, so it would otherwise pass through whole.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) } as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/** Every message passes through `redact`: nothing logged through it can carry a secret. */
export function redactingLogger(logger: Logger): Logger {
  const wrap = (fn: Logger['info']) => (message: string, data?: Record<string, unknown>) => fn(redact(message), data);
  return { debug: wrap(logger.debug), info: wrap(logger.info), warn: wrap(logger.warn), error: wrap(logger.error) };
}
