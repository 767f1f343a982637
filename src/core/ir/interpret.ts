// The IR interpreter: the reference every emitter is tested against. It executes a kernel with the
// exact semantics of the JS the kernel came from, by applying the real JS operators to the real
// argument arrays: f64 arithmetic, comparisons that yield booleans, `&&`/`||` that yield an operand,
// out-of-bounds reads that yield `undefined`, stores that convert as typed arrays do (Int32Array
// wraps, Uint8ClampedArray rounds, Float32Array rounds) or grow a `number[]`. Arrays are mutated in
// place, like the JS would. The kernel is compiled once into closures (cached per kernel object),
// so a run costs about what a JS loop with an indirect call per node costs — fast enough to fuzz.
// The dtypes of `let`s and scalar params are facts for emitters: the interpreter keeps the JS values
// (no conversion on assignment), as the JS does.
import type { Expr, Kernel, KernelArg, KernelOutput, Stmt } from './types.js';
import type { EvalFn, Slots, Val } from './jsOps.js';
import { MATH, compileBin, compileCall } from './jsOps.js';
import type { Arr } from './typedArrays.js';
import { constArrays, isArr } from './typedArrays.js';
import { numLitValue } from './numLit.js';
import type { RunOptions } from './budget.js';
import { DEFAULT_PROBE_BUDGET, DEFAULT_RUN_BUDGET, KernelBudgetError, run, withBudget } from './budget.js';

export type { Val } from './jsOps.js';
export type { Arr, TypedArr } from './typedArrays.js';
export { constArrays, typedArrayFrom, typedArrayOf } from './typedArrays.js';
export { DEFAULT_PROBE_BUDGET, DEFAULT_RUN_BUDGET, KernelBudgetError } from './budget.js';
export type { RunOptions } from './budget.js';

/** A rank-2 array: rows, each a typed array or a `number[]` (a missing row reads `undefined`). */
type Rows = readonly (Arr | undefined)[];
/** What a statement ends with: on to the next one, or an early exit (`break`/`continue`/`return`). */
const NEXT = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
type Signal = typeof NEXT | typeof BREAK | typeof CONTINUE | typeof RETURN;
type ExecFn = (s: Slots) => Signal;

/** Per-array index ranges recorded by {@link probeKernel}. */
export interface ProbeRecord {
  /** Largest integer index read (−1 when never read). */
  maxRead: number;
  /** Largest integer index written (−1 when never written). */
  maxWrite: number;
  /** Smallest integer index touched (Infinity when never touched). */
  minIndex: number;
}

interface Scope {
  readonly vars: Map<string, number>;
  readonly parent: Scope | undefined;
}

interface Compiler {
  nslots: number;
  /** The slot that holds the value of `return value`. */
  readonly retSlot: number;
  readonly arrays: Map<string, number>;
  readonly probe: Map<string, ProbeRecord> | undefined;
}

function lookup(scope: Scope | undefined, name: string): number | undefined {
  for (let sc = scope; sc; sc = sc.parent) {
    const slot = sc.vars.get(name);
    if (slot !== undefined) return slot;
  }
  return undefined;
}

/** The probe record of one array, created on its first integer access (so untouched arrays have none). */
function recorder(probe: Map<string, ProbeRecord>, name: string, write: boolean): (idx: Val) => void {
  let r: ProbeRecord | undefined;
  return (idx) => {
    if (typeof idx !== 'number' || !Number.isInteger(idx)) return;
    if (!r) {
      r = probe.get(name);
      if (!r) {
        r = { maxRead: -1, maxWrite: -1, minIndex: Infinity };
        probe.set(name, r);
      }
    }
    if (write) {
      if (idx > r.maxWrite) r.maxWrite = idx;
    } else if (idx > r.maxRead) r.maxRead = idx;
    if (idx < r.minIndex) r.minIndex = idx;
  };
}

