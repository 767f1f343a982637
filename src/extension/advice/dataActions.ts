// Light-bulb actions on layout and hashing findings: "Hotloop: read points as typed columns
// (struct of arrays)", "Hotloop: one flat Float64Array for m's rows", "Hotloop: use a Map for counts"
// — the advisor's edits as one WorkspaceEdit. Parses only documents with a loop.
import * as vscode from 'vscode';
import type { HashingFinding } from '../../core/advisors/hashing/index.js';
import type { LayoutFinding } from '../../core/advisors/layout/index.js';
import type { Services } from '../services.js';

function title(f: LayoutFinding | HashingFinding): string {
  switch (f.advisor) {
    case 'layout':
      return f.kind === 'objects-to-columns'
        ? `Hotloop: read ${f.array} as typed columns (struct of arrays)`
        : `Hotloop: one flat Float64Array for ${f.array}'s rows`;
    case 'hashing':
      return `Hotloop: use a Map for ${f.object}`;
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** The action for one rewritable finding. */
export function dataAction(
  document: vscode.TextDocument,
  f: LayoutFinding | HashingFinding,
): vscode.CodeAction | undefined {
  if (f.verdict.kind !== 'rewrite') return undefined;
  const a = new vscode.CodeAction(title(f), vscode.CodeActionKind.RefactorRewrite);
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

export function registerDataCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const text = document.getText();
      if (!/\b(for|while)\s*\(/.test(text)) return [];
      const line = range.start.line;
      const engine = services.engine();
      return [
        ...engine.adviseLayout(document.fileName, text),
        ...engine.adviseHashing(document.fileName, text),
      ]
        .filter((f) => line >= f.range.start.line && line <= f.range.end.line)
        .flatMap((f) => dataAction(document, f) ?? []);
    },
  };
  return vscode.languages.registerCodeActionsProvider(selector, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
  });
}
