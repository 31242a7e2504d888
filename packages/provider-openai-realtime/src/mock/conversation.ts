import { type Item, type ResponseRun, renderItem } from './items.js';
import type { ServerEvents } from './server-events.js';
import type { MockProtocol } from './session-state.js';

/** The items of one conversation, in order, and the server events that announce them. */
export class Conversation {
  private readonly list: Item[] = [];
  /** Set by the first assistant audio delta and never reset: from then on the voice is fixed. */
  assistantAudioSent = false;

  constructor(
    private readonly protocol: MockProtocol,
    private readonly events: ServerEvents,
  ) {}

  get items(): readonly Item[] {
    return this.list;
  }

  find(id: unknown): Item | undefined {
    return this.list.find((i) => i.id === id);
  }

  lastItemId(): string | null {
    return this.list.at(-1)?.id ?? null;
  }

  /** A complete item at the end (a committed user turn), announced. */
  append(item: Item): void {
    const previous = this.lastItemId();
    this.list.push(item);
    this.announce(item, previous, true);
  }

  /** A client's item: first (`root`), after `previousId`, or last; announced as complete. */
  insert(item: Item, previousId: unknown): void {
    let previous: string | null;
    if (previousId === 'root') {
      this.list.unshift(item);
      previous = null;
    } else if (typeof previousId === 'string') {
      const index = this.list.findIndex((i) => i.id === previousId);
      this.list.splice(index + 1, 0, item);
      previous = previousId;
    } else {
      previous = this.lastItemId();
      this.list.push(item);
    }
    this.announce(item, previous, true);
  }

  remove(item: Item): void {
    this.list.splice(this.list.indexOf(item), 1);
  }

  /** A new item of a response: into the output and the conversation, then announced; returns the item before it. */
  addOutput(run: ResponseRun, item: Item, outputIndex: number): string | null {
    const previous = this.lastItemId();
    run.output.push(item);
    this.list.push(item);
    this.events.send({
      type: 'response.output_item.added',
      response_id: run.id,
      output_index: outputIndex,
      item: renderItem(this.protocol, item),
    });
    this.announce(item, previous, false);
    return previous;
  }

  /** A finished item of a response: `response.output_item.done`, and in GA `conversation.item.done`. */
  finishOutput(run: ResponseRun, item: Item, outputIndex: number, previous: string | null): void {
    const rendered = renderItem(this.protocol, item);
    this.events.send({
      type: 'response.output_item.done',
      response_id: run.id,
      output_index: outputIndex,
      item: rendered,
    });
    if (this.protocol === 'ga') {
      this.events.send({ type: 'conversation.item.done', previous_item_id: previous, item: rendered });
    }
  }

  /** GA: `conversation.item.added` (+ `.done` when complete); beta: `conversation.item.created`. */
  private announce(item: Item, previous: string | null, complete: boolean): void {
    if (this.protocol === 'beta') {
      this.events.send({
        type: 'conversation.item.created',
        previous_item_id: previous,
        item: renderItem(this.protocol, item),
      });
      return;
    }
    this.events.send({
      type: 'conversation.item.added',
      previous_item_id: previous,
      item: renderItem(this.protocol, item),
    });
    if (complete)
      this.events.send({
        type: 'conversation.item.done',
        previous_item_id: previous,
        item: renderItem(this.protocol, item),
      });
  }
}
