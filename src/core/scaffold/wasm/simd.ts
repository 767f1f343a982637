// v128 SIMD for the loops where it keeps JS's results: element-wise maps (`out[i] = f(a[i], …)`),
// sums and min/max reductions over f64 data (dot products included). The vector loop runs two
// f64x2 lanes pairs per iteration; a run-time check (every access in bounds, the end an integer)
// guards it, and the ordinary scalar loop then finishes the tail — or does all the work when the
// check fails, so out-of-bounds semantics stay JS's.
import type { Expr, Stmt } from '../../ir/types.js';
import type { Lines } from '../common/tsEmit.js';
import { emptyUses, exprUses, someStmt, stmtUses } from '../../ir/walk.js';
import type { AsEmitter } from './asEmit.js';
import { asName, f64Literal, strip } from './asEmit.js';

type ForStmt = Extract<Stmt, { kind: 'for' }>;
type RedOp = 'sum' | 'min' | 'max';

interface Access {
  readonly array: string;
  readonly offset: string | undefined;
}

interface Ctx {
  readonly em: AsEmitter;
  readonly loop: ForStmt;
  /** Names assigned or declared in the loop body. */
  readonly variant: Set<string>;
  readonly vlocals: Set<string>;
  readonly accesses: Map<string, Access>;
  readonly invariants: Set<string>;
}

const UNROLL = 2;

/** Offset of an index `i`, `i + X`, `X + i` or `i - X` (X integer and loop-invariant); null if another shape. */
function offsetOf(c: Ctx, index: Expr): string | undefined | null {
  const i = c.loop.index;
  if (index.kind === 'var' && index.name === i) return undefined;
  if (index.kind !== 'bin' || (index.op !== '+' && index.op !== '-')) return null;
  const { left, right } = index;
  const invariantInt = (e: Expr): string | undefined => {
    const u = emptyUses();
    exprUses(e, u);
    if ([...u.reads].some((n) => n === i || c.variant.has(n))) return undefined;
    return c.em.int(e);
  };
  if (left.kind === 'var' && left.name === i) {
    const x = invariantInt(right);
    if (x === undefined) return null;
    return index.op === '+' ? x : `-${x.startsWith('(') || /^\w+$/.test(x) ? x : `(${x})`}`;
  }
  if (index.op === '+' && right.kind === 'var' && right.name === i) return invariantInt(left) ?? null;
  return null;
}

function vectorizable(c: Ctx, e: Expr): boolean {
  switch (e.kind) {
    case 'const':
      return true;
    case 'var':
      if (e.name === c.loop.index) return false;
      if (c.vlocals.has(e.name)) return true;
      if (c.variant.has(e.name)) return false;
      c.invariants.add(e.name);
      return true;
    case 'load': {
      if (c.em.arrays.get(e.array) !== 'f64') return false;
      const off = offsetOf(c, e.index);
      if (off === null) return false;
      return record(c, e.array, off);
    }
    case 'bin':
      return ['+', '-', '*', '/'].includes(e.op) && vectorizable(c, e.left) && vectorizable(c, e.right);
    case 'un':
      return (e.op === '-' || e.op === '+') && vectorizable(c, e.arg);
    case 'call':
      if (['sqrt', 'abs', 'floor', 'ceil', 'trunc'].includes(e.fn))
        return e.args.length === 1 && vectorizable(c, e.args[0]!);
      if (e.fn === 'min' || e.fn === 'max')
        return e.args.length >= 1 && e.args.every((a) => vectorizable(c, a));
      return false;
    default:
      return false;
  }
}

/** Every access of an array must use one offset when the loop writes it (no cross-iteration reuse). */
function record(c: Ctx, array: string, offset: string | undefined): boolean {
  c.accesses.set(`${array}@${offset ?? ''}`, { array, offset });
  return true;
}

function reductionOf(c: Ctx, st: Extract<Stmt, { kind: 'assign' }>): { op: RedOp; term: Expr } | undefined {
  const acc = st.name;
  const isAcc = (e: Expr): boolean => e.kind === 'var' && e.name === acc;
  const v = st.value;
  let op: RedOp | undefined;
  let term: Expr | undefined;
  if (v.kind === 'bin' && v.op === '+') {
    if (isAcc(v.left)) term = v.right;
    else if (isAcc(v.right)) term = v.left;
    op = 'sum';
  } else if (v.kind === 'call' && (v.fn === 'min' || v.fn === 'max') && v.args.length === 2) {
    if (isAcc(v.args[0]!)) term = v.args[1];
    else if (isAcc(v.args[1]!)) term = v.args[0];
    op = v.fn;
  }
  if (!op || !term) return undefined;
  return { op, term };
}

