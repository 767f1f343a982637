import * as vscode from 'vscode';
import { loopTable, summaryText } from '../lenses/lensModel.js';
import type { HotloopCommand } from './types.js';

/**
 * `Hotloop: Analyze file` — analyses the active editor now, logs a table of its loops, refreshes the
 * lenses and shows "N loops, M translatable". Returns the FileAnalysis (for tests and other features).
 */
export const analyzeFileCommand: HotloopCommand = {
  id: 'hotloop.analyzeFile',
  run: ({ services, lenses }) => {
    const editor = vscode.window.activeTextEditor;
    const { log } = services;
    if (!editor) {
      void vscode.window.showInformationMessage(
        'Hotloop: open a TypeScript or JavaScript file first, then run Analyze file.',
      );
      return undefined;
    }
    const document = editor.document;
    const name = vscode.workspace.asRelativePath(document.uri);
    if (!['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].includes(document.languageId)) {
      void vscode.window.showInformationMessage(
        `Hotloop analyses TypeScript and JavaScript; ${name} is ${document.languageId}.`,
      );
      return undefined;
    }
    try {
      const analysis = services.analyses.analyzeNow(document);
      log.info(`Analyze file: ${name}\n${analysis.loops.length ? loopTable(analysis) : '(no loops)'}`);
      for (const d of analysis.diagnostics)
        log.warn(`${name}${d.range ? `:${d.range.start.line + 1}` : ''}: ${d.message}`);
      lenses.refresh();
      const summary = `${name}: ${summaryText([analysis])}`;
      void vscode.window.showInformationMessage(`Hotloop: ${summary}`, 'Show log').then((c) => {
        if (c) log.show(true);
      });
      return analysis;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`Analyze file ${name} failed: ${message}`);
      void vscode.window
        .showErrorMessage(`Hotloop: could not analyse ${name}: ${message}`, 'Show log')
        .then((c) => {
          if (c) log.show(true);
        });
      return undefined;
    }
  },
};
