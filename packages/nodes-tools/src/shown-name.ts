/** OpenAI's limit for function names: a longer name cannot belong to a tool we offered. */
const MAX_SHOWN = 64;

/**
 * A tool name (or call id) as it may be echoed to the model, the bus and spans: a model can send
 * one of any size, and echoing 5 MB back would cost as much again at every hop.
 */
export function shownName(name: string): string {
  if (name.length <= MAX_SHOWN) return name;
  return `${name.slice(0, MAX_SHOWN)}… (${name.length} characters)`;
}
