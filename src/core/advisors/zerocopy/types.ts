// The zero-copy advisor's findings: bytes copied through JS that need not be.
import type { Range } from '../../analysis/types.js';
import type { TextEdit } from '../types.js';

export type ZeroCopyKind =
  /** `const b = await readFile(a); await writeFile(c, b)` → `await copyFile(a, c)` (the kernel copies). */
  | 'read-write-copy'
  /** `acc = Buffer.concat([acc, chunk])` in a loop (quadratic copying) → collect, concat once. */
  | 'concat-in-loop'
  /** `res.end(await readFile(p))` in an HTTP handler → `await pipeline(createReadStream(p), res)`. */
  | 'file-response'
  /** `port.postMessage(typedArray)` without a transfer list → `postMessage(a, [a.buffer])`. */
  | 'post-untransferred';

export type ZeroCopyVerdict =
  | {
      readonly kind: 'rewrite';
      readonly summary: string;
      readonly assumes: string;
      readonly edits: readonly TextEdit[];
    }
  | { readonly kind: 'left-alone'; readonly reason: string };

export interface ZeroCopyFinding {
  readonly advisor: 'zerocopy';
  readonly kind: ZeroCopyKind;
  readonly file: string;
  /** 1-based line of the statement the finding starts at. */
  readonly line: number;
  readonly range: Range;
  readonly functionName: string;
  readonly verdict: ZeroCopyVerdict;
}
