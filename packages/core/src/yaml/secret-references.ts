import { redact } from '../secrets.js';

/**
 * Names that hold a secret whatever node they belong to (`apiKey`, `clientSecret`, `GITHUB_TOKEN`
 * in an MCP server's env). Singular only: `maxOutputTokens` is a count, not a credential.
 */
const SECRET_NAME = /(api[-_]?key|access[-_]?key|secret|password|passwd|token|credentials?|authorization)$/i;

/** The variable a secret is exported as: `agent` + `apiKey` → `AGENT_API_KEY`. */
export function secretVariableName(nodeId: string, key: string): string {
  const words = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_');
  return `${words(nodeId)}_${words(key)}`.toUpperCase().replace(/^(\d)/, '_$1');
}

/**
 * `config` with every secret string replaced by a `${VAR}` reference, at any depth: the paths the
 * node type declares secret (`declared`, dot-joined; known only with a registry), keys named like credentials, and any
 * value holding a registered secret or a provider key's pattern. Without a registry the last two
 * still keep keys out of the text. Values the source wrote as templates (`templated`) are already
 * references and stay as written, unless they hold a secret themselves (a `${VAR:-sk-…}` default).
 */
export function referenceSecrets(
  nodeId: string,
  config: unknown,
  declared: ReadonlySet<string>,
  templated: (path: readonly (string | number)[]) => boolean = () => false,
): unknown {
  const walk = (value: unknown, path: readonly (string | number)[]): unknown => {
    const key = path.length > 0 ? String(path[path.length - 1]) : undefined;
    if (typeof value === 'string') {
      const leaked = redact(value) !== value;
      const secret = templated(path) ? leaked : declared.has(path.join('.')) || SECRET_NAME.test(key ?? '') || leaked;
      return secret ? `\${${secretVariableName(nodeId, path.join('_'))}}` : value;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return walk(config, []);
}
