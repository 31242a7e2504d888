import { type BinaryOperator, type Expr, ExpressionError } from './syntax.js';
import { type Token, tokenize } from './tokenizer.js';

/** Deep enough for any real arithmetic; bounded so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 100;

/**
 * Recursive descent, lowest precedence first:
 *   sum     = product (("+" | "-") product)*
 *   product = unary (("*" | "/" | "%") unary)*
 *   unary   = ("-" | "+") unary | power
 *   power   = primary ("^" unary)?          (right-associative; -2^2 = -4, 2^-1 = 0.5)
 *   primary = number | name | name "(" sum ("," sum)* ")" | "(" sum ")"
 */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  if (tokens.length === 1) throw new ExpressionError('syntax', 1, 'the expression is empty');
  let index = 0;
  let depth = 0;

  const peek = (): Token => tokens[index];
  const next = (): Token => tokens[index++];
  const isSymbol = (token: Token, ...symbols: string[]) => token.type === 'symbol' && symbols.includes(token.text);
  const describe = (token: Token) => (token.type === 'end' ? 'end of expression' : `"${token.text}"`);
  const unexpected = (token: Token) => new ExpressionError('syntax', token.position, `unexpected ${describe(token)}`);
  const expectClose = (open: Token) => {
    const token = next();
    if (!isSymbol(token, ')')) {
      throw new ExpressionError(
        'syntax',
        token.position,
        `expected ")" to close "(" at position ${open.position}, found ${describe(token)}`,
      );
    }
  };
  const nested = <T>(token: Token, parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError('syntax', token.position, 'the expression is nested too deeply');
    try {
      return parse();
    } finally {
      depth--;
    }
  };

  const binaryLevel = (operators: string[], operand: () => Expr) => (): Expr => {
    let left = operand();
    while (isSymbol(peek(), ...operators)) {
      const op = next();
      left = { type: 'binary', operator: op.text as BinaryOperator, left, right: operand(), position: op.position };
    }
    return left;
  };

  const primary = (): Expr => {
    const token = next();
    if (token.type === 'number') return { type: 'number', value: token.value, position: token.position };
    if (token.type === 'name') {
      if (!isSymbol(peek(), '(')) return { type: 'name', name: token.text, position: token.position };
      const open = next();
      const args: Expr[] = [];
      if (!isSymbol(peek(), ')')) {
        args.push(nested(open, sum));
        while (isSymbol(peek(), ',')) {
          next();
          args.push(nested(open, sum));
        }
      }
      expectClose(open);
      return { type: 'call', name: token.text, args, position: token.position };
    }
    if (isSymbol(token, '(')) {
      const inner = nested(token, sum);
      expectClose(token);
      return inner;
    }
    throw unexpected(token);
  };

  const power = (): Expr => {
    const base = primary();
    if (!isSymbol(peek(), '^')) return base;
    const op = next();
    return { type: 'binary', operator: '^', left: base, right: nested(op, unary), position: op.position };
  };

  const unary = (): Expr => {
    const token = peek();
    if (isSymbol(token, '-', '+')) {
      next();
      const operand = nested(token, unary);
      return token.text === '-' ? { type: 'negate', operand, position: token.position } : operand;
    }
    return power();
  };

  const product = binaryLevel(['*', '/', '%'], unary);
  const sum = binaryLevel(['+', '-'], product);

  const expr = sum();
  if (peek().type !== 'end') throw unexpected(peek());
  return expr;
}
