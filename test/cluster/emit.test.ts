// The cluster emitter without Redis: what it declines (with the reason), what a folder holds (pinned
// engine, deployment files), and the shard kernels it derives from a kernel's parallel loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kernel } from '../../src/core/ir/types.js';
import { clusterEmitter, BULLMQ_VERSION, IOREDIS_VERSION } from '../../src/core/scaffold/cluster/emit.js';
import { shardLoops, FROM, TO, PARTIALS } from '../../src/core/scaffold/cluster/shards.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { exampleKernel } from './harness.js';

const v = (name: string) => ({ kind: 'var', name }) as const;

/** `for (i = 1; i < a.length; i++) a[i] = a[i] + a[i - 1]`: a scan, not parallel. */
const scan: Kernel = {
  irVersion: 1,
  name: 'prefix',
  params: [{ kind: 'array', name: 'a', dtype: 'f64', container: 'typed', access: 'readwrite' }],
  consts: [],
  body: [
    {
      kind: 'for',
      index: 'i',
      start: { kind: 'const', value: 1 },
      end: { kind: 'len', array: 'a' },
      step: 1,
      body: [
        {
          kind: 'store',
          array: 'a',
          index: v('i'),
          value: {
            kind: 'bin',
            op: '+',
            left: { kind: 'load', array: 'a', index: v('i') },
            right: {
              kind: 'load',
              array: 'a',
              index: { kind: 'bin', op: '-', left: v('i'), right: { kind: 'const', value: 1 } },
            },
          },
        },
      ],
    },
  ],
  result: { kind: 'void' },
  pattern: 'scan',
  orderSensitive: false,
  inlined: [],
};

test('a kernel without a parallel loop is declined with the reason', () => {
  const r = clusterEmitter.emit(scan, { exportName: 'prefix' });
  assert.ok(!r.ok);
  assert.match(r.reason, /no top-level loop is marked parallel/);
});

test('a kernel without arrays is declined: nothing to shard', () => {
  const r = clusterEmitter.emit({ ...scan, params: [], body: [] }, { exportName: 'prefix' });
  assert.ok(!r.ok);
  assert.match(r.reason, /takes no arrays/);
});

test('the folder pins the engine and carries the deployment files', () => {
  const r = clusterEmitter.emit(exampleKernel('sensorStats.ts', 'sum'), { exportName: 'sum' });
  assert.ok(r.ok);
  assert.deepEqual(r.dependencies, { bullmq: BULLMQ_VERSION, ioredis: IOREDIS_VERSION });
  assert.match(BULLMQ_VERSION, /^\d+\.\d+\.\d+$/);
  const paths = r.files.map((f) => f.path).sort();
  for (const p of ['Dockerfile', 'compose.yaml', 'k8s/workers.yaml', 'worker.ts', 'cluster.ts', 'index.ts'])
    assert.ok(paths.includes(p), `${p} missing`);
  assert.match(r.files.find((f) => f.path === 'k8s/workers.yaml')!.contents, /kind: Deployment/);
  assert.match(
    r.files.find((f) => f.path === 'index.ts')!.contents,
    /export function sum\(xs: Float64Array\): Promise<number>/,
  );
  assert.equal(r.scripts?.worker, 'node dist/worker.js');
  assert.equal(r.properties.async, true);
});

test('a shard kernel runs iterations [from, to) and stores the partial of its reduction', () => {
  const { loops } = shardLoops(exampleKernel('sensorStats.ts', 'sum'));
  assert.equal(loops.length, 1);
  const k = loops[0]!.kernel;
  assert.deepEqual(
    k.params.map((p) => p.name),
    ['xs', FROM, TO, PARTIALS],
  );
  const xs = Float64Array.from([1, 2, 4, 8, 16, 32]);
  const partials = new Float64Array(1);
  runKernel(k, [xs, 2, 5, partials]);
  assert.deepEqual([...partials], [4 + 8 + 16]);
});

test('the n-body step has two sharded loops; n and dt travel as scalars', () => {
  const { loops, inline } = shardLoops(exampleKernel('nbody.ts', 'step'));
  assert.deepEqual(inline, []);
  assert.equal(loops.length, 2);
  assert.deepEqual(loops[0]!.scalars.map((s) => s.name).sort(), ['dt', 'n']);
  assert.deepEqual(
    loops[0]!.arrays.filter((a) => a.access !== 'read').map((a) => a.name),
    ['vx', 'vy', 'vz'],
  );
  assert.deepEqual(
    loops[1]!.arrays.filter((a) => a.access !== 'read').map((a) => a.name),
    ['x', 'y', 'z'],
  );
});
