// Commands of the Categories & Memos board.
import type { CategoryBoard } from './categoryBoard';
import type { CommandTable } from './commands';

export function createBoardCommands(board: CategoryBoard): CommandTable {
  return {
    'grounded.openCategoryBoard': () => {
      board.openPanel();
    },
    /** Writes a memo on the board's selected node: focuses its editor, starting a memo if it has none. */
    'grounded.newMemo': () => board.command('newMemo'),
  };
}
