// Arrays of rows (rank 2: `number[][]`, `Float32Array[]`) on the compiled targets: the fixtures'
// kernels over rows and a few hand-made ones (rows written in place, typed rows, a missing row) are
// built for native (one addon), wasm (one module) and worker (one pool), and each agrees with the
// original JS on random ragged rows — empty rows, length 1, NaN/±Infinity — including the TypeError
// the JS throws on a missing row (with the writes made before it).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { analyzePath } from '../../src/core/analysis/index.js';
import {
  add,
  arrayParam,
  assign,
  for_,
  kernel,
  len,
  let_,
  load2,
  num,
  ref,
  rowLen,
  store,
  store2,
  mul,
} from '../../src/core/ir/build.js';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import type { TargetProperties } from '../../src/core/scaffold/types.js';
import { loadJs } from '../support/loadJs.js';
import { buildBatch } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';
import { buildNativeGpuBatch } from './nativeGpuBatch.js';
import type { NativeGpuBatch } from './nativeGpuBatch.js';

const root = resolve(import.meta.dirname, '../..');
const [i, j] = [ref('i'), ref('j')];
const rows = (
  name: string,
  dtype: 'f64' | 'f32',
  access: 'read' | 'readwrite',
  container: 'array' | 'typed',
) => ({
  ...arrayParam(name, dtype, access, container),
  rank: 2 as const,
});

const HAND_MADE: readonly Kernel[] = [
  // Rows written in place (number[][]): every element doubled.
  kernel({
    name: 'scaleRows',
    pattern: 'nested',
    params: [rows('m', 'f64', 'readwrite', 'array')],
    body: [
      for_(
        'i',
        num(0),
        len('m'),
        [for_('j', num(0), rowLen('m', i), [store2('m', i, j, mul(load2('m', i, j), num(2)))])],
        {
          parallel: [],
        },
      ),
    ],
    result: { kind: 'void' },
  }),
  // Typed rows: the first element (NaN for an empty row) plus the row's length.
  kernel({
    name: 'firstPlusLength',
    pattern: 'nested',
    params: [rows('m', 'f32', 'read', 'typed'), arrayParam('out', 'f64', 'write', 'typed')],
    body: [
      for_('i', num(0), len('m'), [store('out', i, add(load2('m', i, num(0)), rowLen('m', i)))], {
        parallel: [],
      }),
    ],
    result: { kind: 'void' },
  }),
  // Reads the next row's length: the last row has none, so JS throws a TypeError after writing out[0..n-2].
  kernel({
    name: 'nextRowLength',
    pattern: 'nested',
    params: [rows('m', 'f64', 'read', 'array'), arrayParam('out', 'f64', 'write', 'typed')],
    body: [for_('i', num(0), len('m'), [store('out', i, rowLen('m', add(i, num(1))))])],
    result: { kind: 'void' },
  }),
  // Writes into the next row: setting a property of undefined on the last one. (Typed rows: a write
  // past the end of a `number[]` row grows it in JS, but is dropped by the compiled targets.)
  kernel({
    name: 'shiftIntoNextRow',
    pattern: 'nested',
    params: [rows('m', 'f64', 'readwrite', 'typed')],
    body: [
      for_('i', num(0), len('m'), [
        let_('s', num(0)),
        for_('j', num(0), rowLen('m', i), [assign('s', add(ref('s'), load2('m', i, j)))]),
        store2('m', add(i, num(1)), num(0), ref('s')),
      ]),
    ],
    result: { kind: 'void' },
  }),
];

type Fn = (...args: KernelArg[]) => unknown;
interface Outcome {
  readonly output?: KernelOutput;
  readonly error?: string;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
}

function outputOf(k: Kernel, args: readonly KernelArg[], result: unknown): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, n) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[n]!;
  });
  return { result: k.result.kind === 'void' ? undefined : (result as KernelOutput['result']), written };
}

async function outcome(k: Kernel, args: KernelArg[], f: () => unknown): Promise<Outcome> {
  try {
    return { output: outputOf(k, args, await f()) };
  } catch (err) {
    // The arrays as the error left them (JS keeps the writes made before the throw).
    return { error: errorText(err), output: outputOf(k, args, undefined) };
  }
}

