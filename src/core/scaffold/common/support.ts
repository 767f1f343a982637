// The newer IR forms a target may not take yet, as one sentence a user understands (for decline reasons).
import type { Expr, Kernel, Stmt } from '../../ir/types.js';
import { exitsOf, hasUnusualStep, someExpr, someStmt, stmtExprs } from '../../ir/walk.js';
import { uncheckableStep } from './guards.js';

/** What a target can take of the newer IR forms. */
export interface FormSupport {
  /** `break` / `continue` inside loops. */
  readonly breakContinue: boolean;
  /** `return` (with or without a value). */
  readonly return: boolean;
  /** `throw` guards. */
  readonly throw: boolean;
  /** Descending loops and run-time steps. */
  readonly steps: boolean;
  /** Arrays of rows. */
  readonly rank2: boolean;
  /**
   * Run-time steps that read locals of the kernel (`i += k2` with `k2 = k + k` in the loop around it),
   * which no wrapper can check before the call: the target runs such a loop with JS's double
   * arithmetic whatever the step is (native). Absent: declined with the reason.
   */
  readonly localSteps?: boolean;
}

/** Why `target` declines `k`, or undefined when it can take every form `k` uses. */
export function unsupportedForm(k: Kernel, target: string, can: FormSupport): string | undefined {
  const e = exitsOf(k.body);
  const exits = [
    ...(!can.breakContinue && e.break ? ["'break'"] : []),
    ...(!can.breakContinue && e.continue ? ["'continue'"] : []),
    ...(!can.return && e.return ? ["'return'"] : []),
    ...(!can.throw && e.throw ? ["'throw'"] : []),
  ];
  if (exits.length)
    return `the ${target} target does not take loops that exit early yet (the kernel uses ${exits.join(', ')}); the original JS keeps running it`;
  if (!can.steps && hasUnusualStep(k.body))
    return `the ${target} target does not take descending loops or loops whose step is known only at run time yet`;
  const rows = k.params.find((p) => p.kind === 'array' && p.rank === 2);
  if (!can.rank2 && rows)
    return `the ${target} target does not take arrays of rows ('${rows.name}'): a device buffer is one flat array, so pass a flat typed array with a row stride instead, or use the native, wasm or worker target (they take rows)`;
  return undefined;
}

/** True when `list` indexes a row of a rank-2 array (`a[i][j]`, `a[i].length`, `a[i][j] = v`) anywhere. */
export function touchesRows(list: readonly Stmt[]): boolean {
  const rowExpr = (e: Expr): boolean =>
    someExpr(
      e,
      (x) => (x.kind === 'load' && x.col !== undefined) || (x.kind === 'len' && x.row !== undefined),
    );
  return someStmt(list, (s) => (s.kind === 'store' && s.col !== undefined) || stmtExprs(s).some(rowExpr));
}

/** Throws the reason `target` cannot lower `k` (a form it does not take, or a run-time step it cannot check). */
export function assertLowerable(k: Kernel, target: string, can: FormSupport): void {
  const why = unsupportedForm(k, target, can) ?? (can.localSteps ? undefined : uncheckableStep(k, target));
  if (why) throw new Error(why);
}
