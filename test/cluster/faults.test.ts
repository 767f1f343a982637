// Fault drills of the cluster target through a real redis-server and real worker processes (the sum
// reduction of examples/): Redis unreachable, kill -9 of a worker mid-shard, Redis restarted mid-job
// (without and with persistence), a worker of another build, cancellation, the job timeout. Workers
// hold each shard a while (HOTLOOP_CLUSTER_SHARD_DELAY_MS) so that a fault lands mid-shard; every
// wait is on an event (a shard started), never on a duration.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import {
  buildClusterScaffold,
  compileWasm,
  ensureRedis,
  exampleKernel,
  load,
  readEvents,
  startRedis,
  startWorker,
  stop,
  stopAll,
  survivors,
  until,
  type Module,
  type RedisServer,
} from './harness.js';

const kernel = exampleKernel('sensorStats.ts', 'sum');
const inputs = makeInputs(kernel, { n: 50_000, seed: 3 });
const logDir = mkdtempSync(join(tmpdir(), 'hotloop-cluster-log-'));
let redis: RedisServer;
let dir = '';
let mod: Module;
/** The cluster's own result with 4 shards and no fault: every drill must give exactly this or fail. */
let reference = NaN;
/** Shards done, as the reference run reported them. */
const progress: number[] = [];

interface ClusterErrorLike {
  readonly name: string;
  readonly reason: string;
  readonly message: string;
}
function clusterError(reason: string, message: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    const c = e as ClusterErrorLike;
    assert.equal(c.name, 'ClusterError', String(e));
    assert.equal(c.reason, reason, c.message);
    assert.match(c.message, message);
    return true;
  };
}

/** Points the producer at `url` and `queue` (a fresh connection). */
async function use(url: string, queue: string): Promise<void> {
  await mod.close();
  process.env.HOTLOOP_REDIS_URL = url;
  process.env.HOTLOOP_CLUSTER_QUEUE = queue;
}

function call(opts: Parameters<Module['withOptions']>[0] = {}): Promise<unknown> {
  return mod.withOptions({ shards: 4, ...opts }, ...cloneArgs(inputs));
}

/** Worker env for a drill: its queue, the event log, a hold per shard. */
function drill(queue: string, delayMs: number): { env: Record<string, string>; log: string } {
  const log = join(logDir, `${queue}.jsonl`);
  appendFileSync(log, '');
  return {
    log,
    env: {
      HOTLOOP_CLUSTER_QUEUE: queue,
      HOTLOOP_CLUSTER_LOG: log,
      HOTLOOP_CLUSTER_SHARD_DELAY_MS: String(delayMs),
    },
  };
}

before(async () => {
  ensureRedis();
  redis = await startRedis();
  dir = await buildClusterScaffold(kernel);
  mod = await load(dir, 'sum');
  const d = drill('q-ref', 0);
  const workers = await Promise.all([startWorker(dir, redis, d), startWorker(dir, redis, d)]);
  await use(redis.url, 'q-ref');
  reference = (await call({ onProgress: (p) => progress.push(p.done) })) as number;
  await Promise.all(workers.map((w) => stop(w)));
});
after(async () => {
  await mod.close();
  await stopAll();
});

