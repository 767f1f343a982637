// The zero-copy advisor: bytes copied through JS that the kernel (or one allocation) can move.
import { adviseAll, applyAll } from '../common.js';
import { adviseZeroCopy } from './detect.js';

export { adviseZeroCopy } from './detect.js';
export type { ZeroCopyFinding, ZeroCopyKind, ZeroCopyVerdict } from './types.js';
import type { ZeroCopyFinding } from './types.js';

/** `text` with every rewritable finding applied, one at a time (re-analysed after each), at most `max`. */
export function applyZeroCopy(
  fileName: string,
  text: string,
  max = 100,
): { text: string; rewritten: number } {
  return applyAll(adviseZeroCopy, fileName, text, max);
}

/** ZeroCopy findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseZeroCopyFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<ZeroCopyFinding[]> {
  // A cheap text test first: most files never mention either pattern.
  return adviseAll(adviseZeroCopy, files, rootDir, (text) =>
    /readFile|Buffer\.concat|postMessage/.test(text),
  );
}
