import type { Json } from './items.js';

/** A client text frame as an event object, or undefined when it is not a JSON object. */
export function parseClientEvent(text: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return parsed as Json;
  } catch {
    return undefined;
  }
}

/** The client's `event_id`, which errors answering the event carry back. */
export function clientEventId(event: Json): string | null {
  return typeof event.event_id === 'string' ? event.event_id : null;
}
