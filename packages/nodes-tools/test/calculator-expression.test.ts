import { describe, expect, it } from 'vitest';
import { formatNumber } from '../src/builtins/calculator.js';
import { ExpressionError, evaluateExpression } from '../src/index.js';

describe('calculator expression grammar', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10', 1024],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['+4', 4],
    ['3 × 4 ÷ 6', 2],
    ['1.5e3 + .5', 1500.5],
    ['sqrt(16) + abs(-3)', 7],
    ['round(2.567, 2)', 2.57],
    ['round(2.5)', 3],
    ['min(4, 2, 8) + max(1, 9)', 11],
    ['floor(-1.5) + ceil(1.2)', 0],
    ['log(1000)', 3],
    ['log(8, 2)', 3],
    ['ln(e)', 1],
    ['sin(pi / 2) + cos(0)', 2],
    ['2 * PI', 2 * Math.PI],
    ['  ( ( 1 ) )  ', 1],
  ])('%s = %d', (expression, expected) => {
    expect(evaluateExpression(expression)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['1 +* 2', 'syntax error at position 4: unexpected "*"'],
    ['1 +', 'syntax error at position 4: unexpected end of expression'],
    ['(1 + 2', 'syntax error at position 7: expected ")" to close "(" at position 1, found end of expression'],
    ['sqrt(4', 'syntax error at position 7: expected ")" to close "(" at position 5, found end of expression'],
    ['1 + 2)', 'syntax error at position 6: unexpected ")"'],
    ['2(3)', 'syntax error at position 2: unexpected "("'],
    ['4 $ 2', 'syntax error at position 3: unexpected character "$"'],
    ['', 'syntax error at position 1: the expression is empty'],
    ['x + 1', 'syntax error at position 1: unknown name "x" (constants: pi, e, tau)'],
    [
      'foo(1)',
      'syntax error at position 1: unknown function "foo" (functions: abs, sqrt, cbrt, floor, ceil, trunc, round, min, max, sin, cos, tan, asin, acos, atan, exp, ln, log, log2, log10)',
    ],
    ['sqrt + 1', 'syntax error at position 1: "sqrt" is a function: write sqrt(...)'],
    ['sqrt(1, 2)', 'syntax error at position 1: sqrt takes 1 argument, got 2'],
    ['max()', 'syntax error at position 1: max takes at least 1 argument, got 0'],
    ['1 / 0', 'math error at position 3: division by zero'],
    ['5 % (2 - 2)', 'math error at position 3: modulo by zero'],
    ['0 ^ -1', 'math error at position 3: division by zero'],
    ['1 + sqrt(-4)', 'math error at position 5: the result is not a real number'],
    ['10 ^ 400', 'math error at position 4: the result is not a finite number'],
    ['1e400', 'syntax error at position 1: the number 1e400 is too large'],
    ['round(1.5, 0.5)', 'math error at position 1: round digits must be a whole number from 0 to 15'],
    ['('.repeat(150) + '1' + ')'.repeat(150), 'syntax error at position 101: the expression is nested too deeply'],
  ])('%s → %s', (expression, message) => {
    let error: unknown;
    try {
      evaluateExpression(expression);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toBe(message);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'rejects the inherited object name %s as a constant and as a function',
    (name) => {
      const functions =
        'abs, sqrt, cbrt, floor, ceil, trunc, round, min, max, sin, cos, tan, asin, acos, atan, exp, ln, log, log2, log10';
      expect(() => evaluateExpression(`${name} + 1`)).toThrow(
        new ExpressionError('syntax', 1, `unknown name "${name}" (constants: pi, e, tau)`),
      );
      expect(() => evaluateExpression(`${name}(1)`)).toThrow(
        new ExpressionError('syntax', 1, `unknown function "${name}" (functions: ${functions})`),
      );
    },
  );

  it('formats results without binary rounding noise', () => {
    expect(formatNumber(evaluateExpression('0.1 + 0.2'))).toBe('0.3');
    expect(formatNumber(evaluateExpression('1 / 3'))).toBe('0.333333333333');
    expect(formatNumber(evaluateExpression('2 ^ 70'))).toBe('1.18059162072e+21');
  });
});
