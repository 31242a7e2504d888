import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const examples = fileURLToPath(new URL('../', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/core/dist/cli/bin.js', import.meta.url));
const files = readdirSync(examples).filter((f) => f.endsWith('.yaml'));

// The schema an editor gets (`beluga schema` where the examples' packages are installed), checked
// with formats on, as yaml-language-server checks them.
const schema = JSON.parse(execFileSync(process.execPath, [bin, 'schema'], { cwd: examples, encoding: 'utf8' }));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

describe('every shipped example is valid against the JSON Schema an editor uses', () => {
  it('finds the examples', () => {
    expect(files).toEqual([
      'browser-echo.yaml',
      'browser-openai.yaml',
      'echo-demo.yaml',
      'openai-realtime.yaml',
      'openai-tools.yaml',
      'telephony.yaml',
      'tool-calling.yaml',
      'twilio-echo.yaml',
    ]);
  });

  for (const file of files) {
    it(file, () => {
      validate(parse(readFileSync(join(examples, file), 'utf8')));
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
      expect(errors).toEqual([]);
    });
  }

  it('still rejects a malformed URL that holds no variable', () => {
    const document = parse(readFileSync(join(examples, 'openai-realtime.yaml'), 'utf8'));
    document.nodes.agent.config.baseUrl = 'not a url';
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toContain(
      '/nodes/agent/config/baseUrl must match format "uri"',
    );
  });
});
