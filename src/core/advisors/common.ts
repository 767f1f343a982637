// What the rewriting advisors (zero-copy, layout, hashing, columnar) share: applying every rewritable
// finding of a file one at a time (each rewrite may touch the same import, so the file is analysed
// again after each), and reading the analysed files with a cheap text test before the parse.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { applyEdits } from './io/index.js';
import type { TextEdit } from './types.js';

/** A finding whose verdict may be a rewrite (a list of edits of the file's text). */
export interface RewritableFinding {
  readonly verdict: { readonly kind: string; readonly edits?: readonly TextEdit[] };
}

export type Advise<F> = (fileName: string, text: string) => F[];

/** `text` with every rewritable finding of `advise` applied, one at a time, at most `max`. */
export function applyAll<F extends RewritableFinding>(
  advise: Advise<F>,
  fileName: string,
  text: string,
  max = 100,
): { text: string; rewritten: number } {
  let out = text;
  let rewritten = 0;
  for (; rewritten < max; rewritten++) {
    const edits = advise(fileName, out).find((f) => f.verdict.kind === 'rewrite')?.verdict.edits;
    if (!edits) break;
    out = applyEdits(out, edits);
  }
  return { text: out, rewritten };
}

/**
 * Findings of `advise` over analysed files (names relative to `rootDir`), parsing only the files whose
 * text passes `mentions` (a cheap test: most files never show the pattern); unreadable files are skipped.
 */
export async function adviseAll<F>(
  advise: Advise<F>,
  files: readonly { readonly file: string }[],
  rootDir: string,
  mentions: (text: string) => boolean,
): Promise<F[]> {
  const out: F[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(resolve(rootDir, f.file), 'utf8');
    } catch {
      continue;
    }
    if (mentions(text)) out.push(...advise(f.file, text));
  }
  return out;
}
