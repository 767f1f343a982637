// Light-bulb action on a zero-copy finding: "Hotloop: copy the file with copyFile (no bytes through
// JS)" or "Hotloop: collect the chunks and Buffer.concat once" — the advisor's edits as one
// WorkspaceEdit. Parses only documents that mention readFile or Buffer.concat.
import * as vscode from 'vscode';
import type { ZeroCopyFinding } from '../../core/advisors/zerocopy/index.js';
import type { Services } from '../services.js';

const TITLES: Record<ZeroCopyFinding['kind'], string> = {
  'read-write-copy': 'Hotloop: copy the file with copyFile (the bytes never cross into JS)',
  'concat-in-loop': 'Hotloop: collect the chunks and Buffer.concat once after the loop',
  'file-response': 'Hotloop: stream the file into the response (pipeline + createReadStream)',
  'post-untransferred': "Hotloop: transfer the typed array's buffer instead of copying it",
};

/** The action for one rewritable finding. */
export function zeroCopyAction(
  document: vscode.TextDocument,
  f: ZeroCopyFinding,
): vscode.CodeAction | undefined {
  if (f.verdict.kind !== 'rewrite') return undefined;
  const a = new vscode.CodeAction(TITLES[f.kind], vscode.CodeActionKind.RefactorRewrite);
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

export function registerZeroCopyCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const text = document.getText();
      if (!/readFile|Buffer\.concat|postMessage/.test(text)) return [];
      const line = range.start.line;
      return services
        .engine()
        .adviseZeroCopy(document.fileName, text)
        .filter((f) => line >= f.range.start.line && line <= f.range.end.line)
        .flatMap((f) => zeroCopyAction(document, f) ?? []);
    },
  };
  return vscode.languages.registerCodeActionsProvider(selector, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
  });
}
