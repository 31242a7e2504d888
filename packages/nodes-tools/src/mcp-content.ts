import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** What `Client.callTool` resolves with: current results, or the 2024-10-07 `toolResult` form. */
export type McpCallResult =
  | { content?: ContentBlock[]; structuredContent?: Record<string, unknown>; isError?: boolean }
  | { toolResult: unknown };

/**
 * The text the model reads for an MCP tool result. Voice models take text only, so binary
 * content is described rather than dropped silently.
 */
export function mcpResultText(result: McpCallResult): string {
  if ('toolResult' in result) return JSON.stringify(result.toolResult ?? null);
  const blocks = (result.content ?? []).map(contentText);
  if (blocks.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return blocks.join('\n');
}

function contentText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${Buffer.byteLength(block.data, 'base64')} bytes]`;
    case 'resource_link':
      return `[resource link: ${block.name} ${block.uri}]`;
    case 'resource':
      return 'text' in block.resource
        ? block.resource.text
        : `[resource: ${block.resource.uri}${block.resource.mimeType ? `, ${block.resource.mimeType}` : ''}]`;
  }
}
