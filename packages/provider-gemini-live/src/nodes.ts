import { geminiLiveNode } from './gemini-live-node.js';

export const nodes = [geminiLiveNode];
