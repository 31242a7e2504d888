/** A WebSocket text message read as a JSON object; the error is worded for a close reason. */
export function parseJsonObject(
  text: string,
): { readonly value: Record<string, unknown> } | { readonly error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `malformed message: not JSON (${text.length} chars)` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'malformed message: not a JSON object' };
  return { value: value as Record<string, unknown> };
}
