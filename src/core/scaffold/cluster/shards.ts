// The cluster target's unit of work: every top-level loop the analysis marked parallel becomes a
// "shard kernel" — a Kernel of its own running iterations [hl_from, hl_to) and storing its
// reductions' partials into `hl_partials` — which the wasm emitter compiles like any kernel.
import type { ArrayParam, Expr, Kernel, Param, Reduction, ScalarParam, Stmt } from '../../ir/types.js';
import { stmtOps, stmtUses, visitStmts } from '../../ir/walk.js';
import { validateKernel } from '../../ir/validate.js';
import { shardable, type ForStmt } from '../common/shard.js';

/** Names the shard kernels add; no IR name starts with `hl_` in practice, and a clash is declined. */
export const FROM = 'hl_from';
export const TO = 'hl_to';
export const PARTIALS = 'hl_partials';

/** One sharded loop: its shard kernel and how the producer calls it. */
export interface ShardLoop {
  readonly loop: ForStmt;
  /** The export of the shard kernel in the wasm module (`loop0`, `loop1`, …). */
  readonly fn: string;
  readonly kernel: Kernel;
  readonly reductions: readonly Reduction[];
  /** Arrays the shard reads or writes (uploaded once per call), in the shard kernel's parameter order. */
  readonly arrays: readonly ArrayParam[];
  /** Scalars the shard reads (parameters and locals of the calling side), in parameter order. */
  readonly scalars: readonly ScalarParam[];
  /** Elementary operations per iteration (inner loops counted as the walk counts them). */
  readonly opsPerIteration: number;
}

const IDENTITY: Readonly<Record<Reduction['op'], Expr>> = {
  sum: { kind: 'un', op: '-', arg: { kind: 'const', value: 0 } },
  prod: { kind: 'const', value: 1 },
  min: { kind: 'const', value: 'Infinity' },
  max: { kind: 'const', value: '-Infinity' },
};

/** The dtype of a calling-side local (its `let`), f64 when unknown. */
function localDtype(k: Kernel, name: string): 'f64' | 'i32' {
  let dtype: 'f64' | 'i32' = 'f64';
  visitStmts(k.body, (s) => {
    if (s.kind === 'let' && s.name === name) dtype = s.dtype;
  });
  return dtype;
}

/** A reason the loop cannot be sharded over machines, or its shard loop. */
export function planShardLoop(k: Kernel, loop: ForStmt, fn: string): ShardLoop | string {
  const ok = shardable(loop);
  if (typeof ok === 'string') return ok;
  const { body, reds } = ok;
  const taken = [...body.reads, ...body.declares, ...body.loads, ...body.stores];
  if (taken.some((n) => n.startsWith('hl_'))) return 'it uses a name starting with hl_ (reserved)';
  const consts = new Set(k.consts.map((c) => c.name));
  const used = new Set([...body.loads, ...body.stores]);
  // Access as THIS loop uses the array: a loop that only reads it sends nothing of it back.
  const arrays = k.params
    .filter((p): p is ArrayParam => p.kind === 'array' && used.has(p.name))
    .map((p): ArrayParam => {
      const access = body.stores.has(p.name) ? (body.loads.has(p.name) ? 'readwrite' : 'write') : 'read';
      return { ...p, access };
    });
  if (arrays.some((p) => p.rank === 2)) return 'it reads arrays of rows (not shipped to cluster workers)';
  const scalarNames = [...body.reads].filter(
    (n) => !body.declares.has(n) && !reds.has(n) && n !== loop.index && !consts.has(n) && !used.has(n),
  );
  const scalars: ScalarParam[] = scalarNames.map((n) => {
    const p = k.params.find((q): q is ScalarParam => q.kind === 'scalar' && q.name === n);
    return p ?? { kind: 'scalar', name: n, dtype: localDtype(k, n) };
  });
  const kernel = shardKernel(k, loop, fn, ok.reductions, arrays, scalars);
  const problems = validateKernel(kernel);
  if (problems.length) return `its shard kernel is not valid IR: ${problems.slice(0, 2).join('; ')}`;
  return {
    loop,
    fn,
    kernel,
    reductions: ok.reductions,
    arrays,
    scalars,
    opsPerIteration: Math.max(1, stmtOps(loop.body)),
  };
}

function shardKernel(
  k: Kernel,
  loop: ForStmt,
  fn: string,
  reductions: readonly Reduction[],
  arrays: readonly ArrayParam[],
  scalars: readonly ScalarParam[],
): Kernel {
  const bound = (name: string): ScalarParam => ({ kind: 'scalar', name, dtype: 'i32' });
  const partials: ArrayParam = {
    kind: 'array',
    name: PARTIALS,
    dtype: 'f64',
    container: 'typed',
    access: 'write',
  };
  const params: Param[] = [
    ...arrays.map((a): ArrayParam => ({ ...a, fresh: undefined, typeSource: undefined })),
    ...scalars,
    bound(FROM),
    bound(TO),
    ...(reductions.length ? [partials] : []),
  ];
  const body: Stmt[] = [
    ...reductions.map((r): Stmt => ({ kind: 'let', name: r.name, dtype: 'f64', init: IDENTITY[r.op] })),
    {
      ...loop,
      start: { kind: 'var', name: FROM },
      end: { kind: 'var', name: TO },
    },
    ...reductions.map((r, i): Stmt => ({
      kind: 'store',
      array: PARTIALS,
      index: { kind: 'const', value: i },
      value: { kind: 'var', name: r.name },
    })),
  ];
  const loads = stmtUses(loop.body).loads;
  return {
    irVersion: 1,
    name: fn,
    params: params.map((p) => JSON.parse(JSON.stringify(p)) as Param),
    consts: k.consts.filter((c) => loads.has(c.name)),
    body,
    result: { kind: 'void' },
    pattern: k.pattern,
    orderSensitive: k.orderSensitive,
    inlined: [],
  };
}

/** The top-level loops of `k` that are sharded, and why the others run on the calling side. */
export function shardLoops(k: Kernel): { loops: ShardLoop[]; inline: string[] } {
  const loops: ShardLoop[] = [];
  const inline: string[] = [];
  for (const st of k.body) {
    if (st.kind !== 'for' || !st.parallel) continue;
    const plan = planShardLoop(k, st, `loop${loops.length}`);
    if (typeof plan === 'string')
      inline.push(`the loop over \`${st.index}\` runs on the calling side: ${plan}`);
    else loops.push(plan);
  }
  return { loops, inline };
}
