// The columnar advisor: records read field by field in pipelines → typed columns built once.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyEdits } from '../io/index.js';
import { adviseColumnar } from './detect.js';
import type { ColumnarFinding } from './types.js';

export { adviseColumnar, SMALL_RECORDS } from './detect.js';
export type { ColumnarFinding, ColumnarVerdict, ColumnType, RecordSource } from './types.js';

/** `text` with every rewritable finding applied, one at a time (the file is analysed again after each). */
export function applyColumnar(
  fileName: string,
  text: string,
  max = 100,
): { text: string; rewritten: number } {
  let out = text;
  let rewritten = 0;
  for (; rewritten < max; rewritten++) {
    const next = adviseColumnar(fileName, out).find((f) => f.verdict.kind === 'rewrite');
    if (!next || next.verdict.kind !== 'rewrite') break;
    out = applyEdits(out, next.verdict.edits);
  }
  return { text: out, rewritten };
}

/** Columnar findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseColumnarFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<ColumnarFinding[]> {
  const out: ColumnarFinding[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(resolve(rootDir, f.file), 'utf8');
    } catch {
      continue;
    }
    // A cheap text test first: most files have no pipeline.
    if (/\.(filter|reduce)\(/.test(text)) out.push(...adviseColumnar(f.file, text));
  }
  return out;
}
