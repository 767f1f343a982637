import * as vscode from 'vscode';
import type { HotloopCommand } from './types.js';

/** Internal (the main lens's click): moves the cursor to the loop header and shows the facts hover. */
export const explainLoopCommand: HotloopCommand = {
  id: 'hotloop.explainLoop',
  run: async (_ctx, uri, line, character) => {
    if (!(uri instanceof vscode.Uri) || typeof line !== 'number' || typeof character !== 'number') return;
    const at = new vscode.Position(line, character);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), preserveFocus: false });
    await vscode.commands.executeCommand('editor.action.showHover');
  },
};
