// Light-bulb actions on layout and hashing findings: "Hotloop: read points as typed columns
// (struct of arrays)", "Hotloop: one flat Float64Array for m's rows", "Hotloop: use a Map for counts"
// — the advisor's edits as one WorkspaceEdit. Parses only documents with a loop.
import type * as vscode from 'vscode';
import type { HashingFinding } from '../../core/advisors/hashing/index.js';
import type { LayoutFinding } from '../../core/advisors/layout/index.js';
import type { Services } from '../services.js';
import { registerEditActions } from './rewriteActions.js';

function title(f: LayoutFinding | HashingFinding): string {
  switch (f.advisor) {
    case 'layout':
      return f.kind === 'objects-to-columns'
        ? `Hotloop: read ${f.array} as typed columns (struct of arrays)`
        : `Hotloop: one flat Float64Array for ${f.array}'s rows`;
    case 'hashing':
      return f.kind === 'object-as-int-table'
        ? `Hotloop: use a typed integer table for ${f.object}`
        : `Hotloop: use a Map for ${f.object}`;
    default: {
      const never: never = f;
      return never;
    }
  }
}

export function registerDataCodeActions(
  services: Services,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  return registerEditActions<LayoutFinding | HashingFinding>(
    selector,
    /\b(for|while)\s*\(/,
    (file, text) => {
      const engine = services.engine();
      return [...engine.adviseLayout(file, text), ...engine.adviseHashing(file, text)];
    },
    title,
  );
}
