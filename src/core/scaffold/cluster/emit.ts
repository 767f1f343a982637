// The cluster target: every top-level parallel loop becomes a shard kernel compiled to wasm (the
// wasm target's lowering and runtime); the producer (`index.ts`, original signature, async) runs the
// rest of the kernel and hands each sharded loop to BullMQ workers on Redis as one flow.
import { combinePartial } from '../common/shard.js';
import { GUARD_IMPORT, guardFunction, hasGuards } from '../common/guards.js';
import type { Kernel } from '../../ir/types.js';
import type { EmitContext, EmitResult, Emitter, GeneratedFile } from '../types.js';
import { allNames, exitsOf, fresh, stmtUses } from '../../ir/walk.js';
import {
  Lines,
  TsStmtEmitter,
  resultValue,
  returnType,
  signatureParams,
  truthyParams,
} from '../common/tsEmit.js';
import { assemblyModule, emitAssemblyScript, wasmBuildScript } from '../wasm/emit.js';
import { integerParams } from '../wasm/asEmit.js';
import { WASM_RUNTIME_TS } from '../wasm/templates.js';
import { shardLoops, type ShardLoop } from './shards.js';
import { CLUSTER_TS } from './clientTemplate.js';
import { CLUSTER_WORKER_TS } from './workerTemplate.js';
import { composeFile, dockerfile, dockerignore, k8sManifest } from './deploy.js';

/** Operations per shard when the caller does not say (≈ 20 ms of wasm at ~1 Gop/s; see bench:cluster). */
export const SHARD_OPS = 20_000_000;

/** Pinned npm versions of the scaffold's engine (the repo's tests use the same). */
export const BULLMQ_VERSION = '6.7.6';
export const IOREDIS_VERSION = '6.1.0';

type ForStmt = ShardLoop['loop'];

function specsFile(k: Kernel, name: string, loops: readonly ShardLoop[]): string {
  const out = new Lines();
  out.line(`import type { ArgSpec, DType } from './runtime.js';`);
  out.line();
  out.line(`export const KERNEL = '${name}';`);
  out.line(
    '/** Operations per shard when neither the call nor HOTLOOP_CLUSTER_SHARDS says how many shards. */',
  );
  out.line(`export const SHARD_OPS = ${SHARD_OPS.toLocaleString('en-US').replace(/,/g, '_')};`);
  out.line();
  out.line('/** One sharded loop: the wasm export, its arguments in order, and what the producer sends. */');
  out.block('export interface LoopSpec', () => {
    out.line('readonly fn: string;');
    out.line('readonly args: readonly ArgSpec[];');
    out.line(
      'readonly arrays: readonly { readonly name: string; readonly dtype: DType; readonly write: boolean }[];',
    );
    out.line('readonly scalars: readonly { readonly name: string; readonly int: boolean }[];');
    out.line('readonly partials: number;');
    out.line('readonly opsPerIteration: number;');
  });
  out.line();
  out.line('export const LOOPS: Readonly<Record<string, LoopSpec>> = {');
  out.indent();
  for (const l of loops) {
    const ints = integerParams(l.kernel);
    const arrays = l.arrays.map((a) => ({
      name: a.name,
      dtype: a.container === 'array' ? 'f64' : a.dtype,
      write: a.access !== 'read',
    }));
    const scalars = l.scalars.map((s) => ({ name: s.name, int: ints.has(s.name) }));
    const args = [
      ...arrays.map((a) => ({ kind: 'array', dtype: a.dtype, write: a.write })),
      ...scalars.map((s) => ({ kind: 'scalar', int: s.int })),
      { kind: 'scalar', int: true },
      { kind: 'scalar', int: true },
      ...(l.reductions.length ? [{ kind: 'array', dtype: 'f64', write: true }] : []),
    ];
    const spec = {
      fn: l.fn,
      args,
      arrays,
      scalars,
      partials: l.reductions.length,
      opsPerIteration: l.opsPerIteration,
    };
    out.line(`${l.fn}: ${JSON.stringify(spec)},`);
  }
  out.dedent().line('};');
  return out.text();
}

