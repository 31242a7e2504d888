import type { AudioFormat } from '@beluga-voice/core';

/** What Twilio Media Streams carries both ways. */
export const TWILIO_FORMAT: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
