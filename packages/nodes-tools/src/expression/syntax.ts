/** Positions are 1-based character columns in the expression text. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '^';

export type Expr =
  | { readonly type: 'number'; readonly value: number; readonly position: number }
  | { readonly type: 'name'; readonly name: string; readonly position: number }
  | { readonly type: 'negate'; readonly operand: Expr; readonly position: number }
  | {
      readonly type: 'binary';
      readonly operator: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly position: number;
    }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly position: number };

/** A syntax or math error, with the position it refers to. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly kind: 'syntax' | 'math',
    readonly position: number,
    readonly detail: string,
  ) {
    super(`${kind} error at position ${position}: ${detail}`);
  }
}
