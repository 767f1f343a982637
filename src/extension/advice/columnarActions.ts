// Light-bulb action on a columnar finding: "Hotloop: read `trades` through typed columns (built
// once)" — the advisor's edits (the columns after the parse, one loop per pipeline) as one
// WorkspaceEdit. Parses only documents that have a `.filter(`/`.reduce(` pipeline.
import type * as vscode from 'vscode';
import type { ColumnarFinding } from '../../core/advisors/columnar/index.js';
import type { Services } from '../services.js';
import { registerEditActions } from './rewriteActions.js';

const title = (f: ColumnarFinding): string =>
  `Hotloop: read \`${f.records}\` through typed columns built once (${f.verdict.kind === 'rewrite' ? f.verdict.pipelines : 0} pipeline(s) → loops)`;

export function registerColumnarCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  return registerEditActions(
    selector,
    /\.(filter|reduce)\(/,
    (file, text) => services.engine().adviseColumnar(file, text),
    title,
  );
}
