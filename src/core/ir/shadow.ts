// The error shadow behind `compareOutputs`: runs a kernel once more on the original inputs and
// carries, next to every value v, a first-order bound of how far an equivalent computation done in
// another order or precision may drift from it:  |drift(v)| ≤ c · 2⁻⁵³ · m.
//   m — a magnitude scale (for + and −: m_a + m_b, so a sum of n terms gets Σ|xᵢ|; for *: m_a·m_b;
//       for / and Math functions: derived from the derivative),
//   c — rounding steps in units of the f64 unit roundoff (one per f64 op; 2²⁹ per f32 rounding; a
//       few per libm call, which are not correctly rounded). For a sum of n terms c grows to n, so
//       the bound is the classic γₙ·Σ|xᵢ| that holds for ANY summation order (SIMD lanes, threads,
//       GPU trees). Min/max/abs are exact and add nothing.
// A discontinuous step (floor, comparison, select, %, bit ops) applied to an inexact value can jump
// by a whole unit: such values get m = Infinity and are reported as unchecked, never hidden.
import type { Expr, Kernel, KernelArg, Stmt } from './types.js';
import { numLitValue } from './numLit.js';
import { constArrays } from './interpret.js';
import type { Arr, Val } from './interpret.js';
import { cloneArgs } from './random.js';
import { applyBin } from './jsOps.js';
import { EXACT_FNS, STEP_FNS, derivative, roundingOf } from './shadowMath.js';

/** A value with its error scale; `edge`: an input was within its own error of a domain edge (sqrt/log of ≈0, x/≈0), so another order may give NaN or ±Infinity here. */
export interface Shadow {
  v: Val;
  m: number;
  c: number;
  edge?: boolean;
}

export interface ShadowArray {
  readonly values: Arr;
  readonly m: number[];
  readonly c: number[];
  readonly edge: boolean[];
  readonly isFloat: boolean;
}

export interface ShadowResult {
  readonly result: Shadow | undefined;
  readonly arrays: ReadonlyMap<string, ShadowArray>;
}

/** Rounding cost, in f64 units, of one op at each precision. */
const F32_UNITS = 2 ** 29;
/** libm functions (not correctly rounded): allowance in ulps per call. */
export const LIBM_ULPS = 4;

const num = (v: Val): number => v as number;
const abs = (v: Val): number => Math.abs(num(v));

/** A lexical scope of shadow values. */
class Env {
  readonly vars = new Map<string, Shadow>();
  constructor(readonly parent?: Env) {}
  get(name: string): Shadow {
    const v = this.vars.get(name) ?? this.parent?.get(name);
    if (!v) throw new Error(`shadow: '${name}' is not defined`);
    return v;
  }
  assign(name: string, v: Shadow): void {
    if (this.vars.has(name)) this.vars.set(name, v);
    else if (this.parent) this.parent.assign(name, v);
    else throw new Error(`shadow: '${name}' is not defined`);
  }
}

/** True when the exact value behind `s` may lie on the other side of `edge` (its error reaches it). */
function nearEdge(s: Shadow, edge: number): boolean {
  return s.c > 0 && Math.abs(num(s.v) - edge) <= 2 * s.c * 2 ** -53 * s.m;
}

/** How a statement ends: on to the next one, or an early exit. */
type Signal = 'next' | 'break' | 'continue' | 'return';
const ERRORS = { Error, RangeError, TypeError } as const;

class Evaluator {
  readonly arrays = new Map<string, ShadowArray>();
  /** The value of the `return value` that ended the kernel. */
  returned: Shadow | undefined;
  /** Set while evaluating an expression when any part of it is at a domain edge. */
  private edge = false;
  constructor(
    private readonly unit: number,
    private readonly libmUlps: number = LIBM_ULPS,
  ) {}

  private step(v: Val, inputs: readonly Shadow[]): Shadow {
    // A discontinuous function of an exact value is exact; of an inexact one, unbounded.
    return inputs.every((s) => s.c === 0) ? { v, m: abs(v), c: 0 } : { v, m: Infinity, c: 1 };
  }