function compileExpr(e: Expr, c: Compiler, scope: Scope): EvalFn {
  switch (e.kind) {
    case 'const': {
      const v = numLitValue(e.value);
      return () => v;
    }
    case 'var': {
      const k = lookup(scope, e.name);
      if (k === undefined)
        throw new Error(`IR: '${e.name}' is not a scalar parameter, local or loop index in scope`);
      return (s) => s[k] as Val;
    }
    case 'len': {
      const k = arraySlot(c, e.array);
      if (e.row) {
        const row = compileExpr(e.row, c, scope);
        // `a[r].length`: a missing row throws the TypeError the JS throws.
        return (s) => (s[k] as Rows)[row(s) as number]!.length;
      }
      return (s) => (s[k] as Arr).length;
    }
    case 'load': {
      const k = arraySlot(c, e.array);
      if (e.col) {
        const row = compileExpr(e.index, c, scope);
        const col = compileExpr(e.col, c, scope);
        return (s) => (s[k] as Rows)[row(s) as number]![col(s) as number];
      }
      const idx = compileExpr(e.index, c, scope);
      const probe = c.probe;
      if (probe) {
        const rec = recorder(probe, e.array, false);
        return (s) => {
          const i = idx(s);
          rec(i);
          return (s[k] as Arr)[i as number];
        };
      }
      return (s) => (s[k] as Arr)[idx(s) as number];
    }
    case 'bin':
      return compileBin(e.op, compileExpr(e.left, c, scope), compileExpr(e.right, c, scope));
    case 'un': {
      const a = compileExpr(e.arg, c, scope) as (s: Slots) => number;
      switch (e.op) {
        case '-':
          return (s) => -a(s);
        case '+':
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- at run time the operand may be a boolean or undefined
          return (s) => +a(s);
        case '!':
          return (s) => !a(s);
        case '~':
          return (s) => ~a(s);
        case 'notNull':
          return (s) => (a(s) as unknown) !== null;
        default:
          throw new Error(`IR: unknown unary operator '${String((e as { op: unknown }).op)}'`);
      }
    }
    case 'call':
      if (!(e.fn in MATH)) throw new Error(`IR: unknown Math function '${e.fn}'`);
      return compileCall(
        e.fn,
        e.args.map((a) => compileExpr(a, c, scope)),
      );
    case 'select': {
      const cond = compileExpr(e.cond, c, scope);
      const t = compileExpr(e.then, c, scope);
      const f = compileExpr(e.else, c, scope);
      return (s) => (cond(s) ? t(s) : f(s));
    }
  }
}

function arraySlot(c: Compiler, name: string): number {
  const k = c.arrays.get(name);
  if (k === undefined) throw new Error(`IR: '${name}' is not an array parameter or constant table`);
  return k;
}

function seq(fns: ExecFn[]): ExecFn {
  const [a, b] = fns;
  switch (fns.length) {
    case 0:
      return () => NEXT;
    case 1:
      return a!;
    case 2:
      return (s) => a!(s) || b!(s);
    default:
      return (s) => {
        for (const f of fns) {
          const sig = f(s);
          if (sig) return sig;
        }
        return NEXT;
      };
  }
}

function compileBlock(stmts: readonly Stmt[], c: Compiler, parent: Scope): ExecFn {
  const scope: Scope = { vars: new Map(), parent };
  return seq(stmts.map((st) => compileStmt(st, c, scope)));
}

