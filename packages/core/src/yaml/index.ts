export { type FileIssue, type FileIssueCode, formatFileIssue, formatFileIssues } from './file-issue.js';
export { type Env, interpolate } from './interpolate.js';
export { pipelineJsonSchema } from './json-schema.js';
export {
  type LoadedPipeline,
  type LoadFileOptions,
  type LoadOptions,
  loadPipeline,
  loadPipelineFile,
  loadPipelineSource,
} from './loader.js';
export { secretVariableName } from './secret-references.js';
export { graphSpecToYaml, type ToYamlOptions } from './to-yaml.js';
