import { bytesPerMs } from './audio.js';
import type { ConnectionContext } from './connection-context.js';
import { clientItem, type Item, type Json, renderItem, words } from './items.js';

/** The client's `conversation.item.*` events: create, retrieve, delete, truncate (§3.4). */

export function createItem(ctx: ConnectionContext, event: Json, eventId: string | null): void {
  const { conversation, events } = ctx;
  const previousId = event.previous_item_id;
  if (typeof previousId === 'string' && previousId !== 'root' && !conversation.find(previousId)) {
    events.error('invalid_value', `Item with id '${previousId}' not found in conversation.`, {
      eventId,
      param: 'previous_item_id',
    });
    return;
  }
  const parsed = clientItem(event.item, ctx.protocol, conversation.items);
  if ('problem' in parsed) {
    events.error(parsed.problem.code, parsed.problem.message, { eventId, param: parsed.problem.param });
    return;
  }
  conversation.insert(parsed.item, previousId);
}

export function retrieveItem(ctx: ConnectionContext, event: Json, eventId: string | null): void {
  withItem(ctx, event, eventId, 'item_retrieve_invalid_item_id', (item) =>
    ctx.events.send({ type: 'conversation.item.retrieved', item: renderItem(ctx.protocol, item) }),
  );
}

export function deleteItem(ctx: ConnectionContext, event: Json, eventId: string | null): void {
  withItem(ctx, event, eventId, 'item_delete_invalid_item_id', (item) => {
    ctx.conversation.remove(item);
    ctx.events.send({ type: 'conversation.item.deleted', item_id: item.id });
  });
}

/** Cuts an assistant audio item at `audio_end_ms`, keeping the share of its transcript that was heard. */
export function truncateItem(ctx: ConnectionContext, event: Json, eventId: string | null): void {
  const { events } = ctx;
  const end = event.audio_end_ms;
  if (typeof end !== 'number' || !Number.isInteger(end)) {
    events.error('invalid_type', "Invalid type for 'audio_end_ms': expected an integer.", {
      eventId,
      param: 'audio_end_ms',
    });
    return;
  }
  if (end < 0) {
    events.error(
      'integer_below_min_value',
      "Invalid 'audio_end_ms': integer below minimum value. Expected a value >= 0.",
      {
        eventId,
        param: 'audio_end_ms',
      },
    );
    return;
  }
  withItem(ctx, event, eventId, 'item_truncate_invalid_item_id', (item) => {
    if (item.role !== 'assistant' || item.audioBytes === 0) {
      return events.error('unsupported_content_type', 'Only model output audio messages can be truncated', {
        eventId,
        param: 'item_id',
      });
    }
    const sentMs = Math.floor(item.audioBytes / bytesPerMs(ctx.session.outputFormat));
    if (end > sentMs) {
      return events.error('invalid_value', `Audio content of ${sentMs}ms is already shorter than ${end}ms`, {
        eventId,
        param: 'audio_end_ms',
      });
    }
    const part = item.content[0];
    if (part && typeof part.transcript === 'string') {
      const kept = words(part.transcript).slice(
        0,
        Math.floor((words(part.transcript).length * end) / Math.max(1, sentMs)),
      );
      item.content = [{ ...part, transcript: kept.join('') }];
    }
    events.send({
      type: 'conversation.item.truncated',
      item_id: item.id,
      content_index: Number(event.content_index ?? 0),
      audio_end_ms: end,
    });
  });
}

/** The item the event names by `item_id`, or `code` when the conversation has none. */
function withItem(
  ctx: ConnectionContext,
  event: Json,
  eventId: string | null,
  code: string,
  fn: (item: Item) => void,
): void {
  const item = ctx.conversation.find(event.item_id);
  if (!item) {
    ctx.events.error(code, `Item with item_id not found: ${String(event.item_id)}`, { eventId, param: 'item_id' });
    return;
  }
  fn(item);
}
