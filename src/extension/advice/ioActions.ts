// Light-bulb action on an IO-bound loop: "Hotloop: run the awaits concurrently (≤ 8 in flight, in
// order)" — the IO advisor's rewrite as a WorkspaceEdit (the loop, plus the helper appended once).
// It is the only action an IO-bound loop gets: the kernel actions need a kernel, which an awaiting
// loop never has. The cursor must be on a loop the cached analysis marked `await`, so no parse runs
// while the cursor is elsewhere. Dependent loops get no action (the analysis's lens says why).
import * as vscode from 'vscode';
import type { LoopFacts } from '../../core/analysis/types.js';
import type { IoLoopFinding, TextEdit } from '../../core/advisors/io/index.js';
import type { Services } from '../services.js';

const onLine = (l: LoopFacts, line: number): boolean =>
  line >= l.range.start.line && line <= l.range.end.line;

function toRange(document: vscode.TextDocument, e: TextEdit): vscode.Range {
  return new vscode.Range(document.positionAt(e.start), document.positionAt(e.end));
}

/** The action for one independent IO finding. */
export function ioAction(document: vscode.TextDocument, f: IoLoopFinding): vscode.CodeAction | undefined {
  if (f.verdict.kind !== 'independent') return undefined;
  const { rewrite } = f.verdict;
  const a = new vscode.CodeAction(
    `Hotloop: run the awaits concurrently (at most ${rewrite.concurrency} in flight, results in order)`,
    vscode.CodeActionKind.RefactorRewrite,
  );
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, toRange(document, rewrite.loop), rewrite.loop.text);
  if (rewrite.helper)
    edit.insert(document.uri, document.positionAt(rewrite.helper.start), rewrite.helper.text);
  a.edit = edit;
  a.isPreferred = true;
  return a;
}

export function registerIoCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const analysis = services.analyses.peek(document);
      const line = range.start.line;
      const here = analysis?.loops.some(
        (l) => !l.verdict.translatable && l.verdict.code === 'await' && onLine(l, line),
      );
      if (!here) return [];
      const findings = services.engine().adviseIoLoops(document.fileName, document.getText(), {
        concurrency: services.settings.get('io.concurrency'),
      });
      // The innermost IO loop under the cursor (the last one starting at or before it).
      const at = findings.filter((f) => line >= f.range.start.line && line <= f.range.end.line).at(-1);
      const action = at ? ioAction(document, at) : undefined;
      return action ? [action] : [];
    },
  };
  return vscode.languages.registerCodeActionsProvider(selector, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
  });
}
