import type { z } from 'zod';

type Def = {
  type?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Peels defaults, optionals, nullables and pipes to reach the schema that does the checking. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The keys an object schema allows at `path` inside `schema`, for `did you mean` hints. */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!current) return [];
    const def = defOf(current);
    if (def.type === 'object' && def.shape && typeof key === 'string') current = def.shape[key];
    else if (def.type === 'array' && def.element) current = def.element;
    else return [];
    current = current ? unwrap(current) : undefined;
  }
  const def = current ? defOf(current) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
