export {
  BUILTIN_TOOL_NAMES,
  type BuiltinToolName,
  builtinTools,
  calculator,
  currentTime,
  endSession,
} from './builtins/index.js';
export type { CallStatus } from './call-outcomes.js';
export { evaluateExpression } from './expression/evaluate.js';
export { ExpressionError } from './expression/syntax.js';
export { parametersJsonSchema } from './json-schema.js';
export type { McpServerSource } from './mcp-tools.js';
export type { ModuleToolSource } from './module-tools.js';
export { toolRouterNode } from './router-node.js';
export { defineTool, isTool, type Tool, type ToolContext, type ToolDefinition, toolSpec } from './tool.js';
export type { ToolSource } from './tool-sources.js';