function indexFile(k: Kernel, name: string, loops: readonly ShardLoop[]): string {
  const taken = allNames(k);
  for (const n of ['cluster', 'original', 'options', 'LOOPS', name]) taken.add(n);
  const st = new TsStmtEmitter((n) => n, stmtUses(k.body).assigns, undefined, truthyParams(k));
  const byLoop = new Map<ForStmt, ShardLoop>(loops.map((l) => [l.loop, l]));
  const args = k.params.map((p) => p.name).join(', ');
  const cap = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const out = new Lines();
  out.line(`import { ${name} as original } from './original.js';`);
  out.line(`import { ClusterClient, type ClusterCallOptions } from './cluster.js';`);
  out.line(`import { LOOPS } from './specs.js';`);
  if (hasGuards(k)) out.line(GUARD_IMPORT);
  out.line();
  out.line(`export { ClusterError, type ClusterCallOptions, type ClusterFailure } from './cluster.js';`);
  out.line();
  out.line('const cluster = new ClusterClient();');
  out.line();
  if (hasGuards(k)) {
    guardFunction(out, k, name, signatureParams(k), { target: 'cluster', typed: 'float64' });
    out.line();
  }
  out.line(
    `/** \`${name}\` on the cluster with per-call options (cancellation, timeout, shards, progress). */`,
  );
  const sig = signatureParams(k);
  out.block(
    `export async function ${name}With(options: ClusterCallOptions${sig ? `, ${sig}` : ''}): Promise<${returnType(k)}>`,
    () => {
      if (hasGuards(k)) out.line(`if (!fastPathApplies(${args})) return original(${args});`);
      st.stmts(out, k.body, (loop, o) => {
        const l = byLoop.get(loop);
        if (!l) return false;
        const parts = fresh(`${l.fn}Parts`, taken);
        const arrays = l.arrays.map((a) => a.name).join(', ');
        // A truthy (boolean) parameter is shipped as the kernel's 1/0.
        const scalars = l.scalars.map((s) => st.ex.num({ kind: 'var', name: s.name })).join(', ');
        o.line(
          `const ${parts} = await cluster.runLoop(LOOPS.${l.fn}!, { start: ${st.ex.num(loop.start)}, end: ${st.ex.num(loop.end)}, step: ${loop.step}, arrays: [${arrays}], scalars: [${scalars}] }, options);`,
        );
        o.block(`if (${parts} === undefined)`, () => {
          o.line('// Bounds or sizes the compiled loop cannot take (not 32-bit integers): run it here.');
          st.stmts(o, [loop]);
        });
        if (l.reductions.length) {
          const names = l.reductions.map((r) => fresh(`${r.name}Part`, taken));
          o.block(`else for (const [${names.join(', ')}] of ${parts})`, () => {
            l.reductions.forEach((r, i) => o.line(`${r.name} = ${combinePartial(r.op, r.name, names[i]!)};`));
          });
        }
        return true;
      });
      if (k.result.kind === 'scalar') out.line(`return ${resultValue(k, st.ex.num(k.result.expr))};`);
      else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
    },
  );
  out.line();
  out.line('/**');
  out.line(
    ` * \`${name}\` on a cluster of BullMQ workers (Redis from HOTLOOP_REDIS_URL): same arguments and results`,
  );
  out.line(
    ' * as the original, returned as a Promise. Rejects with a ClusterError (never a partial result).',
  );
  out.line(' */');
  out.block(`export function ${name}(${sig}): Promise<${returnType(k)}>`, () => {
    out.line(`return ${name}With({}${args ? `, ${args}` : ''});`);
  });
  out.line();
  out.line('/** Closes the Redis connection (an idle one keeps the process alive). */');
  out.block(`export function close${cap}Cluster(): Promise<void>`, () => out.line('return cluster.close();'));
  return out.text();
}

function declineReason(k: Kernel): string | undefined {
  if (!k.params.some((p) => p.kind === 'array'))
    return 'the kernel takes no arrays: there is no data to shard';
  const exits = exitsOf(k.body);
  if (exits.return || exits.throw)
    return 'the kernel ends early (return/throw inside it), so its iterations must run in order on one machine (try the wasm or native target)';
  return undefined;
}

