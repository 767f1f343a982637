// The cluster scaffolds of three examples kernels (a reduction, gemv, the n-body step) through a real
// redis-server and two worker processes each: results equal the original JS (within the reassociation
// of shard-order sums), are identical run to run, and nothing of a job is left in Redis afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { cloneArgs, makeInputs, type InputEdge } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import {
  buildClusterScaffold,
  ensureRedis,
  exampleKernel,
  load,
  type Module,
  startRedis,
  startWorker,
  stopAll,
  type RedisServer,
} from './harness.js';

function output(k: Kernel, result: unknown, args: readonly KernelArg[]): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[i]!;
  });
  return { result: result as KernelOutput['result'], written };
}

function sameBits(a: KernelOutput, b: KernelOutput): boolean {
  const eq = (x: unknown, y: unknown): boolean => {
    if (typeof x !== 'object' || x === null) return Object.is(x, y);
    const p = x as ArrayLike<number>;
    const q = y as ArrayLike<number>;
    return p.length === q.length && Array.from(p).every((v, i) => Object.is(v, q[i]));
  };
  return eq(a.result, b.result) && Object.keys(a.written).every((n) => eq(a.written[n], b.written[n]));
}

const EXAMPLES = [
  { file: 'sensorStats.ts', fn: 'sum', n: 4099 },
  { file: 'matmul.ts', fn: 'gemv', n: 3000 },
  { file: 'nbody.ts', fn: 'step', n: 700 },
] as const;
const EDGES: readonly InputEdge[] = ['none', 'empty', 'one', 'nan', 'inf', 'subarray', 'mixed'];

let redis: RedisServer;
before(async () => {
  ensureRedis();
  redis = await startRedis();
  process.env.HOTLOOP_REDIS_URL = redis.url;
});
after(async () => {
  await stopAll();
});

for (const ex of EXAMPLES) {
  describe(`cluster scaffold of ${ex.fn} (${ex.file}) on 2 workers`, () => {
    const kernel = exampleKernel(ex.file, ex.fn);
    let mod: Module | undefined;
    before(async () => {
      const dir = await buildClusterScaffold(kernel);
      await Promise.all([startWorker(dir, redis), startWorker(dir, redis)]);
      mod = await load(dir, ex.fn);
    });
    after(async () => {
      await mod?.close();
    });

    test('equals the original on random inputs, edge cases included (empty, 1, NaN/±Inf, subarrays)', async () => {
      for (const [i, edge] of EDGES.entries()) {
        const inputs = makeInputs(kernel, { n: edge === 'none' ? ex.n : 257 + i, seed: 7 + i, edge });
        const want = cloneArgs(inputs);
        const expected = output(kernel, mod!.original(...want), want);
        const got = cloneArgs(inputs);
        const actual = output(kernel, await mod!.withOptions({ shards: 3 }, ...got), got);
        const cmp = compareOutputs(expected, actual, kernel, {
          n: ex.n,
          reassociated: true,
          precision: 'f64',
          inputs,
        });
        assert.ok(cmp.ok, `${ex.fn} (${edge}): ${cmp.detail}`);
      }
    });

    test('the same shards give bit-identical results run to run (combined in shard order)', async () => {
      const inputs = makeInputs(kernel, { n: ex.n, seed: 99 });
      const runs: KernelOutput[] = [];
      for (let r = 0; r < 2; r++) {
        const args = cloneArgs(inputs);
        runs.push(output(kernel, await mod!.withOptions({ shards: 5 }, ...args), args));
      }
      assert.ok(sameBits(runs[0]!, runs[1]!), 'two runs with 5 shards differ');
    });
  });
}

test('nothing of the jobs is left in Redis after success', async () => {
  const r = new Redis(redis.url);
  try {
    const keys = await r.keys('*');
    const leftovers = keys.filter((k) => k.startsWith('hl:') || /[0-9a-f]{8}-[0-9a-f]{4}-/.test(k));
    assert.deepEqual(leftovers, []);
    for (const ex of EXAMPLES) {
      const counts = await Promise.all(
        ['wait', 'active', 'completed', 'failed', 'delayed', 'waiting-children'].map((s) =>
          r.zcard(`bull:hotloop-${ex.fn}:${s}`).catch(() => r.llen(`bull:hotloop-${ex.fn}:${s}`)),
        ),
      );
      assert.deepEqual(counts, [0, 0, 0, 0, 0, 0], `jobs left in queue hotloop-${ex.fn}`);
    }
  } finally {
    r.disconnect();
  }
});
