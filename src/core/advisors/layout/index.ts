// The memory-layout advisor: arrays of objects and arrays of rows read in hot loops → typed columns
// or one flat typed array, converted once before the hot region. Apply one finding at a time.
import { scriptKindOf, ts } from '../../analysis/ts.js';
import { adviseAll, applyAll } from '../common.js';
import { objectsSites, objectsVerdict } from './objects.js';
import { rowsSites, rowsVerdict } from './rows.js';
import { functionOf, lineOf, rangeOf } from './syntax.js';
import type { LayoutFinding } from './types.js';

export type { AdvisorVerdict, LayoutFinding, LayoutKind } from './types.js';

/** Finds the layout opportunities (and the look-alikes left alone) of one file. */
export function adviseLayout(fileName: string, text: string): LayoutFinding[] {
  const kind = scriptKindOf(fileName);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const typescript = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
  const base = (loop: ts.Node, array: string) => ({
    advisor: 'layout' as const,
    file: fileName,
    line: lineOf(source, loop),
    range: rangeOf(source, loop),
    functionName: functionOf(loop).name,
    array,
  });
  const out: LayoutFinding[] = [
    ...objectsSites(source).map((s) => ({
      ...base(s.loop, s.array.text),
      kind: 'objects-to-columns' as const,
      verdict: objectsVerdict(s, source, typescript),
    })),
    ...rowsSites(source).map((s) => ({
      ...base(s.loop, s.array.text),
      kind: 'rows-to-flat' as const,
      verdict: rowsVerdict(s, source, typescript),
    })),
  ];
  return out.sort((a, b) => a.line - b.line);
}

/** `text` with every rewritable finding applied, one at a time (re-analysed after each), at most `max`. */
export function applyLayout(fileName: string, text: string, max = 100): { text: string; rewritten: number } {
  return applyAll(adviseLayout, fileName, text, max);
}

/** Layout findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseLayoutFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<LayoutFinding[]> {
  // A cheap text test first: a loop that indexes or iterates at all.
  return adviseAll(adviseLayout, files, rootDir, (text) => /\bfor\s*\(/.test(text));
}
