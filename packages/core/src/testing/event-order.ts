import type { S2SEvent } from '../provider/s2s.js';

/**
 * Everything wrong with the order of a session's events: `session-started` first, nothing after
 * `closed`, a `response-done` for every `response-start`, audio only inside its response, tool
 * calls only inside a response. `ended`: the session is over, so no response may still be open.
 */
export function eventOrderViolations(events: readonly S2SEvent[], options: { ended?: boolean } = {}): string[] {
  const out: string[] = [];
  const open = new Set<string>();
  const seen = new Set<string>();
  let closed = false;
  events.forEach((event, i) => {
    const at = `event ${i} (${event.type})`;
    if (closed) {
      out.push(`${at} comes after "closed"`);
      return;
    }
    switch (event.type) {
      case 'session-started':
        if (i !== 0) out.push(`${at}: session-started must be the first event`);
        break;
      case 'response-start':
        if (seen.has(event.responseId)) out.push(`${at}: response "${event.responseId}" started twice`);
        seen.add(event.responseId);
        open.add(event.responseId);
        break;
      case 'response-done':
        if (!open.has(event.responseId))
          out.push(`${at}: response-done for "${event.responseId}" without an open response-start`);
        open.delete(event.responseId);
        break;
      case 'audio':
        if (!open.has(event.responseId))
          out.push(`${at}: audio of "${event.responseId}" outside its response-start/response-done`);
        break;
      case 'tool-call': {
        const inside = event.responseId === undefined ? open.size > 0 : open.has(event.responseId);
        if (!inside) out.push(`${at}: tool call "${event.id}" outside a response`);
        break;
      }
      case 'closed':
        closed = true;
        break;
      default:
        break;
    }
  });
  if ((closed || options.ended) && open.size > 0) {
    out.push(`response(s) ${[...open].map((id) => `"${id}"`).join(', ')} never got a response-done`);
  }
  return out;
}