  private call(fn: string, args: Shadow[]): Shadow {
    const xs = args.map((a) => num(a.v));
    const a0 = args[0];
    if (
      a0 &&
      (((fn === 'sqrt' || fn.startsWith('log')) && nearEdge(a0, fn === 'log1p' ? -1 : 0)) ||
        ((fn === 'asin' || fn === 'acos') && (nearEdge(a0, 1) || nearEdge(a0, -1))) ||
        (fn === 'pow' && nearEdge(a0, 0)))
    ) {
      this.edge = true;
    }
    const v = (Math as unknown as Record<string, (...a: number[]) => number>)[fn]!(...xs);
    if (STEP_FNS.has(fn)) return this.step(v, args);
    if (fn === 'min' || fn === 'max')
      return { v, m: Math.max(...args.map((a) => a.m)), c: Math.max(...args.map((a) => a.c)) };
    const ulps = EXACT_FNS.has(fn) ? 1 : this.libmUlps;
    const av = Math.abs(v);
    if (args.length === 1) {
      const a = args[0]!;
      if (fn === 'abs') return { v, m: a.m, c: a.c };
      if (fn === 'fround') return { v, m: Math.max(a.m, av), c: a.c === 0 ? 0 : a.c + F32_UNITS };
      const d = derivative(fn, xs[0]!, v);
      return { v, m: Math.max(d * a.m, av), c: a.c + ulps * this.unit };
    }
    // pow, atan2, hypot: a relative sensitivity bound from the magnitudes.
    const [a, b] = args as [Shadow, Shadow];
    let m: number;
    if (fn === 'pow')
      m =
        av *
        (1 + (Math.abs(num(b.v)) * a.m) / Math.abs(num(a.v)) + Math.abs(Math.log(Math.abs(num(a.v)))) * b.m);
    else if (fn === 'atan2') m = Math.max(av, (a.m + b.m) / Math.hypot(num(a.v), num(b.v)));
    else m = args.reduce((s, x) => s + x.m, 0);
    return {
      v,
      m,
      c:
        Math.max(...args.map((x) => x.c)) +
        ulps * this.unit +
        (args.length > 2 ? args.length * this.unit : 0),
    };
  }

  /** Whether the expression being evaluated touched a domain edge (set by `call` and `/`). */
  private edgeSeen(): boolean {
    return this.edge;
  }

  /** Non-finite values are compared exactly and carry no error; a NaN bound means "unbounded". */
  expr(e: Expr, env: Env): Shadow {
    const outer = this.edge;
    this.edge = false;
    const r = this.raw(e, env);
    const edge = this.edgeSeen() || r.edge === true;
    this.edge = outer || edge;
    if (typeof r.v === 'number' && !Number.isFinite(r.v)) return { v: r.v, m: 0, c: 0, edge };
    if (Number.isNaN(r.m)) return { v: r.v, m: Infinity, c: 1, edge };
    return { v: r.v, m: r.m, c: r.c, edge };
  }

  private raw(e: Expr, env: Env): Shadow {
    switch (e.kind) {
      case 'const': {
        const v = numLitValue(e.value);
        return { v, m: Math.abs(v), c: 0 };
      }
      case 'var':
        return env.get(e.name);
      case 'len':
        return { v: this.arrays.get(e.array)!.values.length, m: 0, c: 0 };
      case 'load': {
        const arr = this.arrays.get(e.array)!;
        const i = this.expr(e.index, env);
        const idx = num(i.v);
        const v = arr.values[idx];
        if (i.c > 0) return { v, m: Infinity, c: 1 };
        return { v, m: arr.m[idx] ?? Math.abs(num(v)), c: arr.c[idx] ?? 0, edge: arr.edge[idx] === true };
      }
      case 'un': {
        const a = this.expr(e.arg, env);
        switch (e.op) {
          case '-':
            return { v: -num(a.v), m: a.m, c: a.c };
          case '+':
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- the value may be a boolean at run time
            return { v: +num(a.v), m: a.m, c: a.c };
          case '!':
            return this.step(!a.v, [a]);
          case '~':
            return this.step(~num(a.v), [a]);
          case 'notNull':
            return this.step((a.v as unknown) !== null, [a]);
        }
        break;
      }
      case 'call':
        return this.call(
          e.fn,
          e.args.map((a) => this.expr(a, env)),
        );
      case 'select': {
        const cond = this.expr(e.cond, env);
        const r = cond.v ? this.expr(e.then, env) : this.expr(e.else, env);
        return cond.c > 0 ? { v: r.v, m: Infinity, c: 1 } : r;
      }
      case 'bin': {
        const a = this.expr(e.left, env);
        const b = this.expr(e.right, env);
        const x = num(a.v);
        const y = num(b.v);
        const u = this.unit;
        switch (e.op) {
          case '+':
          case '-': {
            const v = e.op === '+' ? x + y : x - y;
            return {
              v,
              m: a.m + b.m,
              c: a.c === 0 && b.c === 0 && u === 1 ? roundingOf(v, x, y, e.op) : Math.max(a.c, b.c) + u,
            };
          }
          case '*': {
            const v = x * y;
            const exact =
              a.c === 0 &&
              b.c === 0 &&
              u === 1 &&
              Number.isInteger(x) &&
              Number.isInteger(y) &&
              Math.abs(v) <= 2 ** 53;
            return { v, m: a.m * b.m, c: exact ? 0 : a.c + b.c + u };
          }
          case '/':
            if (nearEdge(b, 0)) this.edge = true;
            // An exact divisor only scales the dividend's error; an inexact one adds |a|·err(b)/b².
            return {
              v: x / y,
              m: b.c === 0 ? a.m / Math.abs(y) : (a.m * (Math.abs(y) + b.m)) / (y * y),
              c: a.c + b.c + u,
            };
          case '**':
            return this.call('pow', [a, b]);
          case '&&':
            return a.v ? b : a;
          case '||':
            return a.v ? a : b;
          default: {
            const v = applyBin(e.op, a.v, b.v);
            return this.step(v, [a, b]);
          }
        }
      }
    }
    throw new Error(`shadow: unsupported expression ${(e as { kind: string }).kind}`);
  }

