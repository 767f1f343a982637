// The hashing advisor's findings: plain objects used as hash maps (numeric or dynamic keys in a loop).
import type { Range } from '../../analysis/types.js';
import type { AdvisorVerdict } from '../layout/types.js';

export type HashingKind =
  /** `const counts: Record<number, number> = {}` indexed by computed keys in a loop → `Map`. */
  | 'object-as-map'
  /** The same with number values, nothing reading it after the loop, no `delete` → `HotloopIntTable`. */
  | 'object-as-int-table';

export interface HashingFinding {
  readonly advisor: 'hashing';
  readonly kind: HashingKind;
  readonly file: string;
  /** 1-based line of the object's declaration. */
  readonly line: number;
  readonly range: Range;
  readonly functionName: string;
  /** The object's name. */
  readonly object: string;
  readonly verdict: AdvisorVerdict;
}
