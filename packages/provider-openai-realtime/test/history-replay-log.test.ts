import { describe, expect, it } from 'vitest';
import { ConversationLog } from '../src/conversation-log.js';

describe('conversation log replayed after a reconnection', () => {
  it('keeps server order although transcripts arrive late, and only what was heard of a cut reply', () => {
    const log = new ConversationLog([{ type: 'message', role: 'system', text: 'Be brief.' }]);
    log.reserve('item_user');
    log.reserve('item_reply');
    log.add({ type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{}' });
    log.add({ type: 'tool-result', id: 'call_1', output: '{"ok":true}' });
    log.reserve('item_cut');
    log.reserve('item_unheard');
    // Playback stopped a quarter into item_cut, before its transcript came; item_unheard was never played.
    log.cut('item_cut', 0.25);
    log.remove('item_unheard');
    log.setText('item_reply', 'assistant', 'Let me look that up.');
    log.setText('item_cut', 'assistant', 'one two three four five six seven eight');
    log.setText('item_unheard', 'assistant', 'never heard');
    log.setText('item_user', 'user', 'Where is my order?');
    expect(log.replay().items).toEqual([
      { type: 'message', role: 'system', text: 'Be brief.' },
      { type: 'message', role: 'user', text: 'Where is my order?' },
      { type: 'message', role: 'assistant', text: 'Let me look that up.' },
      { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{}' },
      { type: 'tool-result', id: 'call_1', output: '{"ok":true}' },
      { type: 'message', role: 'assistant', text: 'one two' },
    ]);
  });

  it('leaves out audio items whose text never came', () => {
    const log = new ConversationLog();
    log.reserve('item_a');
    expect(log.replay().items).toEqual([]);
  });

  it('replays a user turn as its audio until its transcript comes; keeps audio of the newest turns only', () => {
    const log = new ConversationLog([], { turns: 2, bytes: 10 });
    const audio = (n: number) => new Uint8Array(4).fill(n);
    log.reserveUserTurn('u1', audio(1));
    log.setText('a1', 'assistant', 'One.');
    log.reserveUserTurn('u2', audio(2));
    log.reserveUserTurn('u3', audio(3));
    // Three turns of 4 bytes, 2 turns and 10 bytes kept: u1 loses its audio.
    expect(log.replay()).toEqual({
      items: [
        { type: 'message', role: 'assistant', text: 'One.' },
        { type: 'user-audio', audio: audio(2) },
        { type: 'user-audio', audio: audio(3) },
      ],
      lostUserTurns: 1,
    });
    log.setText('u1', 'user', 'Hello.');
    log.setText('u3', 'user', 'Bye.');
    expect(log.replay()).toEqual({
      items: [
        { type: 'message', role: 'user', text: 'Hello.' },
        { type: 'message', role: 'assistant', text: 'One.' },
        { type: 'user-audio', audio: audio(2) },
        { type: 'message', role: 'user', text: 'Bye.' },
      ],
      lostUserTurns: 0,
    });
  });
});
