import { parseExpression } from './parser.js';
import { type Expr, ExpressionError } from './syntax.js';

interface MathFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  apply(args: readonly number[], position: number): number;
}

const unaryFn = (fn: (x: number) => number): MathFunction => ({ minArgs: 1, maxArgs: 1, apply: ([x]) => fn(x) });

const FUNCTION_TABLE: Readonly<Record<string, MathFunction>> = {
  abs: unaryFn(Math.abs),
  sqrt: unaryFn(Math.sqrt),
  cbrt: unaryFn(Math.cbrt),
  floor: unaryFn(Math.floor),
  ceil: unaryFn(Math.ceil),
  trunc: unaryFn(Math.trunc),
  round: {
    minArgs: 1,
    maxArgs: 2,
    apply: ([x, digits = 0], position) => {
      if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
        throw new ExpressionError('math', position, 'round digits must be a whole number from 0 to 15');
      }
      const scale = 10 ** digits;
      return Math.round(x * scale) / scale;
    },
  },
  min: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.min(...args) },
  max: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.max(...args) },
  sin: unaryFn(Math.sin),
  cos: unaryFn(Math.cos),
  tan: unaryFn(Math.tan),
  asin: unaryFn(Math.asin),
  acos: unaryFn(Math.acos),
  atan: unaryFn(Math.atan),
  exp: unaryFn(Math.exp),
  ln: unaryFn(Math.log),
  log: {
    minArgs: 1,
    maxArgs: 2,
    apply: ([x, base = 10]) => (base === 10 ? Math.log10(x) : Math.log(x) / Math.log(base)),
  },
  log2: unaryFn(Math.log2),
  log10: unaryFn(Math.log10),
};

/**
 * Names resolve through Maps, not object lookups: a model's `constructor` or `__proto__` must not
 * reach Object.prototype.
 */
const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map(Object.entries(FUNCTION_TABLE));
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
]);

export const FUNCTION_NAMES = [...FUNCTIONS.keys()];
export const CONSTANT_NAMES = [...CONSTANTS.keys()];

/** Evaluates an arithmetic expression without `eval`; throws `ExpressionError` with a position. */
export function evaluateExpression(source: string): number {
  return evaluate(parseExpression(source));
}

function evaluate(expr: Expr): number {
  switch (expr.type) {
    case 'number':
      return expr.value;
    case 'name':
      return constant(expr.name, expr.position);
    case 'negate':
      return -evaluate(expr.operand);
    case 'binary':
      return checked(binary(expr.operator, evaluate(expr.left), evaluate(expr.right), expr.position), expr.position);
    case 'call':
      return checked(call(expr.name, expr.args.map(evaluate), expr.position), expr.position);
  }
}

function constant(name: string, position: number): number {
  const value = CONSTANTS.get(name.toLowerCase());
  if (value !== undefined) return value;
  if (FUNCTIONS.has(name.toLowerCase())) {
    throw new ExpressionError('syntax', position, `"${name}" is a function: write ${name}(...)`);
  }
  throw new ExpressionError('syntax', position, `unknown name "${name}" (constants: ${CONSTANT_NAMES.join(', ')})`);
}

function binary(operator: string, left: number, right: number, position: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      if (right === 0) throw new ExpressionError('math', position, 'division by zero');
      return left / right;
    case '%':
      if (right === 0) throw new ExpressionError('math', position, 'modulo by zero');
      return left % right;
    default:
      if (left === 0 && right < 0) throw new ExpressionError('math', position, 'division by zero');
      return left ** right;
  }
}

function call(name: string, args: readonly number[], position: number): number {
  const fn = FUNCTIONS.get(name.toLowerCase());
  if (!fn) {
    throw new ExpressionError(
      'syntax',
      position,
      `unknown function "${name}" (functions: ${FUNCTION_NAMES.join(', ')})`,
    );
  }
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    const expected =
      fn.minArgs === fn.maxArgs
        ? `${fn.minArgs}`
        : fn.maxArgs === Number.POSITIVE_INFINITY
          ? `at least ${fn.minArgs}`
          : `${fn.minArgs} to ${fn.maxArgs}`;
    const noun = expected.endsWith(' 1') || expected === '1' ? 'argument' : 'arguments';
    throw new ExpressionError('syntax', position, `${name} takes ${expected} ${noun}, got ${args.length}`);
  }
  return fn.apply(args, position);
}

function checked(value: number, position: number): number {
  if (Number.isNaN(value)) throw new ExpressionError('math', position, 'the result is not a real number');
  if (!Number.isFinite(value)) throw new ExpressionError('math', position, 'the result is not a finite number');
  return value;
}
