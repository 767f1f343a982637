// Loop fission of a running arg-max in a fast copy (versioning.ts proved its accesses in range):
//
//   for (i …) { …; x = f(…); if (x > peak) { peak = x; band = i; } …; out[i] = x; }
//
// runs as two loops over the same indices: the body without the `if` (a map gcc can vectorise:
// dsp.js's `mag = bSi * sqrt(re² + im²)` in four AVX2 lanes), then the `if` alone over the stored
// values (`x = out[i]`). Legal when the value is stored unchanged — `out` a Float64Array (a double
// round-trips through it bit for bit, NaN payload and -0 included) and the loop's only store, at
// the loop index — and the `if` reads only that value, its own scalars and values fixed during the
// loop, and only it reads or sets those scalars: the second loop then compares the same values in
// the same order, so `peak` and `band` come out the same, ties and NaNs included.
import type { Expr, Stmt } from '../../ir/types.js';
import { exprVars, someExpr, someStmt, stmtUses, visitStmts } from '../../ir/walk.js';
import type { IfStmt } from '../../ir/stmtEmitter.js';
import type { ForStmt } from './versioning.js';

export interface FissionPlan {
  /** The loop body without the `if`. */
  readonly first: readonly Stmt[];
  /** The `if`, run by the second loop. */
  readonly test: IfStmt;
  /** The scalar it compares, re-read from `array[i]` by the second loop. */
  readonly value: string;
  readonly array: string;
}

const ORDER = new Set(['>', '>=', '<', '<=']);

/**
 * The fission of fast loop `L`, or undefined. `exact(array)` says whether a double stored to the
 * array reads back unchanged (a Float64Array view, not a template instantiated for Float32Array).
 */
export function planFission(L: ForStmt, exact: (array: string) => boolean): FissionPlan | undefined {
  const body = L.body;
  if (!body.every((s) => s.kind === 'let' || s.kind === 'assign' || s.kind === 'store' || s.kind === 'if'))
    return undefined;
  const ifs = body.filter((s): s is IfStmt => s.kind === 'if');
  if (ifs.length !== 1) return undefined;
  const test = ifs[0]!;
  if (test.else.length || !test.then.every((s) => s.kind === 'assign')) return undefined;
  const c = test.cond;
  if (c.kind !== 'bin' || !ORDER.has(c.op) || someExpr(c, (x) => x.kind === 'load')) return undefined;
  const own = stmtUses(test.then).assigns;
  // The compared value: one side a variable the if does not set, the other only its own scalars.
  const side = (e: Expr): string | undefined => (e.kind === 'var' && !own.has(e.name) ? e.name : undefined);
  const value = side(c.left) ?? side(c.right);
  if (!value || ![...exprVars(c)].every((n) => n === value || own.has(n))) return undefined;
  // The loop's one store: array[i] = value, at the top level.
  const stores: Extract<Stmt, { kind: 'store' }>[] = [];
  visitStmts(body, (s) => {
    if (s.kind === 'store') stores.push(s);
  });
  const st = stores[0];
  if (
    stores.length !== 1 ||
    !body.includes(st!) ||
    st!.col ||
    st!.index.kind !== 'var' ||
    st!.index.name !== L.index ||
    st!.value.kind !== 'var' ||
    st!.value.name !== value ||
    !exact(st!.array)
  )
    return undefined;
  const first = body.filter((s) => s !== test);
  const rest = stmtUses(first);
  // The value is set once, at the top level, before the if and the store; nothing else changes it.
  const setAt = body.findIndex((s) => (s.kind === 'assign' || s.kind === 'let') && s.name === value);
  const sets = body.filter((s) => (s.kind === 'assign' || s.kind === 'let') && s.name === value).length;
  if (setAt < 0 || sets !== 1 || setAt > body.indexOf(test) || setAt > body.indexOf(st!)) return undefined;
  if (someStmt(first, (s) => s.kind === 'if')) return undefined;
  // Only the if reads or sets its scalars; what its assignments read is the value, the index, its
  // own scalars, or values the loop does not change.
  const changing = new Set([...rest.assigns, ...rest.declares]);
  for (const n of own) if (rest.reads.has(n) || changing.has(n) || n === L.index) return undefined;
  for (const s of test.then) {
    if (someExpr(s.value, (x) => x.kind === 'load')) return undefined;
    for (const n of exprVars(s.value))
      if (n !== value && n !== L.index && !own.has(n) && changing.has(n)) return undefined;
  }
  return { first, test, value, array: st!.array };
}