let wasmWorker: Batch | undefined;
let native: NativeGpuBatch | undefined;
after(async () => {
  await wasmWorker?.close();
  await native?.close();
});

test('kernels over arrays of rows build for native, wasm and worker and agree with the original JS', async () => {
  const files = ['70-rows-nearest.ts', '71-row-sums.ts'].map((f) => join(root, 'test/fixtures/loops', f));
  const analyses = await analyzePath(files, { rootDir: root });
  const fixtures = analyses.flatMap((a) =>
    a.loops.flatMap((l) =>
      l.kernel && l.depth === 0 && l.kernel.params.some((p) => p.kind === 'array' && p.rank === 2)
        ? [l.kernel]
        : [],
    ),
  );
  assert.ok(fixtures.length >= 2, `the row fixtures give ${fixtures.length} rank-2 kernels`);
  const kernels = [...fixtures, ...HAND_MADE];
  wasmWorker = await buildBatch(kernels);
  native = await buildNativeGpuBatch(kernels, { gpu: false });
  assert.deepEqual(native.declined, []);
  const failures: string[] = [];
  const counts = { cases: 0, errors: 0, native: 0, nativeAsync: 0, wasm: 0, worker: 0 };
  for (const b of wasmWorker.built) {
    const k = b.kernel;
    assert.ok(b.wasm, `wasm declined ${k.name}: ${b.declined.wasm ?? ''}`);
    // The worker shards parallel loops only; the early-failing kernels have none.
    if (k.body.some((s) => s.kind === 'for' && s.parallel))
      assert.ok(b.worker, `worker declined ${k.name}: ${b.declined.worker ?? ''}`);
    const targets: [string, Fn, TargetProperties][] = [
      ['native', native.native.get(k.name)!, { reassociates: false, precision: 'f64', async: false }],
    ];
    // The AsyncWorker entry: rows read on the JS thread, the kernel on a libuv thread, written back in OnOK.
    targets.push(['nativeAsync', native.nativeAsync.get(k.name)!, targets[0]![2]]);
    targets.push(['wasm', b.wasm.fn, b.wasm.props]);
    if (b.worker) targets.push(['worker', b.worker.fn, b.worker.props]);
    const js = loadJs(kernelToJs(k), k.name);
    const edges: InputEdge[] = ['none', 'empty', 'one', 'nan', 'mixed'];
    for (const [e, edge] of edges.entries()) {
      const c = { n: 9 + 8 * e, seed: 40 + e, edge };
      const inputs = makeInputs(k, c);
      counts.cases++;
      const jsArgs = cloneArgs(inputs);
      const expected = await outcome(k, jsArgs, () => js(...jsArgs));
      const interpArgs = cloneArgs(inputs);
      const interp = await outcome(k, interpArgs, () => runKernel(k, interpArgs).result);
      if (interp.error !== expected.error)
        failures.push(`${k.name} ${edge}: interpreter ${interp.error} vs JS ${expected.error}`);
      if (expected.error) counts.errors++;
      for (const [target, fn, props] of targets) {
        const args = cloneArgs(inputs);
        const got = await outcome(k, args, () => fn(...args));
        counts[target as 'native']++;
        const where = `${target} ${k.name} (edge ${edge}, n=${c.n})`;
        if (got.error !== expected.error) {
          failures.push(`${where}: ${got.error ?? 'no error'}, the JS gives ${expected.error ?? 'no error'}`);
          continue;
        }
        // After an error, shards of the worker may have run past the failing row: only the error is compared.
        if (got.error && target === 'worker') continue;
        const r = compareOutputs(expected.output!, got.output!, k, {
          n: c.n,
          reassociated: props.reassociates,
          precision: props.precision,
          inputs,
        });
        if (!r.ok) failures.push(`${where}: ${r.detail}`);
      }
    }
  }
  console.log(
    `rows: ${kernels.length} kernels, ${counts.cases} cases (${counts.errors} where the JS throws); native ${counts.native} (+${counts.nativeAsync} async), wasm ${counts.wasm}, worker ${counts.worker} runs`,
  );
  assert.deepEqual(failures, []);
  assert.ok(counts.errors >= 2, 'the missing-row kernels throw in the JS');
});
