/**
 * Decodes a base64 audio payload, or returns undefined when it is not strict base64. Node's decoder
 * skips characters outside the alphabet and accepts the URL-safe one, so a payload is valid when it
 * decodes to exactly the length its size promises and holds no `-` or `_`: native scans only,
 * no regular expression over every payload.
 */
export function decodeBase64Audio(text: unknown): Buffer | undefined {
  if (typeof text !== 'string' || text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== (text.length / 4) * 3 - padding) return undefined;
  if (text.includes('-') || text.includes('_')) return undefined;
  return bytes;
}