interface Plan {
  readonly body: readonly (
    | { kind: 'let'; name: string; e: Expr }
    | { kind: 'store'; array: string; offset: string | undefined; e: Expr }
    | { kind: 'red'; acc: string; op: RedOp; e: Expr }
  )[];
}

function plan(c: Ctx): Plan | undefined {
  const body: Plan['body'][number][] = [];
  for (const st of c.loop.body) {
    if (st.kind === 'let') {
      if (!vectorizable(c, st.init)) return undefined;
      c.vlocals.add(st.name);
      body.push({ kind: 'let', name: st.name, e: st.init });
    } else if (st.kind === 'store') {
      if (c.em.arrays.get(st.array) !== 'f64' || !c.em.kernel.params.some((p) => p.name === st.array))
        return undefined;
      const off = offsetOf(c, st.index);
      if (off === null || !vectorizable(c, st.value)) return undefined;
      record(c, st.array, off);
      body.push({ kind: 'store', array: st.array, offset: off, e: st.value });
    } else if (st.kind === 'assign') {
      const red = reductionOf(c, st);
      if (!red || c.vlocals.has(st.name) || c.em.kindOf(st.name) !== 'f64') return undefined;
      // The accumulator is read only by its own update.
      const reads = emptyUses();
      exprUses(red.term, reads);
      if (reads.reads.has(st.name) || !vectorizable(c, red.term)) return undefined;
      body.push({ kind: 'red', acc: st.name, op: red.op, e: red.term });
    } else {
      return undefined;
    }
  }
  const accs = body.filter((b) => b.kind === 'red').map((b) => b.acc);
  if (new Set(accs).size !== accs.length) return undefined;
  for (const acc of accs) if ([...c.invariants].includes(acc)) return undefined;
  if (!body.some((b) => b.kind !== 'let')) return undefined;
  // A stored array may only be accessed at one offset.
  const stored = new Set(body.filter((b) => b.kind === 'store').map((b) => b.array));
  for (const a of stored) {
    const offsets = new Set([...c.accesses.keys()].filter((k) => k.startsWith(`${a}@`)));
    if (offsets.size !== 1) return undefined;
  }
  return { body };
}

function vexpr(c: Ctx, e: Expr, cursor: string, copy: number): string {
  switch (e.kind) {
    case 'const':
      return `f64x2.splat(${f64Literal(typeof e.value === 'number' ? e.value : Number(e.value))})`;
    case 'var':
      return c.vlocals.has(e.name) ? `${asName(e.name)}_v${copy}` : `${asName(e.name)}_vs`;
    case 'load': {
      const off = offsetOf(c, e.index) ?? undefined;
      return `v128.load(${address(c, e.array, off, cursor, copy)})`;
    }
    case 'bin': {
      const op = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' }[e.op as '+' | '-' | '*' | '/'];
      return `f64x2.${op}(${vexpr(c, e.left, cursor, copy)}, ${vexpr(c, e.right, cursor, copy)})`;
    }
    case 'un':
      return e.op === '-' ? `f64x2.neg(${vexpr(c, e.arg, cursor, copy)})` : vexpr(c, e.arg, cursor, copy);
    case 'call': {
      const args = e.args.map((a) => vexpr(c, a, cursor, copy));
      if (e.fn === 'min' || e.fn === 'max')
        return args.slice(1).reduce((acc, x) => `f64x2.${e.fn}(${acc}, ${x})`, args[0]!);
      return `f64x2.${e.fn}(${args[0]!})`;
    }
    default:
      throw new Error('simd: not vectorizable');
  }
}

function address(c: Ctx, array: string, offset: string | undefined, cursor: string, copy: number): string {
  const ptr = c.em.arrayNames.get(array)!.ptr;
  const lane = copy ? ` + ${copy * 2}` : '';
  if (offset === undefined) return `${ptr} + (<usize>(${cursor}${lane}) << 3)`;
  return `${ptr} + (<usize>(<i64>${cursor}${lane} + ${offset}) << 3)`;
}

const IDENTITY: Readonly<Record<RedOp, string>> = { sum: '-0.0', min: 'Infinity', max: '-Infinity' };
const VOP: Readonly<Record<RedOp, string>> = { sum: 'add', min: 'min', max: 'max' };

