// Stand-ins for emitters, to test the tolerance without building anything: IR → IR rewrites whose
// results differ from the original exactly the way a real emitter's may.
import type { Expr, Kernel, Stmt } from '../../src/core/ir/types.js';
import { call, let_, ref, sub, num, for_ } from '../../src/core/ir/build.js';

const ARITH = new Set(['+', '-', '*', '/', '%', '**']);
const STEP = new Set(['floor', 'ceil', 'round', 'trunc', 'sign', 'imul', 'min', 'max', 'abs']);

function f32Expr(e: Expr, f64Vars: ReadonlySet<string>): Expr {
  const r = (x: Expr): Expr => f32Expr(x, f64Vars);
  switch (e.kind) {
    case 'const':
      return typeof e.value === 'number' ? call('fround', e) : e;
    case 'var':
      return f64Vars.has(e.name) ? call('fround', e) : e;
    case 'len':
      return e;
    case 'load':
      return call('fround', { ...e, index: e.index });
    case 'bin': {
      const b: Expr = { ...e, left: r(e.left), right: r(e.right) };
      return ARITH.has(e.op) ? call('fround', b) : b;
    }
    case 'un':
      return { ...e, arg: r(e.arg) };
    case 'call': {
      const c: Expr = { ...e, args: e.args.map(r) };
      return STEP.has(e.fn) ? c : call('fround', c);
    }
    case 'select':
      return { ...e, cond: r(e.cond), then: r(e.then), else: r(e.else) };
  }
}

function f32Stmts(stmts: readonly Stmt[], f64Vars: ReadonlySet<string>): Stmt[] {
  return stmts.map((st): Stmt => {
    switch (st.kind) {
      case 'let':
        return { ...st, init: f32Expr(st.init, f64Vars) };
      case 'assign':
        return { ...st, value: f32Expr(st.value, f64Vars) };
      case 'store':
        return { ...st, value: f32Expr(st.value, f64Vars) };
      case 'if':
        return {
          ...st,
          cond: f32Expr(st.cond, f64Vars),
          then: f32Stmts(st.then, f64Vars),
          else: f32Stmts(st.else, f64Vars),
        };
      case 'for':
        return { ...st, body: f32Stmts(st.body, f64Vars) };
      case 'return':
        return st.value ? { ...st, value: f32Expr(st.value, f64Vars) } : st;
      case 'break':
      case 'continue':
      case 'throw':
        return st;
    }
  });
}

/** The kernel as an f32 implementation computes it: every input, constant and op rounded to f32. */
export function asF32(k: Kernel): Kernel {
  const f64Vars = new Set(
    k.params.filter((p) => p.kind === 'scalar' && p.dtype === 'f64').map((p) => p.name),
  );
  const result =
    k.result.kind === 'scalar'
      ? { kind: 'scalar' as const, expr: f32Expr(k.result.expr, f64Vars) }
      : k.result;
  return { ...k, name: `${k.name}_f32`, body: f32Stmts(k.body, f64Vars), result };
}

/** Every loop that declares reductions runs backwards (start..end reversed): a legal reassociation. */
export function reversed(k: Kernel): Kernel {
  const rev = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.map((st): Stmt => {
      if (st.kind === 'if') return { ...st, then: rev(st.then), else: rev(st.else) };
      if (st.kind !== 'for') return st;
      const body = rev(st.body);
      if (!st.parallel?.reductions.length || st.step !== 1 || st.stepExpr) return { ...st, body };
      const r = `${st.index}_rev`;
      const i = let_(st.index, sub(sub(st.end, num(1)), sub(ref(r), st.start)), 'i32');
      return for_(r, st.start, st.end, [i, ...body], { parallel: [...st.parallel.reductions] });
    });
  return { ...k, name: `${k.name}_rev`, body: rev(k.body) };
}
