// The columnar advisor's findings: an array of records (parsed from CSV/JSON) that pipelines read
// numeric fields from, again and again → one typed column per numeric field, built once.
import type { Range } from '../../analysis/types.js';
import type { TextEdit } from '../types.js';

/** Where the records come from (what tells the advisor which fields are numbers). */
export type RecordSource =
  /** `lines.map((l) => ({ price: Number(…), … }))`: fields from the object literal's values. */
  | 'mapped-literal'
  /** `JSON.parse(…) as Row[]`, `rows: Row[]` (a variable or a parameter): fields from the local type. */
  | 'typed'
  /** `[{ … }, { … }]` written out in the source. */
  | 'array-literal';

export type ColumnarVerdict =
  | {
      readonly kind: 'rewrite';
      readonly summary: string;
      readonly assumes: string;
      /** The numeric fields that become columns, with their typed array. */
      readonly columns: readonly { readonly field: string; readonly type: ColumnType }[];
      /** How many pipelines read the columns instead of the records. */
      readonly pipelines: number;
      readonly edits: readonly TextEdit[];
    }
  | { readonly kind: 'left-alone'; readonly reason: string };

export type ColumnType = 'Float64Array' | 'Int32Array';

export interface ColumnarFinding {
  readonly advisor: 'columnar';
  readonly source: RecordSource;
  /** The records' variable (or parameter). */
  readonly records: string;
  readonly file: string;
  /** 1-based line of the records' declaration. */
  readonly line: number;
  readonly range: Range;
  readonly functionName: string;
  readonly verdict: ColumnarVerdict;
}