function compileStmt(st: Stmt, c: Compiler, scope: Scope): ExecFn {
  switch (st.kind) {
    case 'let': {
      const init = compileExpr(st.init, c, scope);
      const k = c.nslots++;
      scope.vars.set(st.name, k);
      return (s) => {
        s[k] = init(s);
        return NEXT;
      };
    }
    case 'assign': {
      const k = lookup(scope, st.name);
      if (k === undefined) throw new Error(`IR: assignment to undeclared '${st.name}'`);
      const v = compileExpr(st.value, c, scope);
      return (s) => {
        s[k] = v(s);
        return NEXT;
      };
    }
    case 'store': {
      const k = arraySlot(c, st.array);
      const idx = compileExpr(st.index, c, scope);
      if (st.col) {
        const col = compileExpr(st.col, c, scope);
        const val = compileExpr(st.value, c, scope);
        // JS evaluates `a[i]`, then the column, then the value; a missing row throws its TypeError.
        return (s) => {
          const row = (s[k] as Rows)[idx(s) as number]! as number[];
          row[col(s) as number] = val(s) as number;
          return NEXT;
        };
      }
      const v = compileExpr(st.value, c, scope);
      const probe = c.probe;
      if (probe) {
        const rec = recorder(probe, st.array, true);
        return (s) => {
          const i = idx(s);
          rec(i);
          (s[k] as number[])[i as number] = v(s) as number;
          return NEXT;
        };
      }
      // JS evaluates the target's index before the value; so does this.
      return (s) => {
        const i = idx(s) as number;
        (s[k] as number[])[i] = v(s) as number;
        return NEXT;
      };
    }
    case 'if': {
      const cond = compileExpr(st.cond, c, scope);
      const t = compileBlock(st.then, c, scope);
      const f = compileBlock(st.else, c, scope);
      return (s) => (cond(s) ? t(s) : f(s));
    }
    case 'for':
      return compileFor(st, c, scope);
    case 'break':
      return () => BREAK;
    case 'continue':
      return () => CONTINUE;
    case 'return': {
      const r = c.retSlot;
      const value = st.value ? compileExpr(st.value, c, scope) : undefined;
      return value
        ? (s) => {
            s[r] = value(s);
            return RETURN;
          }
        : () => RETURN;
    }
    case 'throw': {
      const { error, message } = st;
      return () => {
        throw new ERRORS[error](message);
      };
    }
  }
}

const ERRORS = { Error, RangeError, TypeError } as const;

function compileFor(st: Extract<Stmt, { kind: 'for' }>, c: Compiler, scope: Scope): ExecFn {
  // The step expression is loop-invariant and evaluated once, before the loop (outside its scope).
  const stepOf = st.stepExpr ? (compileExpr(st.stepExpr, c, scope) as (s: Slots) => number) : undefined;
  const start = compileExpr(st.start, c, scope);
  const loopScope: Scope = { vars: new Map(), parent: scope };
  const k = c.nslots++;
  loopScope.vars.set(st.index, k);
  const end = compileExpr(st.end, c, loopScope) as (s: Slots) => number;
  const body = compileBlock(st.body, c, loopScope);
  const constStep = st.step;
  const up = st.step > 0;
  // `end` is re-evaluated every iteration, as `i < end` is in JS; `s[k]` is the index the body sees.
  return (s) => {
    const step = stepOf ? stepOf(s) : constStep;
    for (let i = start(s) as number; up ? i < end(s) : i > end(s); i += step) {
      if (--run.remaining < 0) throw new KernelBudgetError(run.kernel, run.budget, st.index);
      s[k] = i;
      const sig = body(s);
      if (sig === BREAK) break;
      if (sig === RETURN) return RETURN;
    }
    return NEXT;
  };
}

interface Compiled {
  readonly nslots: number;
  readonly body: ExecFn;
  readonly result: ((s: Slots, sig: Signal) => Val) | undefined;
}

function compile(kernel: Kernel, probe?: Map<string, ProbeRecord>): Compiled {
  const c: Compiler = { nslots: 1, retSlot: 0, arrays: new Map(), probe };
  const top: Scope = { vars: new Map(), parent: undefined };
  for (const p of kernel.params) {
    if (p.kind === 'array') c.arrays.set(p.name, c.nslots++);
    else top.vars.set(p.name, c.nslots++);
  }
  for (const t of kernel.consts) c.arrays.set(t.name, c.nslots++);
  // The body's top-level lets live in `bodyScope`, which the result expression also sees.
  const bodyScope: Scope = { vars: new Map(), parent: top };
  const body = seq(kernel.body.map((st) => compileStmt(st, c, bodyScope)));
  const expr = kernel.result.kind === 'scalar' ? compileExpr(kernel.result.expr, c, bodyScope) : undefined;
  // After `return value` the function's result is that value, not the result expression.
  const result = expr
    ? (s: Slots, sig: Signal): Val => (sig === RETURN ? (s[c.retSlot] as Val) : expr(s))
    : undefined;
  return { nslots: c.nslots, body, result };
}

