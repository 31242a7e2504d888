import { type Alias, type Document, type Node, visit } from 'yaml';

/** The yaml library's default: a file past this many alias expansions is refused. */
export const MAX_ALIAS_EXPANSIONS = 100;

/**
 * The alias to blame when a file's aliases expand past the limit ("billion laughs"): the first
 * one whose anchor holds aliases itself, as that nesting is what multiplies; else the first alias.
 */
export function blamedAlias(doc: Document.Parsed): Alias | undefined {
  const aliases: Alias[] = [];
  visit(doc, {
    Alias(_, alias) {
      aliases.push(alias);
    },
  });
  return aliases.find((alias) => holdsAlias(alias.resolve(doc))) ?? aliases[0];
}

function holdsAlias(node: Node | undefined): boolean {
  if (!node) return false;
  let found = false;
  visit(node, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

export function isAliasLimitError(error: unknown): boolean {
  return error instanceof ReferenceError && /alias/i.test(error.message);
}
