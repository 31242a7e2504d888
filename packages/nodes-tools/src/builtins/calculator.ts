import { z } from 'zod';
import { CONSTANT_NAMES, evaluateExpression, FUNCTION_NAMES } from '../expression/evaluate.js';
import { defineTool } from '../tool.js';

/** Twelve significant digits hide binary rounding noise (0.1 + 0.2 reads 0.3). */
export function formatNumber(value: number): string {
  return String(Number.parseFloat(value.toPrecision(12)));
}

export const calculator = defineTool({
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression exactly; use it instead of doing arithmetic yourself. ' +
    'Operators: + - * / ^ (power) % (remainder), parentheses, unary minus. ' +
    `Functions: ${FUNCTION_NAMES.join(', ')} (trigonometry in radians; log(x) is base 10, log(x, b) base b, ln natural). ` +
    `Constants: ${CONSTANT_NAMES.join(', ')}.`,
  parameters: z.object({
    expression: z.string().min(1).max(1000).describe('The expression, e.g. "(12.5 * 4) / sqrt(16) + 2^3"'),
  }),
  execute: ({ expression }) => formatNumber(evaluateExpression(expression)),
});
