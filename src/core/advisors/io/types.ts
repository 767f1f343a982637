// The IO advisor's findings: a loop that awaits, and whether its iterations are independent.
import type { Range } from '../../analysis/types.js';
import type { TextEdit } from '../types.js';

export type IoLoopKind = 'for' | 'for-of' | 'for-await' | 'while' | 'do-while';

/** Default number of awaits in flight for the rewrite (`--concurrency`, `hotloop.io.concurrency`). */
export const DEFAULT_IO_CONCURRENCY = 8;

/** The rewrite of one loop: the loop's replacement, plus the helper function when the file lacks it. */
export interface IoRewrite {
  readonly concurrency: number;
  readonly loop: TextEdit;
  /** Appends `hotloopMapInOrder` to the file; absent when the file already defines it. */
  readonly helper?: TextEdit;
}

export type IoVerdict =
  /** Independent items: the awaits can run concurrently; `assumes` says what the analysis took on trust. */
  | { readonly kind: 'independent'; readonly assumes: string; readonly rewrite: IoRewrite }
  /** Each iteration needs the previous one's result (pagination, a cursor): left alone. */
  | { readonly kind: 'dependent'; readonly reason: string }
  /** Independent or not, a concurrent rewrite would change what the program does: left alone. */
  | { readonly kind: 'not-rewritable'; readonly reason: string };

export interface IoLoopFinding {
  readonly advisor: 'io';
  readonly file: string;
  /** 1-based line of the loop's first line. */
  readonly line: number;
  readonly range: Range;
  readonly loopKind: IoLoopKind;
  /** Innermost enclosing function (`<module>` at top level). */
  readonly functionName: string;
  /** The awaited expressions in the loop body (source text, shortened), in order. */
  readonly awaits: readonly string[];
  readonly verdict: IoVerdict;
}

/** One line for people: what the advisor says about the loop. */
export function ioSummary(f: IoLoopFinding): string {
  switch (f.verdict.kind) {
    case 'independent':
      return `IO-bound loop over independent items: run the awaits concurrently, at most ${f.verdict.rewrite.concurrency} in flight, results and errors in input order (a worker, WebAssembly or native rewrite would not help)`;
    case 'dependent':
      return `IO-bound loop, left sequential: ${f.verdict.reason}`;
    case 'not-rewritable':
      return `IO-bound loop, left as is: ${f.verdict.reason}`;
    default: {
      const never: never = f.verdict;
      return never;
    }
  }
}
