// The cluster target against the single-process wasm build of the same kernel (the n-body step of
// examples/, O(n²) work per call), through a real redis-server and 1..W worker processes on THIS
// machine: speedup per worker count, per-shard overhead, the crossover size, and two fault drills
// (kill -9 of a worker mid-shard; Redis restarted mid-job with an append-only file).
//   npm run bench:cluster [-- --json] [-- --n 3000 --workers 1,2 --runs 3]
// On a machine with fewer cores than workers + producer + Redis the workers share cores: speedups
// below 1 are the honest figure there, not a property of the target.
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type { KernelArg } from '../src/core/ir/types.js';
import {
  buildWasmFolder,
  ensureRedis,
  exampleKernel,
  load,
  readEvents,
  startRedis,
  startWorker,
  stop,
  stopAll,
  until,
  type Module,
  type RedisServer,
} from '../test/cluster/harness.js';

type Step = (...args: KernelArg[]) => unknown;

/** Bodies on a ring (deterministic): the arguments of `step(x, y, z, vx, vy, vz, mass, n, dt)`. */
function bodies(n: number): KernelArg[] {
  const arr = (): Float64Array => new Float64Array(n);
  const [x, y, z, vx, vy, vz, mass] = [arr(), arr(), arr(), arr(), arr(), arr(), arr()];
  for (let i = 0; i < n; i++) {
    const t = (i * 2.399963) % (2 * Math.PI);
    const r = 1 + (i % 97) / 97;
    x[i] = r * Math.cos(t);
    y[i] = r * Math.sin(t);
    z[i] = ((i % 13) - 6) / 60;
    mass[i] = 1 / n;
  }
  return [x, y, z, vx, vy, vz, mass, n, 0.01];
}

const clone = (args: readonly KernelArg[]): KernelArg[] =>
  args.map((a) => (typeof a === 'number' ? a : (a as Float64Array).slice()));

