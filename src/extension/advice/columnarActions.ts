// Light-bulb action on a columnar finding: "Hotloop: read `trades` through typed columns (built
// once)" — the advisor's edits (the columns after the parse, one loop per pipeline) as one
// WorkspaceEdit. Parses only documents that have a `.filter(`/`.reduce(` pipeline.
import * as vscode from 'vscode';
import type { ColumnarFinding } from '../../core/advisors/columnar/index.js';
import type { Services } from '../services.js';

/** The action for one rewritable finding. */
export function columnarAction(
  document: vscode.TextDocument,
  f: ColumnarFinding,
): vscode.CodeAction | undefined {
  if (f.verdict.kind !== 'rewrite') return undefined;
  const a = new vscode.CodeAction(
    `Hotloop: read \`${f.records}\` through typed columns built once (${f.verdict.pipelines} pipeline(s) → loops)`,
    vscode.CodeActionKind.RefactorRewrite,
  );
  const edit = new vscode.WorkspaceEdit();
  for (const e of f.verdict.edits)
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)),
      e.text,
    );
  a.edit = edit;
  return a;
}

export function registerColumnarCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const text = document.getText();
      if (!/\.(filter|reduce)\(/.test(text)) return [];
      const line = range.start.line;
      return services
        .engine()
        .adviseColumnar(document.fileName, text)
        .filter((f) => line >= f.range.start.line && line <= f.range.end.line)
        .flatMap((f) => columnarAction(document, f) ?? []);
    },
  };
  return vscode.languages.registerCodeActionsProvider(selector, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
  });
}
