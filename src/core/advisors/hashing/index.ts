// The hashing advisor: plain objects used as hash maps in loops → Map, or the typed integer table
// (HotloopIntTable) where it fits. Apply one finding at a time.
import { scriptKindOf, ts } from '../../analysis/ts.js';
import { adviseAll, applyAll } from '../common.js';
import { forEachDescendant } from '../io/scope.js';
import { functionOf, lineOf, rangeOf } from '../layout/syntax.js';
import { hashSite, hashVerdict } from './detect.js';
import type { HashingFinding } from './types.js';

export type { HashingFinding, HashingKind } from './types.js';

/** Finds the objects used as hash maps (and the look-alikes left alone) of one file. */
export function adviseHashing(fileName: string, text: string): HashingFinding[] {
  const kind = scriptKindOf(fileName);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const typescript = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
  const out: HashingFinding[] = [];
  const visit = (n: ts.Node): void => {
    const site = ts.isVariableStatement(n) ? hashSite(n) : undefined;
    if (!site) return;
    const chosen = { table: false };
    const verdict = hashVerdict(site, source, typescript, chosen);
    out.push({
      advisor: 'hashing',
      kind: verdict.kind === 'rewrite' && chosen.table ? 'object-as-int-table' : 'object-as-map',
      file: fileName,
      line: lineOf(source, n),
      range: rangeOf(source, n),
      functionName: functionOf(n).name,
      object: site.decl.name.text,
      verdict,
    });
  };
  visit(source);
  forEachDescendant(source, (n) => {
    visit(n);
    return true;
  });
  return out;
}

/** `text` with every rewritable finding applied, one at a time (re-analysed after each), at most `max`. */
export function applyHashing(fileName: string, text: string, max = 100): { text: string; rewritten: number } {
  return applyAll(adviseHashing, fileName, text, max);
}

/** Hashing findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseHashingFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<HashingFinding[]> {
  // A cheap text test first: an object literal or Object.create assigned, and an index somewhere.
  return adviseAll(
    adviseHashing,
    files,
    rootDir,
    (text) => /\w\s*\[/.test(text) && /=\s*(\{|Object\.create\()/.test(text),
  );
}
