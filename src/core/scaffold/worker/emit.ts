// The worker_threads target: every top-level loop the analysis marked parallel is split into
// contiguous shards run on a Piscina pool over SharedArrayBuffer views; reductions come back as
// per-shard partials combined in shard order. Everything else runs on the calling thread.
import { GUARD_IMPORT, guardFunction, hasGuards } from '../common/guards.js';
import { combinePartial, shardable, type ForStmt } from '../common/shard.js';
import type { Kernel, Reduction } from '../../ir/types.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import { allNames, exitsOf, fresh, stmtOps, stmtUses } from '../../ir/walk.js';
import {
  Lines,
  TsStmtEmitter,
  resultValue,
  truthyParams,
  constTables,
  returnType,
  signatureParams,
  TYPED_CTOR,
} from '../common/tsEmit.js';
import { RUNTIME_TS, WORKER_TS } from './templates.js';
import { WORKER_INLINE_BELOW_OPS } from './calibration.js';

interface ShardPlan {
  readonly loop: ForStmt;
  readonly fn: string;
  readonly reductions: readonly Reduction[];
  /** Free names the shard reads: arrays and scalars (params and outer locals). */
  readonly arrays: readonly string[];
  readonly scalars: readonly string[];
}

const IDENTITY: Readonly<Record<Reduction['op'], string>> = {
  sum: '-0',
  prod: '1',
  min: 'Infinity',
  max: '-Infinity',
};

/** A reason the loop cannot be sharded, or the shard's inputs. */
function planShard(k: Kernel, loop: ForStmt, fn: string): ShardPlan | string {
  const ok = shardable(loop);
  if (typeof ok === 'string') return ok;
  const { body, reds } = ok;
  const consts = new Set(k.consts.map((c) => c.name));
  const arrays = [...new Set([...body.loads, ...body.stores])].filter((a) => !consts.has(a));
  const scalars = [...body.reads].filter((n) => !body.declares.has(n) && !reds.has(n) && n !== loop.index);
  return { loop, fn, reductions: ok.reductions, arrays, scalars };
}

/** Arrays of rows travel as one flat shared buffer plus the rows' offsets: the args key of those. */
type RowKeys = ReadonlyMap<string, { readonly offsets: string; readonly flat: string }>;

function rowKeys(k: Kernel): RowKeys {
  const taken = allNames(k);
  return new Map(
    k.params
      .filter((p) => p.kind === 'array' && p.rank === 2)
      .map((p) => [
        p.name,
        { offsets: fresh(`${p.name}_rows`, taken), flat: fresh(`${p.name}_flat`, taken) },
      ]),
  );
}

const ROW_VIEWS = `/** A view per row of rows stored one after another in \`flat\` (row r is [offsets[r], offsets[r + 1])). */
function rowViews<T extends { subarray(from: number, to: number): T }>(flat: T, offsets: Float64Array): T[] {
  const rows: T[] = [];
  for (let r = 0; r + 1 < offsets.length; r++) rows.push(flat.subarray(offsets[r]!, offsets[r + 1]!));
  return rows;
}`;

