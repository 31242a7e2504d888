/** The TwiML that connects a call to this server (bidirectional: `<Connect><Stream>`), declared parameters included. */
export function twimlSnippet(streamUrl: string, parameters: Iterable<string>): string {
  const params = [...parameters].map((name) => `\n      <Parameter name="${name}" value="…"/>`).join('');
  const stream = params ? `<Stream url="${streamUrl}">${params}\n    </Stream>` : `<Stream url="${streamUrl}"/>`;
  return `<Response>\n  <Connect>\n    ${stream}\n  </Connect>\n</Response>`;
}

/** The Media Stream URL for a server reachable at `publicOrigin` (`https://calls.example.com`): `wss://…/twilio`. */
export function twilioStreamUrl(publicOrigin: string, path: string): string {
  return `${publicOrigin.replace(/^http/, 'ws').replace(/\/$/, '')}${path}`;
}
