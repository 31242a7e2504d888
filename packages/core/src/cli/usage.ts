import { readFileSync } from 'node:fs';

/** Each command's own usage, printed by `beluga <command> --help`. */
export const COMMAND_USAGE = {
  run: `usage: beluga run <pipeline.yaml> [--events FILE] [--verbose]

Builds and runs the pipeline; progress and live metrics on stderr.
  --events FILE   write every bus event and non-audio frame as JSON lines
  --verbose       also print the nodes' info and debug log lines (warnings and errors always show)
Ctrl-C (or SIGTERM) drains, a second one aborts (exit 130).
`,
  validate: `usage: beluga validate <pipeline.yaml | ->

Checks node types, config, links and caps without running; lists every problem as
file:line:column and exits 1 if there is one. "-" reads the pipeline from standard input
(relative paths then start from the current folder):
  beluga graph pipeline.yaml --format yaml | beluga validate -
`,
  graph: `usage: beluga graph <pipeline.yaml | -> [--format mermaid|dot|yaml]

Prints the graph as built (converters inserted by autoConvert included).
  --format mermaid   a Mermaid flowchart (default)
  --format dot       Graphviz
  --format yaml      the normalized pipeline file; values written with \${VARIABLES} keep them,
                     other secrets are written as \${NODE_KEY}
`,
  nodes: `usage: beluga nodes [--json]

Lists the node types installed where it runs, with their ports and config fields.
  --json   as JSON
`,
  schema: `usage: beluga schema

Prints the JSON Schema of pipeline files for the installed node types, for editors:
  beluga schema > pipeline.schema.json
  # yaml-language-server: $schema=./pipeline.schema.json      (first line of a pipeline file)
`,
  'mock-openai': `usage: beluga mock-openai [--port N] [--host H] [--api-key K] [--tls [--cert FILE --key FILE]]
                          [--protocol auto|ga|beta] [--script FILE.json]

Serves a local mock of the OpenAI Realtime API (needs @beluga-voice/provider-openai-realtime);
prints "listening ws://127.0.0.1:N/v1/realtime" and serves until Ctrl-C.
  --port N            port to listen on (default 8765; 0 picks a free one)
  --host H            address to listen on (default 127.0.0.1)
  --api-key K         the only API key accepted (default: any)
  --tls               serve wss:// with a self-signed certificate made at start (needs openssl)
  --cert/--key FILE   serve wss:// with these PEM files instead
  --protocol P        auto (default), ga or beta
  --script FILE.json  what the mock answers: replies, audio, latencies
`,
  'mock-gemini': `usage: beluga mock-gemini [--port N] [--host H] [--api-key K] [--script FILE.json]

Serves a local mock of the Gemini Live API (needs @beluga-voice/provider-gemini-live); prints
"listening ws://127.0.0.1:N" and serves until Ctrl-C.
  --port N            port to listen on (0 picks a free one)
  --host H            address to listen on (default 127.0.0.1)
  --api-key K         the only API key accepted (default: any)
  --script FILE.json  what the mock answers: replies, audio, function calls
`,
  serve: `usage: beluga serve <pipeline.yaml> [--port N] [--host H] [--max-sessions N] [--drain-timeout S]
                    [--token T] [--allow-origin URL]... [--public-url URL] [--events FILE]
                    [--max-message-bytes N] [--max-message-rate N] [--workers N]

Serves the pipeline to live callers, one pipeline instance per connection (needs
@beluga-voice/transport-websocket): the browser page at /, Twilio Media Streams at /twilio,
/healthz, /readyz and /metrics (Prometheus). Prints "listening http://HOST:PORT" once ready.
SIGTERM or Ctrl-C drains (readyz 503, live sessions finish within --drain-timeout), a second one
ends at once.
  --workers N   N processes (one event loop per core) on the one port; --max-sessions applies to each,
                /readyz answers for the worker reached, /metrics gives every worker's series (label worker)
`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMAND_USAGE, name);

export const USAGE = `beluga: run and inspect Beluga Voice pipelines

usage:
  beluga run <pipeline.yaml> [--events FILE] [--verbose]
      build and run; progress and live metrics on stderr; --events writes every bus
      event and non-audio frame as JSON lines. Ctrl-C (or SIGTERM) drains, a second one aborts.
  beluga validate <pipeline.yaml | ->   check types, config, links and caps without running
  beluga graph <pipeline.yaml | -> [--format mermaid|dot|yaml]
      prints the graph as built; yaml writes it back as a pipeline file (variables kept)
  beluga nodes [--json]                 installed node types and their config fields
  beluga schema                         JSON Schema of pipeline files for the installed nodes
                                        (for yaml-language-server: beluga schema > pipeline.schema.json)
  beluga mock-openai [--port N] [--host H] [--api-key K] [--tls [--cert FILE --key FILE]]
                     [--protocol auto|ga|beta] [--script FILE.json]
                                        the OpenAI Realtime mock server (needs @beluga-voice/provider-openai-realtime);
                                        prints "listening ws://127.0.0.1:N/v1/realtime" and serves until Ctrl-C
  beluga mock-gemini [--port N] [--host H] [--api-key K] [--script FILE.json]
                                        the Gemini Live mock server (needs @beluga-voice/provider-gemini-live);
                                        prints "listening ws://127.0.0.1:N" and serves until Ctrl-C
  beluga serve <pipeline.yaml> [--port N] [--host H] [--max-sessions N] [--drain-timeout S] [--token T]
               [--allow-origin URL]... [--public-url URL] [--events FILE] [--max-message-bytes N] [--max-message-rate N]
               [--workers N]
                                        serves the pipeline to live callers, one instance per connection: a browser
                                        page at /, Twilio Media Streams at /twilio, /healthz, /readyz, /metrics
                                        (needs @beluga-voice/transport-websocket); SIGTERM drains, a second one ends at once
  beluga <command> --help               that command's usage
  beluga --version                      the version of @beluga-voice/core

exit codes:
  0    success (run: the pipeline ended, or drained after Ctrl-C)
  1    invalid pipeline file or command line (every problem is listed as file:line:column)
  2    the pipeline or the command failed at run time
  130  aborted by a second Ctrl-C
`;

/** The version of the installed `@beluga-voice/core` (this file is two folders below its package.json). */
export function coreVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