function shardsFile(
  k: Kernel,
  shards: readonly ShardPlan[],
  where: (loop: ForStmt) => string,
  rows: RowKeys,
): string {
  const out = new Lines();
  if (shards.some((s) => s.arrays.some((a) => rows.has(a)))) {
    for (const l of ROW_VIEWS.split('\n')) out.line(l);
    out.line();
  }
  const consts = constTables(k).filter((_, i) =>
    shards.some((s) => stmtUses(s.loop.body).loads.has(k.consts[i]!.name)),
  );
  for (const c of consts) out.line(c);
  if (consts.length) out.line();
  const st = new TsStmtEmitter((n) => n, stmtUses(k.body).assigns);
  shards.forEach((s, n) => {
    if (n) out.line();
    const argsType = `${s.fn[0]!.toUpperCase()}${s.fn.slice(1)}Args`;
    out.block(`export interface ${argsType}`, () => {
      for (const a of s.arrays) {
        const p = k.params.find((q) => q.name === a);
        out.line(
          `readonly ${a}: ${p?.kind === 'array' ? TYPED_CTOR[p.container === 'array' ? 'f64' : p.dtype] : 'Float64Array'};`,
        );
        const r = rows.get(a);
        if (r) out.line(`readonly ${r.offsets}: Float64Array;`);
      }
      for (const v of s.scalars) out.line(`readonly ${v}: number;`);
    });
    out.line();
    const partial = s.reductions.length
      ? `the partial ${s.reductions.map((r) => `${r.op} of ${r.name}`).join(', ')}`
      : 'nothing (the loop only writes arrays)';
    out.line(`/** Iterations [from, to) of ${where(s.loop)}; returns ${partial}. */`);
    const names = [
      ...s.arrays.flatMap((a) => {
        const r = rows.get(a);
        return r ? [`${a}: ${r.flat}`, r.offsets] : [a];
      }),
      ...s.scalars,
    ];
    const destructure = names.length ? `{ ${names.join(', ')} }` : '_args';
    out.block(
      `export function ${s.fn}(from: number, to: number, ${destructure}: ${argsType}): number[]`,
      () => {
        for (const a of s.arrays) {
          const r = rows.get(a);
          if (r) out.line(`const ${a} = rowViews(${r.flat}, ${r.offsets});`);
        }
        for (const r of s.reductions) out.line(`let ${r.name} = ${IDENTITY[r.op]};`);
        st.forLoop(out, s.loop, 'from', 'to');
        out.line(`return [${s.reductions.map((r) => r.name).join(', ')}];`);
      },
    );
  });
  return out.text();
}

interface IndexParts {
  readonly rows: RowKeys;
  readonly k: Kernel;
  readonly name: string;
  readonly shards: readonly ShardPlan[];
  readonly opsPerElement: number;
  readonly inlineBelow: number;
}

