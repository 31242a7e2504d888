import { openaiRealtimeNode } from './openai-realtime-node.js';

export const nodes = [openaiRealtimeNode];
