import { z } from 'zod';

/**
 * The JSON Schema of a tool's parameters as providers want it: the input side (defaults are
 * optional for the model), a plain object schema without the `$schema` dialect marker.
 */
export function parametersJsonSchema(toolName: string, parameters: z.ZodType): Record<string, unknown> {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(parameters, { io: 'input' }) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `tool "${toolName}": parameters cannot be expressed in JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { $schema: _dialect, ...plain } = schema;
  if (plain.type !== 'object') {
    throw new Error(`tool "${toolName}": parameters must be a zod object schema (z.object({...}))`);
  }
  return plain;
}
