import { z } from 'zod';
import { defineTool } from '../tool.js';

export const endSession = defineTool({
  name: 'end_session',
  description:
    'Ends the conversation after your current reply. Call it when the user says goodbye or asks to hang up, ' +
    'then say a short goodbye.',
  parameters: z.object({
    reason: z.string().max(200).optional().describe('Why the conversation ends, for the logs'),
  }),
  execute: ({ reason }, ctx) => {
    ctx.control.send({ type: 'end-session', reason: reason ?? 'end_session tool' });
    return 'The session will end after this reply. Say goodbye now.';
  },
});