/** The cluster (BullMQ on Redis) emitter. */
export const clusterEmitter: Emitter = {
  target: 'cluster',
  title: 'Cluster of machines (BullMQ on Redis, wasm workers)',
  properties: { reassociates: true, precision: 'f64', async: true },
  emit(k: Kernel, ctx: EmitContext): EmitResult {
    const declined = declineReason(k);
    if (declined) return { ok: false, reason: declined };
    const { loops, inline } = shardLoops(k);
    if (!loops.length)
      return {
        ok: false,
        reason: inline.length
          ? `no loop can be sharded (${inline.join('; ')})`
          : 'no top-level loop is marked parallel by the analysis, so there is nothing to shard',
      };
    const sources: string[] = [];
    let reassociates = false;
    for (const l of loops) {
      const as = emitAssemblyScript(l.kernel, l.fn, `${l.fn}_`);
      if (!as.ok) return { ok: false, reason: `cannot lower ${l.fn} to AssemblyScript: ${as.reason}` };
      sources.push(as.source);
      reassociates ||= as.reassociates;
    }
    const name = ctx.exportName;
    const files: GeneratedFile[] = [
      {
        path: 'assembly/kernel.ts',
        role: 'kernel',
        contents: `// @ts-nocheck — AssemblyScript, compiled by asc (npm run build), not by tsc.\n// The shard kernels of \`${name}\`: iterations [hl_from, hl_to) of each sharded loop.\n\n${assemblyModule(sources)}`,
      },
      {
        path: 'assembly/tsconfig.json',
        role: 'build',
        contents:
          JSON.stringify({ extends: 'assemblyscript/std/assembly.json', include: ['./**/*.ts'] }, null, 2) +
          '\n',
      },
      { path: 'index.ts', role: 'wrapper', contents: indexFile(k, name, loops) },
      { path: 'specs.ts', role: 'kernel', contents: specsFile(k, name, loops) },
      { path: 'cluster.ts', role: 'runtime', contents: CLUSTER_TS },
      { path: 'worker.ts', role: 'runtime', contents: CLUSTER_WORKER_TS },
      { path: 'runtime.ts', role: 'runtime', contents: WASM_RUNTIME_TS },
      { path: 'Dockerfile', role: 'build', contents: dockerfile() },
      { path: '.dockerignore', role: 'build', contents: dockerignore() },
      { path: 'compose.yaml', role: 'build', contents: composeFile() },
      { path: 'k8s/workers.yaml', role: 'build', contents: k8sManifest(name) },
    ];
    const notes = [
      ...loops.map(
        (l) =>
          `the loop over \`${l.loop.index}\` is split into shards (one BullMQ flow per call)${l.reductions.length ? `; ${l.reductions.map((r) => r.name).join(', ')} combined in shard order` : ''}`,
      ),
      ...inline,
      'Workers run each shard on the wasm build (`dist/kernel.wasm`); a worker of another build fails the shard with that reason.',
      'Each array a sharded loop touches is uploaded to Redis once per call as a binary string; each shard returns its partials and the elements it changed.',
      'Redis from HOTLOOP_REDIS_URL (default redis://127.0.0.1:6379); retries with backoff, a job timeout, cancellation by AbortSignal; keys expire after HOTLOOP_CLUSTER_KEY_TTL_S.',
      'The wrapper returns a Promise and rejects with a ClusterError when Redis is unreachable, the job times out, is cancelled or is lost: never a partial result.',
    ];
    return {
      ok: true,
      files,
      notes,
      commands: {
        build: [
          'npm install',
          'npm run build',
          'HOTLOOP_REDIS_URL=redis://127.0.0.1:6379 npm run worker   # on each worker machine (or docker compose up)',
        ],
        check: ['npm run check'],
      },
      dependencies: { bullmq: BULLMQ_VERSION, ioredis: IOREDIS_VERSION },
      devDependencies: { assemblyscript: '^0.28.20', typescript: '~6.0.3', '@types/node': '^20.19.0' },
      scripts: { build: wasmBuildScript(), worker: 'node dist/worker.js' },
      properties: { reassociates: reassociates || k.orderSensitive, precision: 'f64', async: true },
    };
  },
};
