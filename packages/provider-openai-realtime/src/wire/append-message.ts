/**
 * `input_audio_buffer.append` as JSON text, built around the base64 payload (whose alphabet needs
 * no escaping) instead of serialising an object that holds it: the payload is scanned once, when
 * it is encoded.
 */
export function appendMessage(eventId: string, audio: Uint8Array): string {
  const base64 = Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength).toString('base64');
  return `{"event_id":${JSON.stringify(eventId)},"type":"input_audio_buffer.append","audio":"${base64}"}`;
}
