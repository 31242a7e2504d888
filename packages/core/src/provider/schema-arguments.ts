type Schema = Readonly<Record<string, unknown>>;

const STRING_FORMATS: Readonly<Record<string, string>> = {
  date: '2024-01-01',
  'date-time': '2024-01-01T12:00:00Z',
  time: '12:00:00',
  email: 'user@example.com',
  uri: 'https://example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function isSchema(value: unknown): value is Schema {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Arguments that satisfy a function's JSON Schema, as the service produces when `tool_choice`
 * forces a call: every required property with a type-correct value (`default`, `const`, the
 * first `enum` value, bounds respected), optional properties left out.
 */
export function argumentsFromSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return {};
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return argumentsFromSchema(options[0]);
  }
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf.filter(isSchema).map(argumentsFromSchema);
    return Object.assign({}, ...merged.filter((v) => v && typeof v === 'object'));
  }
  const declared = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const type = declared ?? (isSchema(schema.properties) ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((k): k is string => typeof k === 'string')
        : [];
      const out: Record<string, unknown> = {};
      for (const key of required) out[key] = argumentsFromSchema(properties[key]);
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => argumentsFromSchema(schema.items));
    }
    case 'string': {
      const format = typeof schema.format === 'string' ? STRING_FORMATS[schema.format] : undefined;
      if (format) return format;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
      const text = 'example'.padEnd(min, 'x');
      return text.slice(0, Math.max(min, Math.min(text.length, max)));
    }
    case 'integer':
    case 'number':
      return numberWithin(schema, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function numberWithin(schema: Schema, integer: boolean): number {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const step = integer ? 1 : 0.5;
  const min =
    num('minimum') ?? (num('exclusiveMinimum') === undefined ? undefined : (num('exclusiveMinimum') as number) + step);
  const max =
    num('maximum') ?? (num('exclusiveMaximum') === undefined ? undefined : (num('exclusiveMaximum') as number) - step);
  let value = 0;
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  return integer ? Math.ceil(value) : value;
}
