// The columnar advisor: records read field by field in pipelines → typed columns built once.
import { adviseAll, applyAll } from '../common.js';
import { adviseColumnar } from './detect.js';
import type { ColumnarFinding } from './types.js';

export { adviseColumnar, SMALL_RECORDS } from './detect.js';
export type { ColumnarFinding, ColumnarVerdict, ColumnType, RecordSource } from './types.js';

/** `text` with every rewritable finding applied, one at a time (re-analysed after each), at most `max`. */
export function applyColumnar(
  fileName: string,
  text: string,
  max = 100,
): { text: string; rewritten: number } {
  return applyAll(adviseColumnar, fileName, text, max);
}

/** Columnar findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseColumnarFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<ColumnarFinding[]> {
  // A cheap text test first: most files have no pipeline.
  return adviseAll(adviseColumnar, files, rootDir, (text) => /\.(filter|reduce)\(/.test(text));
}
