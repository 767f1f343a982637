// The zero-copy advisor: bytes copied through JS that the kernel (or one allocation) can move.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyEdits } from '../io/index.js';
import { adviseZeroCopy } from './detect.js';

export { adviseZeroCopy } from './detect.js';
export type { ZeroCopyFinding, ZeroCopyKind, ZeroCopyVerdict } from './types.js';
import type { ZeroCopyFinding } from './types.js';

/**
 * `text` with every rewritable finding applied, one at a time (each rewrite may edit the same import,
 * so the file is analysed again after each), at most `max` rewrites.
 */
export function applyZeroCopy(
  fileName: string,
  text: string,
  max = 100,
): { text: string; rewritten: number } {
  let out = text;
  let rewritten = 0;
  for (; rewritten < max; rewritten++) {
    const next = adviseZeroCopy(fileName, out).find((f) => f.verdict.kind === 'rewrite');
    if (!next || next.verdict.kind !== 'rewrite') break;
    out = applyEdits(out, next.verdict.edits);
  }
  return { text: out, rewritten };
}

/** Zero-copy findings of analysed files (names relative to `rootDir`); files that cannot be read are skipped. */
export async function adviseZeroCopyFiles(
  files: readonly { readonly file: string }[],
  rootDir: string,
): Promise<ZeroCopyFinding[]> {
  const out: ZeroCopyFinding[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(resolve(rootDir, f.file), 'utf8');
    } catch {
      continue;
    }
    // A cheap text test first: most files never mention either pattern.
    if (/readFile|Buffer\.concat|postMessage/.test(text)) out.push(...adviseZeroCopy(f.file, text));
  }
  return out;
}