function sameBits(a: readonly KernelArg[], b: readonly KernelArg[]): boolean {
  return a.every((x, i) => {
    const y = b[i]!;
    if (typeof x === 'number') return Object.is(x, y);
    const p = x as Float64Array;
    const q = y as Float64Array;
    return p.length === q.length && p.every((v, k) => Object.is(v, q[k]));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(runs: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up (module load, connection, worker input caches)
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

interface Ctx {
  readonly redis: RedisServer;
  readonly clusterDir: string;
  readonly cluster: Module;
  readonly single: Step;
  readonly runs: number;
}

async function withWorkers<T>(
  ctx: Ctx,
  redis: RedisServer,
  count: number,
  env: Record<string, string>,
  f: (w: ChildProcess[]) => Promise<T>,
): Promise<T> {
  const workers = await Promise.all(
    Array.from({ length: count }, () => startWorker(ctx.clusterDir, redis, { env })),
  );
  try {
    return await f(workers);
  } finally {
    await Promise.all(workers.map((w) => stop(w)));
  }
}

function useQueue(ctx: Ctx, url: string, queue: string): Promise<void> {
  process.env.HOTLOOP_REDIS_URL = url;
  process.env.HOTLOOP_CLUSTER_QUEUE = queue;
  return ctx.cluster.close();
}

/** Cluster time per worker count at size n (2 shards per worker), and the single-process time. */
async function speedups(ctx: Ctx, n: number, counts: readonly number[]) {
  const args = bodies(n);
  const single = await timeIt(ctx.runs, () => Promise.resolve(ctx.single(...clone(args))));
  const out: { workers: number; ms: number; speedup: number }[] = [];
  for (const w of counts) {
    await useQueue(ctx, ctx.redis.url, `bench-speed-${w}`);
    const ms = await withWorkers(ctx, ctx.redis, w, { HOTLOOP_CLUSTER_QUEUE: `bench-speed-${w}` }, () =>
      timeIt(ctx.runs, () => ctx.cluster.withOptions({ shards: 2 * w }, ...clone(args))),
    );
    out.push({ workers: w, ms, speedup: single / ms });
  }
  return { single, out };
}

/** (t(16 shards) − t(1 shard)) / 15 on a tiny input with one worker: what one more shard costs. */
async function perShardOverhead(ctx: Ctx): Promise<number> {
  const args = bodies(64);
  await useQueue(ctx, ctx.redis.url, 'bench-overhead');
  return withWorkers(ctx, ctx.redis, 1, { HOTLOOP_CLUSTER_QUEUE: 'bench-overhead' }, async () => {
    const one = await timeIt(ctx.runs, () => ctx.cluster.withOptions({ shards: 1 }, ...clone(args)));
    const many = await timeIt(ctx.runs, () => ctx.cluster.withOptions({ shards: 16 }, ...clone(args)));
    // Two sharded loops per call (forces, then positions): per shard of one loop.
    return (many - one) / 15 / 2;
  });
}

/** Smallest n of the sweep where `workers` workers beat the single process, or null. */
async function crossover(ctx: Ctx, workers: number, sizes: readonly number[]) {
  const q = 'bench-crossover';
  await useQueue(ctx, ctx.redis.url, q);
  return withWorkers(ctx, ctx.redis, workers, { HOTLOOP_CLUSTER_QUEUE: q }, async () => {
    const rows: { n: number; single: number; cluster: number }[] = [];
    for (const n of sizes) {
      const args = bodies(n);
      const single = await timeIt(ctx.runs, () => Promise.resolve(ctx.single(...clone(args))));
      const cluster = await timeIt(ctx.runs, () =>
        ctx.cluster.withOptions({ shards: 2 * workers }, ...clone(args)),
      );
      rows.push({ n, single, cluster });
    }
    return { rows, at: rows.find((r) => r.cluster < r.single)?.n ?? null };
  });
}

/** kill -9 of one of two workers mid-shard: identical outputs? shards lost or completed twice? */
async function killDrill(ctx: Ctx) {
  const log = join(mkdtempSync(join(tmpdir(), 'hotloop-bench-')), 'events.jsonl');
  appendFileSync(log, '');
  const q = 'bench-kill';
  const env = { HOTLOOP_CLUSTER_QUEUE: q, HOTLOOP_CLUSTER_LOG: log, HOTLOOP_CLUSTER_SHARD_DELAY_MS: '400' };
  await useQueue(ctx, ctx.redis.url, q);
  const args = bodies(400);
  const ref = clone(args);
  await withWorkers(ctx, ctx.redis, 2, env, () => ctx.cluster.withOptions({ shards: 4 }, ...ref));
  const before = readEvents(log).length;
  const got = clone(args);
  return withWorkers(ctx, ctx.redis, 2, env, async ([a]) => {
    const run = ctx.cluster.withOptions({ shards: 4 }, ...got);
    await until(log, (ev) => ev.slice(before).some((e) => e.event === 'start' && e.pid === a!.pid));
    a!.kill('SIGKILL');
    await run;
    const done = readEvents(log)
      .slice(before)
      .filter((e) => e.event === 'done');
    const perShard = new Map<string, number>();
    for (const e of done)
      perShard.set(`${e.loop}/${e.shard}`, (perShard.get(`${e.loop}/${e.shard}`) ?? 0) + 1);
    const expected = 8; // 4 shards of each of the two loops
    const lost = expected - perShard.size;
    const twice = [...perShard.values()].reduce((s, c) => s + (c - 1), 0);
    return { identical: sameBits(ref, got), lostOrDuplicated: lost + twice };
  });
}

/** Redis (append-only) restarted while a shard runs: "resumed" (identical), "failed clearly" or "WRONG RESULT". */
async function restartDrill(ctx: Ctx): Promise<string> {
  const redis = await startRedis(true);
  const log = join(mkdtempSync(join(tmpdir(), 'hotloop-bench-')), 'events.jsonl');
  appendFileSync(log, '');
  const q = 'bench-restart';
  const env = { HOTLOOP_CLUSTER_QUEUE: q, HOTLOOP_CLUSTER_LOG: log, HOTLOOP_CLUSTER_SHARD_DELAY_MS: '600' };
  await useQueue(ctx, redis.url, q);
  const args = bodies(300);
  const ref = clone(args);
  const got = clone(args);
  try {
    return await withWorkers(ctx, redis, 2, env, async () => {
      await ctx.cluster.withOptions({ shards: 4 }, ...ref);
      const before = readEvents(log).length;
      const run = ctx.cluster.withOptions({ shards: 4 }, ...got);
      await until(log, (ev) => ev.slice(before).some((e) => e.event === 'start'));
      await redis.restart();
      try {
        await run;
      } catch (err) {
        return (err as Error).name === 'ClusterError' ? 'failed clearly' : `failed: ${String(err)}`;
      }
      return sameBits(ref, got) ? 'resumed' : 'WRONG RESULT';
    });
  } finally {
    await useQueue(ctx, ctx.redis.url, 'bench-done');
    await stop(redis.child);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      n: { type: 'string' },
      workers: { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const n = Number(values.n ?? 2500);
  const counts = (values.workers ?? '1,2').split(',').map(Number);
  ensureRedis();
  const kernel = exampleKernel('nbody.ts', 'step');
  const [clusterDir, wasmDir] = await Promise.all([
    buildWasmFolder(kernel, 'cluster'),
    buildWasmFolder(kernel, 'wasm'),
  ]);
  const redis = await startRedis();
  const wasm = (await import(join(wasmDir, 'index.ts'))) as Record<string, unknown>;
  const ctx: Ctx = {
    redis,
    clusterDir,
    cluster: await load(clusterDir, 'step'),
    single: wasm.step as Step,
    runs: Number(values.runs ?? 3),
  };
  const load0 = loadavg()[0]!;
  try {
    const sp = await speedups(ctx, n, counts);
    const overhead = await perShardOverhead(ctx);
    const maxW = Math.max(...counts);
    const cross = await crossover(
      ctx,
      maxW,
      [250, 500, 1000, 2000, 4000].filter((s) => s <= Math.max(n, 1000)),
    );
    const kill = await killDrill(ctx);
    const restart = await restartDrill(ctx);
    const figures = {
      kernel: 'nbody step',
      n,
      cpus: cpus().length,
      load_avg_1m: [Number(load0.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
      single_process_wasm_ms: Number(sp.single.toFixed(2)),
      workers: counts,
      cluster_ms: Object.fromEntries(sp.out.map((r) => [r.workers, Number(r.ms.toFixed(2))])),
      speedup: Object.fromEntries(sp.out.map((r) => [r.workers, Number(r.speedup.toFixed(3))])),
      per_shard_overhead_ms: Number(overhead.toFixed(2)),
      crossover_elements: cross.at,
      crossover_workers: maxW,
      crossover_sweep: cross.rows.map((r) => ({
        n: r.n,
        single_ms: Number(r.single.toFixed(2)),
        cluster_ms: Number(r.cluster.toFixed(2)),
      })),
      killed_worker_identical: kill.identical,
      lost_or_duplicated_shards: kill.lostOrDuplicated,
      redis_restart: restart,
    };
    console.log(`n-body step, n = ${n}, single-process wasm ${sp.single.toFixed(1)} ms`);
    for (const r of sp.out)
      console.log(`  ${r.workers} worker(s): ${r.ms.toFixed(1)} ms, speedup ${r.speedup.toFixed(2)}×`);
    console.log(
      `per-shard overhead ${overhead.toFixed(2)} ms; crossover (${maxW} workers): ${cross.at ?? 'none in sweep'}`,
    );
    for (const r of cross.rows)
      console.log(`  n = ${r.n}: single ${r.single.toFixed(1)} ms, cluster ${r.cluster.toFixed(1)} ms`);
    console.log(
      `kill -9 mid-shard: identical ${kill.identical}, lost/duplicated shards ${kill.lostOrDuplicated}; Redis restart: ${restart}`,
    );
    console.log(`load average ${figures.load_avg_1m.join(' → ')} on ${figures.cpus} cores`);
    if (values.json) console.log(JSON.stringify(figures));
  } finally {
    await ctx.cluster.close();
    await stopAll();
  }
}

main().catch(async (err: unknown) => {
  console.error(err);
  await stopAll();
  process.exitCode = 1;
});
