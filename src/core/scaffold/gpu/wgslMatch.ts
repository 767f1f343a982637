// The loop shapes the WGSL module lays out specially (a gemm nest, a per-row reduction): types only,
// a leaf that wgslModule.ts and the matchers (wgslTiled.ts, wgslRows.ts) share without an import cycle.
import type { Expr, Reduction, Stmt } from '../../ir/types.js';
import type { ForStmt } from '../../ir/stmtEmitter.js';

/** A gemm-shaped collapsed nest: the pieces the tiled shader is made of. */
export interface GemmMatch {
  readonly outer: ForStmt;
  readonly inner: ForStmt;
  /** The accumulator and its initial value (an expression of i and j). */
  readonly acc: string;
  readonly init: Expr;
  /** The loop over k, whose bounds the host knows. */
  readonly k: ForStmt;
  /** The factor of each term that does not read j, and the one that does not read i. */
  readonly x: Expr;
  readonly y: Expr;
  /** The statements after the k loop, run once per element. */
  readonly rest: readonly Stmt[];
}

/** A row reduction: the pieces its shader is made of. */
export interface RowMatch {
  readonly outer: ForStmt;
  /** The loop over j (parallel, one reduction: `acc`), whose bounds the host knows. */
  readonly inner: ForStmt;
  readonly acc: Reduction;
  /** The accumulator's initial value (an expression of i). */
  readonly init: Expr;
  /** The statements after the loop over j, run once per row. */
  readonly rest: readonly Stmt[];
}