/** Emits the SIMD prefix of `loop` and then its scalar loop from where SIMD stopped; false when the loop does not qualify. */
export function trySimdLoop(em: AsEmitter, out: Lines, loop: ForStmt): boolean {
  // Only plain ascending unit-step loops without early exits are split into lanes.
  if (
    loop.step !== 1 ||
    loop.stepExpr ||
    someStmt(
      loop.body,
      (s) => s.kind === 'break' || s.kind === 'continue' || s.kind === 'return' || s.kind === 'throw',
    )
  )
    return false;
  const start = em.int(loop.start);
  if (start === undefined) return false;
  const u = stmtUses(loop.body);
  const variant = new Set([...u.assigns, ...u.declares]);
  const bounds = emptyUses();
  exprUses(loop.end, bounds);
  if ([...bounds.reads].some((n) => variant.has(n))) return false;
  em.push();
  em.declare(loop.index, 'index');
  const c: Ctx = { em, loop, variant, vlocals: new Set(), accesses: new Map(), invariants: new Set() };
  const p = plan(c);
  if (!p) {
    em.pop();
    return false;
  }
  const i = asName(loop.index);
  const cursor = `${i}_v`;
  const endName = `${i}_vend`;
  const endInt = em.int(loop.end);
  const reds = p.body.filter((b) => b.kind === 'red');
  out.line('{').indent();
  out.line(
    `// SIMD: ${UNROLL * 2} elements per iteration in f64x2 lanes; the scalar loop below does the tail.`,
  );
  const first = strip(start);
  out.line(`let ${cursor}: i32 = ${/^-?\d+$/.test(first) ? first : `<i32>(${first})`};`);
  out.line(
    `const ${endName}: f64 = ${endInt !== undefined ? `<f64>${endInt.startsWith('(') ? endInt : `(${endInt})`}` : strip(em.num(loop.end))};`,
  );
  const checks = [`${cursor} >= 0`, `${endName} == floor<f64>(${endName})`, `${endName} < 2147483647.0`];
  for (const [key, acc] of c.accesses) {
    if (!key.includes('@')) continue;
    const len = em.arrayNames.get(acc.array)!.len;
    if (acc.offset === undefined) checks.push(`${endName} <= <f64>${len}`);
    else checks.push(`<i64>${cursor} + ${acc.offset} >= 0`, `<i64>${endName} + ${acc.offset} <= <i64>${len}`);
  }
  out.line(`if (${[...new Set(checks)].join(' && ')}) {`).indent();
  const stop = `${i}_vlast`;
  out.line(`const ${stop}: i32 = <i32>${endName};`);
  for (const v of c.invariants) {
    const value = em.kindOf(v) === 'f64' ? asName(v) : `<f64>${asName(v)}`;
    out.line(`const ${asName(v)}_vs = f64x2.splat(${value});`);
  }
  for (const r of reds)
    for (let k = 0; k < UNROLL; k++) out.line(`let ${asName(r.acc)}_v${k} = f64x2.splat(${IDENTITY[r.op]});`);
  out.line(`for (; ${cursor} + ${UNROLL * 2} <= ${stop}; ${cursor} += ${UNROLL * 2}) {`).indent();
  for (let k = 0; k < UNROLL; k++) {
    for (const b of p.body) {
      const v = vexpr(c, b.e, cursor, k);
      if (b.kind === 'let') out.line(`const ${asName(b.name)}_v${k} = ${v};`);
      else if (b.kind === 'store') out.line(`v128.store(${address(c, b.array, b.offset, cursor, k)}, ${v});`);
      else out.line(`${asName(b.acc)}_v${k} = f64x2.${VOP[b.op]}(${asName(b.acc)}_v${k}, ${v});`);
    }
  }
  out.dedent().line('}');
  for (const r of reds) {
    const acc = asName(r.acc);
    const lanes = Array.from({ length: UNROLL }, (_, k) => `${acc}_v${k}`).reduce(
      (a, b) => `f64x2.${VOP[r.op]}(${a}, ${b})`,
    );
    out.line(`const ${acc}_vall = ${lanes};`);
    const pair = `f64x2.extract_lane(${acc}_vall, 0), f64x2.extract_lane(${acc}_vall, 1)`;
    out.line(
      r.op === 'sum'
        ? `${acc} = ${acc} + (f64x2.extract_lane(${acc}_vall, 0) + f64x2.extract_lane(${acc}_vall, 1));`
        : `${acc} = ${r.op}<f64>(${acc}, ${r.op}<f64>(${pair}));`,
    );
  }
  out.dedent().line('}');
  em.pop();
  // The scalar loop, starting where the vector loop stopped.
  em.push();
  em.declare(loop.index, 'index');
  const endCond = endInt !== undefined ? `<i64>${i} < ${strip(endInt)}` : `<f64>${i} < ${em.num(loop.end)}`;
  out.line(`for (let ${i}: i32 = ${cursor}; ${endCond}; ${i} += 1) {`).indent();
  em.stmts(out, loop.body);
  out.dedent().line('}');
  out.dedent().line('}');
  em.pop();
  if (reds.some((r) => r.op === 'sum'))
    em.notes.push(`the loop over \`${loop.index}\` sums in f64x2 lanes (reassociated: last bits may differ)`);
  else em.notes.push(`the loop over \`${loop.index}\` runs in f64x2 SIMD lanes`);
  em.reassociates ||= reds.some((r) => r.op === 'sum');
  return true;
}
