// Why a while loop ends on every input: its condition has a part `x < b` (`<=`, `>`, `>=`) whose `b`
// the loop never changes and whose `x` every pass moves toward `b` — by constants, by walking off an
// array, or by at least doubling from a positive start (geometric.ts). The while form of a loop becomes
// a kernel only then: the checks and benchmarks run kernels on random inputs.
import type { Expr, Stmt } from '../ir/types.js';
import { followsGeometric, growsGeometrically } from './geometric.js';
import { assignedNames, exprVars, someExpr, storedArrays, visitStmts } from './irUtil.js';

/** The `&&`-joined parts of a condition. */
function conjuncts(e: Expr): Expr[] {
  return e.kind === 'bin' && e.op === '&&' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * True when the condition has a part `x < b` (`<=`, `>`, `>=`, either side) whose `b` the body never
 * changes and whose `x` the body steps by one constant toward `b` exactly once per pass, at its top
 * level (`i++`, `--n`, `A += 360`): from finite values the loop ends, so a kernel run on any inputs
 * (the checks, the benchmarks) ends too. So does a part `a[k] < b` whose `k` is stepped so (either
 * way) on an array the loop does not write: the read leaves the array. So does a part `k < b` whose
 * `k` at least doubles once per pass from a positive start set by `entry` (geometric.ts). Convergence
 * loops (`while (err > tol)`) are not.
 */
export function boundedByCounter(cond: Expr, body: readonly Stmt[], entry: readonly Stmt[]): boolean {
  const assigned = assignedNames(body);
  const stored = storedArrays(body);
  const invariant = (b: Expr): boolean =>
    [...exprVars(b)].every((n) => !assigned.has(n)) &&
    !someExpr(b, (x) => x.kind === 'load' && stored.has(x.array));
  // The counter's step per pass: every write of it is a top-level `x = x ± c` (a loop unrolled by hand
  // steps it several times, `--i; …; --i`), all one way; their sum, or undefined.
  const stepOfVar = (x: string): number | undefined => {
    let writes = 0;
    visitStmts(body, (st) => {
      if (st.kind === 'assign' && st.name === x) writes++;
    });
    const tops = body.filter((st) => st.kind === 'assign' && st.name === x);
    if (writes === 0 || writes !== tops.length) return undefined;
    const steps = tops.map((top) => {
      if (top.kind !== 'assign' || top.value.kind !== 'bin') return undefined;
      const { op, left, right } = top.value;
      if (left.kind !== 'var' || left.name !== x || right.kind !== 'const' || typeof right.value !== 'number')
        return undefined;
      if (!(right.value > 0) || !Number.isFinite(right.value)) return undefined;
      return op === '+' ? right.value : op === '-' ? -right.value : undefined;
    });
    if (steps.some((st) => st === undefined)) return undefined;
    const signs = new Set(steps.map((st) => Math.sign(st!)));
    return signs.size === 1 ? steps.reduce((a: number, st) => a + st!, 0) : undefined;
  };
  // `a[k] < x` with `k` stepped once per pass and `a` not written: once `k` leaves the array the read
  // is `undefined`, and the comparison false (JS, and every target's out-of-bounds read).
  const walksOff = (x: Expr): boolean => {
    if (x.kind !== 'load' || x.col || stored.has(x.array)) return false;
    const ix = x.index;
    const k =
      ix.kind === 'var'
        ? ix
        : ix.kind === 'bin' && (ix.op === '+' || ix.op === '-') && ix.right.kind === 'const'
          ? ix.left
          : undefined;
    return k?.kind === 'var' && stepOfVar(k.name) !== undefined;
  };
  return conjuncts(cond).some((p) => {
    if (p.kind !== 'bin' || !['<', '<=', '>', '>='].includes(p.op)) return false;
    if (walksOff(p.left) || walksOff(p.right)) return true;
    const up = p.op === '<' || p.op === '<=';
    const sides: [Expr, Expr, boolean][] = [
      [p.left, p.right, up],
      [p.right, p.left, !up],
    ];
    // `k < b` (or `b > k`) with k doubling from a positive start (geometric.ts): strict only.
    const strict = p.op === '<' || p.op === '>';
    return sides.some(([x, b, rising]) => {
      if (x.kind !== 'var' || !invariant(b)) return false;
      const step = stepOfVar(x.name);
      if (step !== undefined) return step > 0 === rising;
      return (
        rising && strict && (growsGeometrically(x.name, body, entry) || followsGeometric(x.name, body, entry))
      );
    });
  });
}