test('the reference run equals the original within shard-order reassociation', () => {
  const want = mod.original(...cloneArgs(inputs)) as number;
  assert.ok(Math.abs(reference - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${reference} vs ${want}`);
});

test('progress events count the shards up to all of them', () => {
  assert.ok(progress.length > 0);
  assert.equal(progress.at(-1), 4);
  assert.ok(
    progress.every((d, i) => i === 0 || d > progress[i - 1]!),
    progress.join(' '),
  );
});

test('Ctrl-C (SIGINT) of a calling process removes its shards, and the process still dies of it', async () => {
  const d = drill('q-sigint', 400);
  const workers = await Promise.all([startWorker(dir, redis, d), startWorker(dir, redis, d)]);
  const script = join(logDir, 'caller.mts');
  writeFileSync(
    script,
    `const m = await import(${JSON.stringify(join(dir, 'index.ts'))});\nawait m.sumWith({ shards: 12 }, new Float64Array(50000).fill(1));\nconsole.log('finished');\n`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOTLOOP_REDIS_URL: redis.url, HOTLOOP_CLUSTER_QUEUE: 'q-sigint' },
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((ok) =>
    child.once('exit', (_c, sig) => {
      ok(sig);
    }),
  );
  await until(d.log, (ev) => ev.some((e) => e.event === 'start'));
  child.kill('SIGINT');
  assert.equal(await exited, 'SIGINT');
  const endedAt = Date.now();
  assert.doesNotMatch(out, /finished/);
  await new Promise((r) => setTimeout(r, 1500)); // a window for a queued shard to start, were one left
  const starts = readEvents(d.log).filter((e) => e.event === 'start');
  assert.ok(starts.length < 12, `all ${starts.length} shards ran`);
  assert.deepEqual(
    starts.filter((e) => e.t > endedAt),
    [],
  );
  const r = new Redis(redis.url);
  try {
    const jobs = (await r.keys('bull:q-sigint:*')).filter((k) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(k));
    assert.deepEqual(jobs, [], 'shards of the interrupted job are still queued');
    const data = (await r.keys('hl:*')).filter((k) => !k.endsWith(':cancel'));
    assert.deepEqual(data, [], 'inputs or results of the interrupted job are left');
  } finally {
    r.disconnect();
  }
  await Promise.all(workers.map((w) => stop(w)));
});

test('Redis unreachable: a ClusterError that names the URL, no hang', async () => {
  const dead = await startRedis();
  const url = dead.url;
  await stop(dead.child);
  await use(url, 'q-dead');
  await assert.rejects(call(), clusterError('unreachable', new RegExp(`cannot reach Redis at ${url}`)));
});

test('kill -9 of a worker mid-shard: the job completes with the identical result', async () => {
  const d = drill('q-kill', 600);
  const [a, b] = await Promise.all([startWorker(dir, redis, d), startWorker(dir, redis, d)]);
  await use(redis.url, 'q-kill');
  const result = call();
  await until(d.log, (ev) => ev.some((e) => e.event === 'start' && e.pid === a.pid));
  a.kill('SIGKILL');
  assert.ok(Object.is(await result, reference), 'result differs from the fault-free run');
  const done = new Set(
    readEvents(d.log)
      .filter((e) => e.event === 'done')
      .map((e) => e.shard),
  );
  assert.deepEqual([...done].sort(), [0, 1, 2, 3], 'every shard completed');
  await stop(b);
});

test('Redis restarted mid-job without persistence: fails clearly, never a partial result', async () => {
  const r = await startRedis(false);
  const d = drill('q-restart', 800);
  const workers = await Promise.all([startWorker(dir, r, d), startWorker(dir, r, d)]);
  await use(r.url, 'q-restart');
  const result = call();
  await until(d.log, (ev) => ev.some((e) => e.event === 'start'));
  await r.restart();
  await assert.rejects(result, clusterError('lost', /vanished from Redis|lost the connection/));
  await Promise.all(workers.map((w) => stop(w)));
  await stop(r.child);
});

test('Redis restarted mid-job with an append-only file: resumes with the identical result', async (t) => {
  const r = await startRedis(true);
  const d = drill('q-aof', 800);
  const workers = await Promise.all([startWorker(dir, r, d), startWorker(dir, r, d)]);
  await use(r.url, 'q-aof');
  const result = call();
  await until(d.log, (ev) => ev.some((e) => e.event === 'start'));
  await r.restart();
  const outcome = await result.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  t.diagnostic(outcome.ok ? 'resumed' : `failed: ${String(outcome.e)}`);
  // Resuming is what an append-only Redis allows; the one thing never allowed is a different result.
  if (outcome.ok) assert.ok(Object.is(outcome.v, reference), 'resumed with a different result');
  else clusterError('failed', /./)(outcome.e);
  assert.ok(outcome.ok, 'expected the job to resume after an append-only restart');
  await Promise.all(workers.map((w) => stop(w)));
  await stop(r.child);
});

test('a worker of another build: the shards fail with that reason', async () => {
  const other = `${dir}-old`;
  cpSync(dir, other, { recursive: true, filter: (src) => !src.includes('/dist') });
  appendFileSync(
    join(other, 'assembly/kernel.ts'),
    '\nexport function hotloopBuildTag(): i32 { return 2; }\n',
  );
  await compileWasm(other);
  const w = await startWorker(other, redis, drill('q-wrong', 0));
  await use(redis.url, 'q-wrong');
  await assert.rejects(
    call(),
    clusterError(
      'failed',
      /shard \d+ failed: wrong worker build: this worker runs kernel\.wasm [0-9a-f]{16}, the job needs [0-9a-f]{16}/,
    ),
  );
  await stop(w);
});

test('cancel: the call rejects, no shard starts after it, and the job leaves only a cancel mark with a TTL', async () => {
  const d = drill('q-cancel', 300);
  const workers = await Promise.all([startWorker(dir, redis, d), startWorker(dir, redis, d)]);
  await use(redis.url, 'q-cancel');
  const ac = new AbortController();
  const result = call({ shards: 12, signal: ac.signal });
  await until(d.log, (ev) => ev.some((e) => e.event === 'start'));
  ac.abort();
  await assert.rejects(result, clusterError('cancelled', /cancelled/));
  const cancelledAt = Date.now();
  // A window for a violation to show: the workers are idle and would pick up any shard left queued.
  await new Promise((r) => setTimeout(r, 1500));
  const starts = readEvents(d.log).filter((e) => e.event === 'start');
  assert.ok(starts.length < 12, `all ${starts.length} shards ran`);
  assert.deepEqual(
    starts.filter((e) => e.t > cancelledAt),
    [],
  );
  const r = new Redis(redis.url);
  try {
    const keys = (await r.keys('*')).filter((k) => k.startsWith('hl:') || /[0-9a-f]{8}-[0-9a-f]{4}-/.test(k));
    assert.ok(keys.length > 0 && keys.every((k) => k.endsWith(':cancel')), keys.join(' '));
    for (const k of keys) assert.ok((await r.ttl(k)) > 0, `${k} has no TTL`);
  } finally {
    r.disconnect();
  }
  await Promise.all(workers.map((w) => stop(w)));
});

test('the job timeout: a ClusterError, the shards removed', async () => {
  const d = drill('q-timeout', 5000);
  const w = await startWorker(dir, redis, d);
  await use(redis.url, 'q-timeout');
  await assert.rejects(call({ timeoutMs: 200 }), clusterError('timeout', /timed out after 200 ms/));
  await stop(w);
});

test('no redis-server or worker process is left', async () => {
  await mod.close();
  await stopAll();
  assert.deepEqual(survivors(), []);
});
