// A user's file against @beluga-voice/core + @beluga-voice/provider-openai-realtime: one text turn
// with the bundled mock of the Realtime API; the reply's transcript and audio.
import type { S2SEvent } from '@beluga-voice/core';
import { OpenAIRealtimeProvider } from '@beluga-voice/provider-openai-realtime';
import { startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { filter, firstValueFrom, takeWhile, toArray } from 'rxjs';

const KEY = 'sk-packed-app-0123456789';
const server = await startMockServer({ port: 0, apiKey: KEY, script: { replies: [{ text: 'Hello from the mock.' }] } });
try {
  const provider = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl });
  const session = await provider.startSession({ systemPrompt: 'Answer in one sentence.' });
  const events = firstValueFrom(
    session.events$.pipe(
      takeWhile((e: S2SEvent) => e.type !== 'response-done', true),
      filter((e) => e.type === 'transcript' || e.type === 'audio' || e.type === 'response-done'),
      toArray(),
    ),
  );
  session.sendText('Say hello.');
  const seen = await events;
  await session.close();
  const final = seen.find((e) => e.type === 'transcript' && e.role === 'assistant' && e.final);
  const audioMs = seen.reduce((ms, e) => (e.type === 'audio' ? ms + (e.frame.samples.length / 24_000) * 1000 : ms), 0);
  console.log(JSON.stringify({ transcript: final?.type === 'transcript' ? final.text : null, audio: audioMs > 0 }));
} finally {
  await server.close();
}