function indexFile({ k, name, shards, opsPerElement, inlineBelow, rows }: IndexParts): string {
  const taken = allNames(k);
  for (const n of ['runtime', 'original', 'INLINE_BELOW_OPS', 'OPS_PER_ELEMENT', name]) taken.add(n);
  const arrays = k.params.filter((p) => p.kind === 'array');
  const shared = new Map(arrays.map((p) => [p.name, fresh(`${p.name}Shared`, taken)]));
  // The calling thread works on the shared copies too (a row: its view in the flat buffer).
  const local = (n: string): string | undefined => (rows.has(n) ? `${shared.get(n)!}.rows` : shared.get(n));
  const truthy = truthyParams(k);
  const st = new TsStmtEmitter((n) => local(n) ?? n, stmtUses(k.body).assigns, undefined, truthy);
  const byLoop = new Map(shards.map((s) => [s.loop, s]));
  const args = k.params.map((p) => p.name).join(', ');
  const out = new Lines();
  out.line(`import { ${name} as original } from './original.js';`);
  out.line(`import { WorkerRuntime } from './runtime.js';`);
  if (hasGuards(k)) out.line(GUARD_IMPORT);
  out.line();
  out.line(`export { sharedFloat32Array, sharedFloat64Array } from './runtime.js';`);
  out.line();
  out.line(`const runtime = new WorkerRuntime('${name}');`);
  out.line();
  out.line(
    '/** Below this much work (≈ elementary operations) a call runs inline: a pool round trip costs more. Measured by `npm run bench:scaffold`. */',
  );
  out.line(`const INLINE_BELOW_OPS = ${inlineBelow.toLocaleString('en-US').replace(/,/g, '_')};`);
  out.line(
    '/** Operations per element of the largest array in the sharded loops (inner loops counted as 64 iterations). */',
  );
  out.line(`const OPS_PER_ELEMENT = ${opsPerElement};`);
  const mainUses = stmtUses(k.body.filter((s) => !byLoop.has(s as ForStmt)));
  const usedConsts = constTables(k).filter((_, i) => {
    const c = k.consts[i]!.name;
    return (
      mainUses.loads.has(c) ||
      (k.result.kind === 'scalar' && JSON.stringify(k.result.expr).includes(`"array":"${c}"`))
    );
  });
  if (usedConsts.length) {
    out.line();
    for (const c of usedConsts) out.line(c);
  }
  out.line();
  out.line(`/**`);
  out.line(
    ` * \`${name}\` on a worker pool: same arguments and results as the original, returned as a Promise.`,
  );
  out.line(
    ` * Arrays on a SharedArrayBuffer (see \`sharedFloat64Array\`) are used in place; others are copied once per call.`,
  );
  out.line(` */`);
  const ret = returnType(k);
  if (hasGuards(k)) {
    guardFunction(out, k, name, signatureParams(k), { target: 'worker', typed: 'numeric' });
    out.line();
  }
  out.block(`export async function ${name}(${signatureParams(k)}): Promise<${ret}>`, () => {
    const lens = arrays.map((p) => `${p.name}.length`);
    const size = lens.length > 1 ? `Math.max(${lens.join(', ')})` : lens[0]!;
    const guard = hasGuards(k) ? ` || !fastPathApplies(${args})` : '';
    out.line(
      `if (${size} * OPS_PER_ELEMENT < INLINE_BELOW_OPS${guard} || !(await runtime.ready())) return original(${args});`,
    );
    for (const p of arrays) {
      const ctor = TYPED_CTOR[p.container === 'array' ? 'f64' : p.dtype];
      const share =
        p.rank === 2
          ? `shareRows(${p.name}, ${ctor})`
          : `${p.container === 'array' ? 'shareNumbers' : 'share'}(${p.name})`;
      out.line(`const ${shared.get(p.name)!} = runtime.${share};`);
    }
    st.stmts(out, k.body, (loop, o) => {
      const s = byLoop.get(loop);
      if (!s) return false;
      const call = `await runtime.run('${s.fn}', ${st.ex.num(loop.start)}, ${st.ex.num(loop.end)}, ${loop.step}, { ${[
        ...s.arrays.flatMap((a) => {
          const r = rows.get(a);
          const sh = shared.get(a)!;
          return r ? [`${a}: ${sh}.flat`, `${r.offsets}: ${sh}.offsets`] : [`${a}: ${sh}`];
        }),
        // A truthy (boolean) parameter goes to the shards as the kernel's 1/0.
        ...s.scalars.map((v) => (truthy.has(v) ? `${v}: ${st.ex.num({ kind: 'var', name: v })}` : v)),
      ].join(', ')} })`;
      if (!s.reductions.length) {
        o.line(`${call};`);
        return true;
      }
      const parts = s.reductions.map((r) => fresh(`${r.name}Part`, taken));
      o.block(`for (const [${parts.join(', ')}] of ${call})`, () => {
        s.reductions.forEach((r, i) => o.line(`${r.name} = ${combinePartial(r.op, r.name, parts[i]!)};`));
      });
      return true;
    });
    const result = k.result.kind === 'scalar' ? fresh('result', taken) : undefined;
    if (result && k.result.kind === 'scalar')
      out.line(`const ${result} = ${resultValue(k, st.ex.num(k.result.expr))};`);
    for (const p of arrays)
      if (p.access !== 'read')
        out.line(`runtime.copyBack${p.rank === 2 ? 'Rows' : ''}(${p.name}, ${shared.get(p.name)!});`);
    const copies = arrays.flatMap((p) => {
      const sh = shared.get(p.name)!;
      return p.rank === 2 ? [`${sh}.flat`, `${sh}.offsets`] : [sh];
    });
    out.line(`runtime.release(${copies.join(', ')});`);
    if (result) out.line(`return ${result};`);
    else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
  });
  out.line();
  out.line('/** Stops the pool threads now (idle threads do not keep the process alive anyway). */');
  out.block(`export function close${name[0]!.toUpperCase()}${name.slice(1)}Pool(): Promise<void>`, () => {
    out.line('return runtime.close();');
  });
  return out.text();
}

