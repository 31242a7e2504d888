/** The TwiML that connects a call to this server (bidirectional: `<Connect><Stream>`), declared parameters included. */
export function twimlSnippet(streamUrl: string, parameters: Iterable<string>): string {
  const params = [...parameters].map((name) => `\n      <Parameter name="${name}" value="…"/>`).join('');
  const stream = params ? `<Stream url="${streamUrl}">${params}\n    </Stream>` : `<Stream url="${streamUrl}"/>`;
  return `<Response>\n  <Connect>\n    ${stream}\n  </Connect>\n</Response>`;
}
