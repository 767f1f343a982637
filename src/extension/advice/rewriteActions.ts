// The light-bulb plumbing the rewriting advisors share (zero-copy, layout/hashing, columnar): a
// finding whose verdict is a list of edits becomes one WorkspaceEdit, offered when the cursor is on the
// finding's lines of a document whose text passes the advisor's cheap test.
import * as vscode from 'vscode';
import type { TextEdit } from '../../core/advisors/types.js';

/** A finding an action can be made of: where it is, and (when rewritable) its edits. */
export interface EditFinding {
  readonly range: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
  readonly verdict: { readonly kind: string; readonly edits?: readonly TextEdit[] };
}

/** The action for one finding (undefined unless its verdict is a rewrite). */
export function editAction(
  document: vscode.TextDocument,
  f: EditFinding,
  title: string,
): vscode.CodeAction | undefined {
  if (f.verdict.kind !== 'rewrite' || !f.verdict.edits) return undefined;
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.RefactorRewrite);
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

/**
 * Registers a RefactorRewrite provider: documents whose text passes `mentions` are advised (`advise`),
 * and each rewritable finding on the cursor's line becomes an action titled by `title`.
 */
export function registerEditActions<F extends EditFinding>(
  selector: vscode.DocumentSelector,
  mentions: RegExp,
  advise: (fileName: string, text: string) => readonly F[],
  title: (f: F) => string,
): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      if (context.only && !vscode.CodeActionKind.RefactorRewrite.intersects(context.only)) return [];
      const text = document.getText();
      if (!mentions.test(text)) return [];
      const line = range.start.line;
      return advise(document.fileName, text)
        .filter((f) => line >= f.range.start.line && line <= f.range.end.line)
        .flatMap((f) => editAction(document, f, title(f)) ?? []);
    },
  };
  return vscode.languages.registerCodeActionsProvider(selector, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite],
  });
}
