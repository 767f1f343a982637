// Structural checks of a kernel: every name defined, arrays known, stores allowed, loops well
// formed, types in range. An empty list means the interpreter and every emitter may take it.
import type { ArrayParam, Expr, Kernel, MathFn, Stmt } from './types.js';
import { visitExpr } from './walk.js';

const DTYPES = new Set(['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8', 'u8c']);
const PATTERNS = new Set([
  'map',
  'reduce',
  'map-reduce',
  'scan',
  'stencil',
  'gemv',
  'gemm',
  'conv',
  'nested',
]);
const BINOPS = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '<',
  '<=',
  '>',
  '>=',
  '===',
  '!==',
  '&&',
  '||',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '>>>',
]);
const UNOPS = new Set(['-', '+', '!', '~', 'notNull']);
/** Allowed argument counts of each Math function ([min, max]). */
export const MATH_ARITY: Readonly<Record<MathFn, readonly [number, number]>> = {
  abs: [1, 1],
  sqrt: [1, 1],
  cbrt: [1, 1],
  exp: [1, 1],
  expm1: [1, 1],
  log: [1, 1],
  log1p: [1, 1],
  log2: [1, 1],
  log10: [1, 1],
  sin: [1, 1],
  cos: [1, 1],
  tan: [1, 1],
  asin: [1, 1],
  acos: [1, 1],
  atan: [1, 1],
  atan2: [2, 2],
  sinh: [1, 1],
  cosh: [1, 1],
  tanh: [1, 1],
  pow: [2, 2],
  min: [1, 8],
  max: [1, 8],
  floor: [1, 1],
  ceil: [1, 1],
  round: [1, 1],
  trunc: [1, 1],
  sign: [1, 1],
  hypot: [1, 8],
  fround: [1, 1],
  imul: [2, 2],
};
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity Math'
  ).split(' '),
);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Scope {
  readonly names: Map<string, 'scalar' | 'local' | 'index'>;
  readonly parent: Scope | undefined;
}
/** Where a statement sits: its innermost loop (if any) and whether some enclosing loop is `parallel`. */
interface Where {
  readonly loop: { readonly parallel: boolean } | undefined;
  readonly inParallel: boolean;
}
const ERROR_CLASSES = new Set(['Error', 'RangeError', 'TypeError']);

function find(scope: Scope | undefined, name: string): 'scalar' | 'local' | 'index' | undefined {
  for (let s = scope; s; s = s.parent) {
    const k = s.names.get(name);
    if (k) return k;
  }
  return undefined;
}

/** What is wrong with the fresh output array `p` of `k` (see `ArrayParam.fresh`). */
function freshProblems(k: Kernel, p: ArrayParam): string[] {
  const out: string[] = [];
  if (p.container !== 'typed' || p.rank === 2) out.push('a fresh array is a rank-1 typed container');
  if (p.access === 'read') out.push('a fresh array is written by the kernel');
  const byName = new Map(k.params.map((q) => [q.name, q]));
  visitExpr(p.fresh!.length, (e) => {
    if (e.kind === 'load') out.push('the length of a fresh array reads no array element');
    const name = e.kind === 'var' ? e.name : e.kind === 'len' ? e.array : undefined;
    if (name === undefined) return;
    const q = byName.get(name);
    if (
      !q ||
      (q.kind === 'array' && (q.fresh || e.kind === 'var')) ||
      (q.kind === 'scalar' && e.kind === 'len')
    )
      out.push(
        `the length of a fresh array uses '${name}', which is not a scalar parameter or another array's length`,
      );
  });
  return out;
}

