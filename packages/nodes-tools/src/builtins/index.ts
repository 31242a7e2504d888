import type { Tool } from '../tool.js';
import { calculator } from './calculator.js';
import { currentTime } from './current-time.js';
import { endSession } from './end-session.js';

export { calculator, currentTime, endSession };

/** The built-in tools by name, as YAML pipelines list them. */
export const builtinTools = {
  calculator,
  current_time: currentTime,
  end_session: endSession,
} as const satisfies Record<string, Tool>;

export type BuiltinToolName = keyof typeof builtinTools;
export const BUILTIN_TOOL_NAMES = Object.keys(builtinTools) as [BuiltinToolName, ...BuiltinToolName[]];