const cache = new WeakMap<Kernel, Compiled>();

function fillSlots(kernel: Kernel, args: readonly KernelArg[], nslots: number): Slots {
  const np = kernel.params.length;
  const nc = kernel.consts.length;
  if (args.length !== np && args.length !== np + nc) {
    throw new TypeError(
      `runKernel(${kernel.name}): expected ${np} arguments (${kernel.params.map((p) => p.name).join(', ')})` +
        (nc ? ` or ${np + nc} with the constant tables` : '') +
        `, got ${args.length}`,
    );
  }
  const s: Slots = new Array<unknown>(nslots).fill(undefined);
  kernel.params.forEach((p, i) => {
    const a = args[i];
    const at = i + 1; // slot 0 holds the value of `return value`
    if (p.kind === 'array' && !isArr(a)) {
      throw new TypeError(
        `runKernel(${kernel.name}): argument ${i} '${p.name}' must be an array (${p.dtype}, ${p.container}), got ${typeof a}`,
      );
    }
    if (p.kind === 'scalar' && !p.truthy && typeof a !== 'number') {
      throw new TypeError(
        `runKernel(${kernel.name}): argument ${i} '${p.name}' must be a number, got ${isArr(a) ? 'an array' : typeof a}`,
      );
    }
    // A truthy (boolean) parameter: the kernel sees the argument's truthiness as 1/0, as wrappers pass it.
    s[at] = p.kind === 'scalar' && p.truthy ? (a ? 1 : 0) : a;
  });
  const tables = args.length === np + nc ? args.slice(np) : constArrays(kernel);
  tables.forEach((t, j) => {
    s[1 + np + j] = t;
  });
  return s;
}

function output(kernel: Kernel, s: Slots, result: Val): KernelOutput {
  const written: Record<string, KernelArg> = {};
  kernel.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = s[i + 1] as Arr;
  });
  let res: KernelOutput['result'];
  if (kernel.result.kind === 'scalar') res = kernel.result.truthy ? Boolean(result) : result;
  else if (kernel.result.kind === 'array') {
    const name = kernel.result.name;
    const i = kernel.params.findIndex((p) => p.name === name);
    res = s[i + 1] as Arr;
  }
  return { result: res, written };
}

/**
 * Runs `kernel` on `args` (in the order of `kernel.params`, optionally followed by the const tables)
 * with exact JS semantics. Written arrays are mutated in place and listed in `written`.
 */
export function runKernel(kernel: Kernel, args: readonly KernelArg[], opts: RunOptions = {}): KernelOutput {
  let compiled = cache.get(kernel);
  if (!compiled) {
    compiled = compile(kernel);
    cache.set(kernel, compiled);
  }
  const c = compiled;
  const s = fillSlots(kernel, args, c.nslots);
  return withBudget(kernel.name, opts.maxIterations ?? DEFAULT_RUN_BUDGET, () => {
    const sig = c.body(s);
    return output(kernel, s, c.result?.(s, sig));
  });
}

/**
 * Runs `kernel` like {@link runKernel} (budget {@link DEFAULT_PROBE_BUDGET}) and records, per array, the integer indices read and written.
 * Used to size inputs (see `makeInputs`); slower than `runKernel` (not cached, one hook per access).
 */
export function probeKernel(
  kernel: Kernel,
  args: readonly KernelArg[],
  access = new Map<string, ProbeRecord>(),
  opts: RunOptions = {},
): { output: KernelOutput; access: Map<string, ProbeRecord> } {
  const compiled = compile(kernel, access);
  const s = fillSlots(kernel, args, compiled.nslots);
  return withBudget(kernel.name, opts.maxIterations ?? DEFAULT_PROBE_BUDGET, () => {
    const sig = compiled.body(s);
    return { output: output(kernel, s, compiled.result?.(s, sig)), access };
  });
}