/** Errors in `k`, each a sentence naming the kernel part at fault; empty when the kernel is valid. */
export function validateKernel(k: Kernel): string[] {
  const errors: string[] = [];
  const err = (where: string, msg: string): void => {
    errors.push(`${k.name}: ${where}: ${msg}`);
  };
  // Checked defensively: kernels also arrive as JSON from other processes.
  if ((k.irVersion as number) !== 1) err('irVersion', `expected 1, got ${String(k.irVersion)}`);
  const checkName = (where: string, name: string): void => {
    if (!IDENT.test(name) || RESERVED.has(name)) err(where, `'${name}' is not a usable identifier`);
  };
  checkName('name', k.name);
  if (!PATTERNS.has(k.pattern)) err('pattern', `unknown pattern '${k.pattern}'`);

  const arrays = new Map<string, 'read' | 'write' | 'readwrite' | 'const'>();
  const rank2 = new Set<string>();
  const top: Scope = { names: new Map(), parent: undefined };
  // A name may be reused by sibling blocks (two loops both indexed by `i`), but never shadow one in scope.
  const declare = (where: string, name: string, scope: Scope): void => {
    checkName(where, name);
    if (arrays.has(name) || find(scope, name))
      err(where, `'${name}' is already declared in this scope (no shadowing)`);
  };
  for (const p of k.params) {
    declare(`param ${p.name}`, p.name, top);
    if (p.kind === 'array') {
      if (!DTYPES.has(p.dtype)) err(`param ${p.name}`, `unknown dtype '${p.dtype}'`);
      if (!['typed', 'array'].includes(p.container))
        err(`param ${p.name}`, `unknown container ${JSON.stringify(p.container)}`);
      if (p.container === 'array' && p.dtype !== 'f64')
        err(`param ${p.name}`, `a number[] holds f64 values, not ${p.dtype}`);
      if (!['read', 'write', 'readwrite'].includes(p.access))
        err(`param ${p.name}`, `unknown access ${JSON.stringify(p.access)}`);
      if (p.rank !== undefined && (p.rank as number) !== 2)
        err(`param ${p.name}`, `rank is 2 or absent, got ${JSON.stringify(p.rank)}`);
      if (p.rank === 2) rank2.add(p.name);
      if (p.typeSource !== undefined && (p.typeSource as string) !== 'inferred')
        err(`param ${p.name}`, `typeSource is 'inferred' or absent, got ${JSON.stringify(p.typeSource)}`);
      arrays.set(p.name, p.access);
      if (p.fresh) for (const e of freshProblems(k, p)) err(`param ${p.name}`, e);
    } else {
      if (!['f64', 'i32'].includes(p.dtype))
        err(`param ${p.name}`, `a scalar is f64 or i32, not ${JSON.stringify(p.dtype)}`);
      if (p.typeSource !== undefined && (p.typeSource as string) !== 'inferred')
        err(`param ${p.name}`, `typeSource is 'inferred' or absent, got ${JSON.stringify(p.typeSource)}`);
      if (p.truthy !== undefined && ((p.truthy as unknown) !== true || p.dtype !== 'i32'))
        err(`param ${p.name}`, `a truthy (boolean) scalar is an i32 0/1 with truthy: true`);
      top.names.set(p.name, 'scalar');
    }
  }
  for (const t of k.consts) {
    declare(`const ${t.name}`, t.name, top);
    if (!DTYPES.has(t.dtype)) err(`const ${t.name}`, `unknown dtype '${t.dtype}'`);
    for (const v of t.values) {
      if (typeof v !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(v))
        err(`const ${t.name}`, `bad value ${JSON.stringify(v)}`);
    }
    arrays.set(t.name, 'const');
  }

  const checkArray = (where: string, name: string): void => {
    if (!arrays.has(name)) err(where, `'${name}' is not an array parameter or const table`);
  };
  /** A rank-2 array is indexed with a row and a column; a rank-1 array with one index. */
  const checkRank = (where: string, name: string, twoIndices: boolean, what: string): void => {
    if (!arrays.has(name)) return;
    if (twoIndices && !rank2.has(name))
      err(where, `${what} on '${name}', which is not a rank-2 array (declare rank: 2)`);
    if (!twoIndices && rank2.has(name))
      err(where, `'${name}' is a rank-2 array: ${what} needs a column (a row is not a number)`);
  };
  const expr = (where: string, e: Expr, scope: Scope): void => {
    switch (e.kind) {
      case 'const':
        if (
          typeof e.value === 'number'
            ? !Number.isFinite(e.value)
            : !['NaN', 'Infinity', '-Infinity'].includes(e.value)
        ) {
          err(
            where,
            `bad constant ${JSON.stringify(e.value)} (non-finite values are spelled 'NaN', 'Infinity', '-Infinity')`,
          );
        }
        return;
      case 'var':
        if (!find(scope, e.name))
          err(
            where,
            `'${e.name}' is not defined here${arrays.has(e.name) ? ' (it is an array: index it or take .length)' : ''}`,
          );
        return;
      case 'len':
        checkArray(where, e.array);
        if (e.row) {
          if (!rank2.has(e.array)) checkRank(where, e.array, true, 'len with a row');
          expr(where, e.row, scope);
        }
        return;
      case 'load':
        checkArray(where, e.array);
        checkRank(where, e.array, e.col !== undefined, 'a load');
        expr(where, e.index, scope);
        if (e.col) expr(where, e.col, scope);
        return;
      case 'bin':
        if (!BINOPS.has(e.op)) err(where, `unknown binary operator '${e.op}'`);
        expr(where, e.left, scope);
        expr(where, e.right, scope);
        return;
      case 'un':
        if (!UNOPS.has(e.op)) err(where, `unknown unary operator '${e.op}'`);
        expr(where, e.arg, scope);
        return;
      case 'call': {
        const ar = (MATH_ARITY as Partial<Record<string, readonly [number, number]>>)[e.fn];
        if (!ar) err(where, `unknown Math function '${e.fn}'`);
        else if (e.args.length < ar[0] || e.args.length > ar[1])
          err(
            where,
            `Math.${e.fn} takes ${ar[0] === ar[1] ? ar[0] : `${ar[0]}–${ar[1]}`} arguments, got ${e.args.length}`,
          );
        for (const a of e.args) expr(where, a, scope);
        return;
      }
      case 'select':
        expr(where, e.cond, scope);
        expr(where, e.then, scope);
        expr(where, e.else, scope);
        return;
      default:
        err(where, `unknown expression kind '${(e as { kind: string }).kind}'`);
    }
  };
  const block = (where: string, stmts: readonly Stmt[], parent: Scope, at: Where): Scope => {
    const scope: Scope = { names: new Map(), parent };
    for (const st of stmts) stmt(where, st, scope, at);
    return scope;
  };
  const stmt = (where: string, st: Stmt, scope: Scope, at: Where): void => {
    switch (st.kind) {
      case 'let':
        if (!['f64', 'i32'].includes(st.dtype))
          err(`${where} let ${st.name}`, `a local is f64 or i32, not ${JSON.stringify(st.dtype)}`);
        expr(`${where} let ${st.name}`, st.init, scope);
        declare(`${where} let ${st.name}`, st.name, scope);
        scope.names.set(st.name, 'local');
        return;
      case 'assign': {
        const kind = find(scope, st.name);
        if (!kind) err(`${where} ${st.name} = …`, `'${st.name}' is not a declared local`);
        else if (kind !== 'local')
          err(
            `${where} ${st.name} = …`,
            `cannot assign to ${kind === 'index' ? 'the loop index' : 'the scalar parameter'} '${st.name}'`,
          );
        expr(`${where} ${st.name} = …`, st.value, scope);
        return;
      }
      case 'store': {
        const w = `${where} ${st.array}[…] = …`;
        const access = arrays.get(st.array);
        if (!access) err(w, `'${st.array}' is not an array parameter`);
        else if (access === 'read')
          err(w, `store to read-only parameter '${st.array}' (declare its access 'write' or 'readwrite')`);
        else if (access === 'const') err(w, `store to const table '${st.array}'`);
        checkRank(w, st.array, st.col !== undefined, 'a store');
        expr(w, st.index, scope);
        if (st.col) expr(w, st.col, scope);
        expr(w, st.value, scope);
        return;
      }
      case 'if':
        expr(`${where} if`, st.cond, scope);
        block(`${where} if`, st.then, scope, at);
        block(`${where} else`, st.else, scope, at);
        return;
      case 'for':
        forStmt(`${where} for ${st.index}`, st, scope, at);
        return;
      case 'break':
      case 'continue':
        if (!at.loop) err(where, `'${st.kind}' outside a for loop`);
        else if (at.loop.parallel)
          err(
            where,
            `'${st.kind}' in a parallel loop (a loop that exits early is not parallel: drop 'parallel')`,
          );
        return;
      case 'return': {
        if (at.inParallel)
          err(
            where,
            `'return' inside a parallel loop (a loop that exits early is not parallel: drop 'parallel')`,
          );
        if (k.result.kind === 'scalar' && !st.value)
          err(where, `'return' without a value in a kernel whose result is scalar`);
        if (k.result.kind !== 'scalar' && st.value)
          err(
            where,
            `'return value' in a kernel whose result is ${k.result.kind} (only scalar kernels return a value)`,
          );
        if (st.value) expr(`${where} return`, st.value, scope);
        return;
      }
      case 'throw':
        if (at.inParallel)
          err(
            where,
            `'throw' inside a parallel loop (a loop that exits early is not parallel: drop 'parallel')`,
          );
        if (!ERROR_CLASSES.has(st.error))
          err(where, `throw of '${st.error as string}' (Error, RangeError or TypeError)`);
        if (typeof st.message !== 'string') err(where, `throw message must be a string`);
        return;
      default:
        err(where, `unknown statement kind '${(st as { kind: string }).kind}'`);
    }
  };
  const forStmt = (w: string, st: Extract<Stmt, { kind: 'for' }>, scope: Scope, at: Where): void => {
    if (!Number.isInteger(st.step) || st.step === 0)
      err(w, `step must be a non-zero integer, got ${st.step}`);
    if (st.stepExpr) {
      if (st.step !== 1 && st.step !== -1)
        err(w, `with stepExpr, step gives only the direction (1 or -1), got ${st.step}`);
      expr(`${w} step`, st.stepExpr, scope);
    }
    expr(w, st.start, scope);
    declare(w, st.index, scope);
    const loop: Scope = { names: new Map([[st.index, 'index']]), parent: scope };
    expr(w, st.end, loop);
    for (const r of st.parallel?.reductions ?? []) {
      if (!['sum', 'prod', 'min', 'max'].includes(r.op)) err(w, `unknown reduction '${r.op}'`);
      if (find(scope, r.name) !== 'local')
        err(w, `reduction '${r.name}' must be a local declared before the loop`);
    }
    const parallel = st.parallel !== undefined;
    block(w, st.body, loop, { loop: { parallel }, inParallel: at.inParallel || parallel });
  };
  const body = block('body', k.body, top, { loop: undefined, inParallel: false });
  switch (k.result.kind) {
    case 'void':
      break;
    case 'scalar':
      expr('result', k.result.expr, body);
      if (k.result.truthy !== undefined && (k.result.truthy as unknown) !== true)
        err('result', 'truthy is true or absent');
      break;
    case 'array':
      if (!k.params.some((p) => p.kind === 'array' && p.name === (k.result as { name: string }).name))
        err('result', `'${k.result.name}' is not an array parameter`);
      break;
    default:
      err('result', `unknown result kind '${(k.result as { kind: string }).kind}'`);
  }
  return errors;
}
