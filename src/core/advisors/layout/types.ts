// The memory-layout advisor's findings: arrays of objects read field by field in a hot loop, and
// arrays of number rows, that want one contiguous typed array per field (or one for the whole matrix).
import type { Range } from '../../analysis/types.js';
import type { TextEdit } from '../types.js';

export type LayoutKind =
  /** `for (const p of points) s += p.x * p.w` / `pts[i].x` → one Float64Array per field read (struct of arrays). */
  | 'objects-to-columns'
  /** `m[i][j]` over a `number[][]` → one flat Float64Array with a stride. */
  | 'rows-to-flat';

/** What an advisor says about one site: the rewrite (edits, one code action), or why it is left alone. */
export type AdvisorVerdict =
  | {
      readonly kind: 'rewrite';
      readonly summary: string;
      readonly assumes: string;
      readonly edits: readonly TextEdit[];
    }
  | { readonly kind: 'left-alone'; readonly reason: string };

export interface LayoutFinding {
  readonly advisor: 'layout';
  readonly kind: LayoutKind;
  readonly file: string;
  /** 1-based line of the loop that reads the array. */
  readonly line: number;
  readonly range: Range;
  readonly functionName: string;
  /** The array's name. */
  readonly array: string;
  readonly verdict: AdvisorVerdict;
}