  block(stmts: readonly Stmt[], parent: Env): Signal {
    const env = new Env(parent);
    for (const st of stmts) {
      const sig = this.stmt(st, env);
      if (sig !== 'next') return sig;
    }
    return 'next';
  }

  stmt(st: Stmt, env: Env): Signal {
    switch (st.kind) {
      case 'let':
        env.vars.set(st.name, this.expr(st.init, env));
        return 'next';
      case 'assign':
        env.assign(st.name, this.expr(st.value, env));
        return 'next';
      case 'store':
        this.store(st, env);
        return 'next';
      case 'if': {
        const cond = this.expr(st.cond, env);
        return this.block(cond.v ? st.then : st.else, env);
      }
      case 'for':
        return this.loop(st, env);
      case 'break':
      case 'continue':
        return st.kind;
      case 'return':
        if (st.value) this.returned = this.expr(st.value, env);
        return 'return';
      case 'throw':
        throw new ERRORS[st.error](st.message);
    }
  }

  private store(st: Extract<Stmt, { kind: 'store' }>, env: Env): void {
    const arr = this.arrays.get(st.array)!;
    const idx = num(this.expr(st.index, env).v);
    const val = this.expr(st.value, env);
    (arr.values as number[])[idx] = num(val.v);
    const stored = arr.values[idx];
    // A float32 store rounds again: an inexact value may land one f32 ulp away.
    // (at most one f32 ulp, 2⁻²³·|x| = 2·2²⁹ units of |x|, folded into c relative to m).
    const ax = Math.abs(num(stored));
    const m = Number.isFinite(ax) ? Math.max(val.m, ax) : 0;
    const f32 = arr.values instanceof Float32Array && val.c > 0 && m > 0 ? (F32_UNITS * ax) / m : 0;
    arr.m[idx] = m;
    arr.c[idx] = Number.isFinite(ax) ? val.c + f32 : 0;
    arr.edge[idx] = val.edge === true;
  }

  private loop(st: Extract<Stmt, { kind: 'for' }>, env: Env): Signal {
    const step = st.stepExpr ? num(this.expr(st.stepExpr, env).v) : st.step;
    const start = num(this.expr(st.start, env).v);
    const loop = new Env(env);
    for (let i = start; ; i += step) {
      loop.vars.set(st.index, { v: i, m: Math.abs(i), c: 0 });
      const end = num(this.expr(st.end, loop).v);
      if (!(st.step > 0 ? i < end : i > end)) break;
      const sig = this.block(st.body, loop);
      if (sig === 'break') break;
      if (sig === 'return') return sig;
    }
    return 'next';
  }
}

/**
 * Runs the error shadow of `kernel` on copies of `inputs` (the arguments as they were BEFORE the run).
 * `precision` says what the compared implementation computes in; `reassociated` only matters to the
 * caller (the bound already holds for any order).
 */
export function runShadow(
  kernel: Kernel,
  inputs: readonly KernelArg[],
  precision: 'f64' | 'f32',
  libmUlps: number = LIBM_ULPS,
): ShadowResult {
  const unit = precision === 'f32' ? F32_UNITS : 1;
  const ev = new Evaluator(unit, libmUlps);
  const args = cloneArgs(inputs.slice(0, kernel.params.length));
  const env = new Env();
  kernel.params.forEach((p, i) => {
    const a = args[i]!;
    if (p.kind === 'scalar') {
      const v = a as number;
      env.vars.set(p.name, {
        v,
        m: Math.abs(v),
        c: precision === 'f32' && p.dtype === 'f64' && Math.fround(v) !== v ? F32_UNITS : 0,
      });
      return;
    }
    const values = a as Arr;
    const isFloat = p.dtype === 'f64' || p.dtype === 'f32';
    // An f32 implementation rounds f64 inputs on the way in.
    const c = Array.from(values as ArrayLike<number>, (x) =>
      precision === 'f32' && p.dtype === 'f64' && Math.fround(x) !== x && Number.isFinite(x) ? F32_UNITS : 0,
    );
    ev.arrays.set(p.name, {
      values,
      m: Array.from(values as ArrayLike<number>, (x) => Math.abs(x)),
      c,
      edge: [],
      isFloat,
    });
  });
  kernel.consts.forEach((t, j) => {
    const values = constArrays(kernel)[j]!;
    ev.arrays.set(t.name, {
      values,
      m: Array.from(values as ArrayLike<number>, (x) => Math.abs(x)),
      c: [],
      edge: [],
      isFloat: t.dtype === 'f64' || t.dtype === 'f32',
    });
  });
  const bodyEnv = new Env(env);
  let sig: Signal = 'next';
  for (const st of kernel.body) {
    sig = ev.stmt(st, bodyEnv);
    if (sig !== 'next') break;
  }
  const result =
    kernel.result.kind !== 'scalar'
      ? undefined
      : sig === 'return'
        ? ev.returned
        : ev.expr(kernel.result.expr, bodyEnv);
  return { result, arrays: ev.arrays };
}