/** The worker_threads emitter. */
export const workerEmitter: Emitter = {
  target: 'worker',
  title: 'worker_threads pool (Piscina, SharedArrayBuffer)',
  properties: { reassociates: true, precision: 'f64', async: true },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    if (!k.params.some((p) => p.kind === 'array'))
      return { ok: false, reason: 'the kernel takes no arrays: there is no data to shard' };
    const exits = exitsOf(k.body);
    if (exits.return || exits.throw) {
      return {
        ok: false,
        reason: `the kernel ends early (${exits.return ? "'return'" : ''}${exits.return && exits.throw ? ', ' : ''}${exits.throw ? "'throw'" : ''} inside it), so its iterations must run in order on one thread: there is nothing to split across workers (try the wasm or native target)`,
      };
    }
    const shards: ShardPlan[] = [];
    const inline: string[] = [];
    const where = (loop: ForStmt): string => `the loop over \`${loop.index}\``;
    for (const st of k.body) {
      if (st.kind !== 'for' || !st.parallel) continue;
      const plan = planShard(k, st, `loop${shards.length}`);
      if (typeof plan === 'string') inline.push(`${where(st)} runs on the calling thread: ${plan}`);
      else shards.push(plan);
    }
    if (!shards.length) {
      return {
        ok: false,
        reason: inline.length
          ? `no loop can be sharded (${inline.join('; ')})`
          : 'no top-level loop is marked parallel by the analysis (its iterations depend on each other), so there is nothing to shard',
      };
    }
    const opsPerElement = shards.reduce((s, p) => s + stmtOps(p.loop.body), 0);
    const name = ctx.exportName;
    const rows = rowKeys(k);
    const files: GeneratedFile[] = [
      {
        path: 'index.ts',
        role: 'wrapper',
        contents: indexFile({
          k,
          name,
          shards,
          opsPerElement,
          inlineBelow: ctx.workerInlineBelowOps ?? WORKER_INLINE_BELOW_OPS,
          rows,
        }),
      },
      { path: 'shards.ts', role: 'kernel', contents: shardsFile(k, shards, where, rows) },
      { path: 'runtime.ts', role: 'runtime', contents: RUNTIME_TS },
      { path: 'worker.ts', role: 'runtime', contents: WORKER_TS },
    ];
    const sums = shards.some((s) => s.reductions.some((r) => r.op === 'sum' || r.op === 'prod'));
    const notes = [
      ...shards.map(
        (s) =>
          `${where(s.loop)} is split into one contiguous shard per thread${s.reductions.length ? `; ${s.reductions.map((r) => r.name).join(', ')} combined in shard order` : ''}`,
      ),
      ...inline,
      'Typed arrays on a SharedArrayBuffer are used in place; other arrays are copied into one once per call (never structured-cloned per shard).',
      ...(rows.size
        ? [
            `Arrays of rows (${[...rows.keys()].map((r) => `\`${r}\``).join(', ')}) are copied into one shared buffer per call, the rows one after another; written rows are copied back.`,
          ]
        : []),
      `Calls below ${ctx.workerInlineBelowOps ?? WORKER_INLINE_BELOW_OPS} estimated operations run the original inline.`,
      'The wrapper returns a Promise: the work runs on other threads.',
    ];
    if (sums && k.orderSensitive)
      notes.push('Sums are combined per shard, so results may differ from the original in the last bits.');
    return {
      ok: true,
      files,
      notes,
      commands: { build: ['npm install', 'npm run build'], check: ['npm run check'] },
      dependencies: { piscina: '^5.3.2' },
      devDependencies: { typescript: '~6.0.3', '@types/node': '^20.19.0' },
      properties: { reassociates: sums && k.orderSensitive, precision: 'f64', async: true },
    };
  },
};
