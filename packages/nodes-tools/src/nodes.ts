import { toolRouterNode } from './router-node.js';

export const nodes = [toolRouterNode];
