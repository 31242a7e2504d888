import { ExpressionError } from './syntax.js';

export type Token =
  | { readonly type: 'number'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly type: 'name'; readonly text: string; readonly position: number }
  | {
      readonly type: 'symbol';
      readonly text: '+' | '-' | '*' | '/' | '%' | '^' | '(' | ')' | ',';
      readonly position: number;
    }
  | { readonly type: 'end'; readonly text: ''; readonly position: number };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SYMBOLS = '+-*/%^(),';
/** Spellings models use for the same operators. */
const ALIASES: Readonly<Record<string, '*' | '/' | '^' | '-'>> = { '×': '*', '÷': '/', '**': '^', '−': '-' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const position = i + 1;
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(source);
    if (number) {
      if (!Number.isFinite(Number(number[0]))) {
        throw new ExpressionError('syntax', position, `the number ${number[0]} is too large`);
      }
      tokens.push({ type: 'number', value: Number(number[0]), text: number[0], position });
      i += number[0].length;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ type: 'name', text: name[0], position });
      i += name[0].length;
      continue;
    }
    const alias = ALIASES[source.slice(i, i + 2)] ?? ALIASES[ch];
    if (alias) {
      tokens.push({ type: 'symbol', text: alias, position });
      i += source.startsWith('**', i) ? 2 : 1;
      continue;
    }
    if (SYMBOLS.includes(ch)) {
      tokens.push({ type: 'symbol', text: ch as '+', position });
      i++;
      continue;
    }
    throw new ExpressionError('syntax', position, `unexpected character "${ch}"`);
  }
  tokens.push({ type: 'end', text: '', position: source.length + 1 });
  return tokens;
}
