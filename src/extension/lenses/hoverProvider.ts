// Hover over a loop header: every fact of the loop (pattern, arrays, trip count, order, helpers, reason).
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { hoverMarkdown, loopAtLine } from './lensModel.js';

export class LoopHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const analysis = await this.services.analyses.analyze(document, token);
    if (!analysis || token.isCancellationRequested) return undefined;
    const loop = loopAtLine(analysis.loops, position.line);
    if (!loop) return undefined;
    // Only on the loop keyword / call up to the end of the header line, not on arbitrary text on the line.
    if (position.character < loop.range.start.character) return undefined;
    const markdown = new vscode.MarkdownString(hoverMarkdown(loop));
    const start = new vscode.Position(loop.range.start.line, loop.range.start.character);
    return new vscode.Hover(markdown, new vscode.Range(start, document.lineAt(start.line).range.end));
  }
}
