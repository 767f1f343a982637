// Light-bulb action on a zero-copy finding: "Hotloop: copy the file with copyFile (no bytes through
// JS)" or "Hotloop: collect the chunks and Buffer.concat once" — the advisor's edits as one
// WorkspaceEdit. Parses only documents that mention readFile or Buffer.concat.
import type * as vscode from 'vscode';
import type { ZeroCopyFinding } from '../../core/advisors/zerocopy/index.js';
import type { Services } from '../services.js';
import { registerEditActions } from './rewriteActions.js';

const TITLES: Record<ZeroCopyFinding['kind'], string> = {
  'read-write-copy': 'Hotloop: copy the file with copyFile (the bytes never cross into JS)',
  'concat-in-loop': 'Hotloop: collect the chunks and Buffer.concat once after the loop',
  'file-response': 'Hotloop: stream the file into the response (pipeline + createReadStream)',
  'post-untransferred': "Hotloop: transfer the typed array's buffer instead of copying it",
};

export function registerZeroCopyCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  return registerEditActions(
    selector,
    /readFile|Buffer\.concat|postMessage/,
    (file, text) => services.engine().adviseZeroCopy(file, text),
    (f) => TITLES[f.kind],
  );
}
