import type { ConnectionContext } from './connection-context.js';
import { newId } from './ids.js';
import type { Item, ResponseRun } from './items.js';

/** Characters of arguments per `response.function_call_arguments.delta`. */
const ARGUMENTS_CHUNK = 16;

/** A function_call output item, its arguments streamed in deltas: §7.4 steps 3–8. */
export function callFunction(
  ctx: ConnectionContext,
  run: ResponseRun,
  name: string,
  args: unknown,
  outputIndex: number,
): void {
  const { events, conversation } = ctx;
  const argumentsText = typeof args === 'string' ? args : JSON.stringify(args ?? {});
  const item: Item = {
    id: newId('item'),
    type: 'function_call',
    status: 'in_progress',
    content: [],
    call_id: newId('call'),
    name,
    arguments: '',
    audioBytes: 0,
  };
  const previous = conversation.addOutput(run, item, outputIndex);
  const ids = { response_id: run.id, item_id: item.id, output_index: outputIndex, call_id: item.call_id };
  for (let i = 0; i < argumentsText.length; i += ARGUMENTS_CHUNK) {
    events.send({
      type: 'response.function_call_arguments.delta',
      ...ids,
      delta: argumentsText.slice(i, i + ARGUMENTS_CHUNK),
    });
  }
  item.arguments = argumentsText;
  item.status = 'completed';
  run.outputTokens += Math.ceil(argumentsText.length / 4);
  events.send({ type: 'response.function_call_arguments.done', ...ids, name, arguments: argumentsText });
  conversation.finishOutput(run, item, outputIndex, previous);
}
