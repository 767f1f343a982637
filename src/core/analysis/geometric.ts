// A loop counter that at least doubles once per pass from a positive start: fili's FFT
// `for (k = 1; k < n; k = k2) { k2 = k + k; … }`, `for (size = 2; size < n; size *= 2)`. From any
// positive double, k·2^p reaches +Infinity within 2,098 passes, and `Infinity < b` is false for every b
// (NaN and Infinity included), so a loop whose condition has the part `k < b` (b unchanged by the body)
// ends on every input — which is what the while form of a loop needs before it becomes a kernel (the
// checks and benchmarks run it on random inputs). Not accepted: `k <= b` (b = Infinity never ends), a
// start that may be 0 or negative (0 stays 0; a negative one falls to -Infinity), `k <<= 1` (ToInt32
// wraps to a negative), and a pass that can skip the step (an own `continue`). A counter set once per
// pass to an increasing affine function of such a counter ends the loop too (dsp.js RFFT.forward's
// first pass: `for (ix = 0, id = 4; ix < n; id *= 4) { …; ix = 2 * (id - 1); }`).
import type { Expr, Stmt } from '../ir/types.js';
import { childStmts, visitStmts } from './irUtil.js';

/** `x * C`, `C * x` with a constant C ≥ 2, or `x + x`: at least twice x whenever x > 0. */
function doubles(e: Expr, x: string): boolean {
  if (e.kind !== 'bin') return false;
  const isX = (a: Expr): boolean => a.kind === 'var' && a.name === x;
  const big = (a: Expr): boolean => a.kind === 'const' && typeof a.value === 'number' && a.value >= 2;
  if (e.op === '*') return (isX(e.left) && big(e.right)) || (big(e.left) && isX(e.right));
  return e.op === '+' && isX(e.left) && isX(e.right);
}

/** True when `list` has a `continue` of its own loop (not one of a loop inside it). */
function ownContinue(list: readonly Stmt[]): boolean {
  return list.some(
    (s) => s.kind === 'continue' || (s.kind !== 'for' && childStmts(s).some((l) => ownContinue(l))),
  );
}

/** The statements of `list` (any depth) that write the local `name`. */
function writesOf(list: readonly Stmt[], name: string): Stmt[] {
  const out: Stmt[] = [];
  visitStmts(list, (s) => {
    if ((s.kind === 'assign' || s.kind === 'let') && s.name === name) out.push(s);
  });
  return out;
}

/** The value a top-level `let`/`assign` of `list` gives `name` (the last one), when every write is top-level. */
function topValue(list: readonly Stmt[], name: string): { at: number; value: Expr } | undefined {
  const all = writesOf(list, name);
  const tops = list.flatMap((s, at) =>
    (s.kind === 'assign' || s.kind === 'let') && s.name === name
      ? [{ at, value: s.kind === 'assign' ? s.value : s.init }]
      : [],
  );
  return all.length > 0 && all.length === tops.length ? tops.at(-1) : undefined;
}

/**
 * True when the local `x` enters the loop positive (`entry`, the statements just before it, ends by
 * setting it to a positive constant) and every pass of `body` sets it once, at the top level, to at
 * least twice itself: directly (`x = x * 2`, `x = x + x`) or through a local set so earlier in the same
 * pass (`t = x + x; …; x = t`).
 */
export function growsGeometrically(x: string, body: readonly Stmt[], entry: readonly Stmt[]): boolean {
  const start = topValue(entry, x);
  if (!start || start.value.kind !== 'const' || typeof start.value.value !== 'number') return false;
  if (!(start.value.value > 0) || ownContinue(body)) return false;
  if (writesOf(body, x).length !== 1) return false;
  const step = topValue(body, x);
  if (!step) return false;
  if (doubles(step.value, x)) return true;
  if (step.value.kind !== 'var' || step.value.name === x) return false;
  const t = step.value.name;
  if (writesOf(body, t).length !== 1) return false;
  const via = topValue(body, t);
  return via !== undefined && via.at < step.at && doubles(via.value, x);
}

/**
 * The one variable `e` increases with, without bound, when `e` is built from it and constants by
 * `+ c`, `- c`, `* c` and `/ c` with a positive constant c (`2 * (id - 1)`, `(g + 1) / 2`); undefined otherwise.
 */
function increasingIn(e: Expr): string | undefined {
  const num = (a: Expr): number | undefined =>
    a.kind === 'const' && typeof a.value === 'number' && Number.isFinite(a.value) ? a.value : undefined;
  if (e.kind === 'var') return e.name;
  if (e.kind !== 'bin') return undefined;
  const l = num(e.left);
  const r = num(e.right);
  if (e.op === '+')
    return l !== undefined ? increasingIn(e.right) : r !== undefined ? increasingIn(e.left) : undefined;
  if (e.op === '-') return r !== undefined ? increasingIn(e.left) : undefined;
  if (e.op === '*')
    return l !== undefined && l > 0
      ? increasingIn(e.right)
      : r !== undefined && r > 0
        ? increasingIn(e.left)
        : undefined;
  if (e.op === '/') return r !== undefined && r > 0 ? increasingIn(e.left) : undefined;
  return undefined;
}

/**
 * True when every pass sets `x` once, at its top level, to an increasing affine function of a
 * counter that {@link growsGeometrically} (so `x` reaches +Infinity with it), and no pass can skip it.
 */
export function followsGeometric(x: string, body: readonly Stmt[], entry: readonly Stmt[]): boolean {
  if (ownContinue(body) || writesOf(body, x).length !== 1) return false;
  const step = topValue(body, x);
  const g = step && increasingIn(step.value);
  return g !== undefined && g !== x && growsGeometrically(g, body, entry);
}
