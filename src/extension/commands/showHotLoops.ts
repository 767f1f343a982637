import * as vscode from 'vscode';
import { hotLoopsViewId } from '../tree/hotLoopsTree.js';
import type { HotloopCommand } from './types.js';

/** `Hotloop: Show hot loops` — focuses the Hot loops view (its first reveal starts the workspace scan). */
export const showHotLoopsCommand: HotloopCommand = {
  id: 'hotloop.showHotLoops',
  run: async () => {
    await vscode.commands.executeCommand(`${hotLoopsViewId}.focus`);
  },
};
