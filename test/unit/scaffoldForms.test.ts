// Differential fuzz of the wasm and worker emitters on the newer IR forms: early exits
// (break/continue/return), descending/run-time steps and arrays of rows. A target that declines must say why;
// one that accepts must match the interpreter and the original JS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzConfig, generateFormKernels } from '../support/kernelGen.js';
import { buildBatch, checkCase, expectingFallbacks } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { printKernel } from '../../src/core/ir/print.js';
import type { Kernel, KernelOutput } from '../../src/core/ir/types.js';
import { add, arrayParam, for_, kernel, len, load, mul, num, ref, store } from '../../src/core/ir/build.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { loadJs } from '../support/loadJs.js';
import { buildNativeGpuBatch } from './nativeGpuBatch.js';

const { seed } = fuzzConfig(0);

/** The error `f` throws, as `Class: message`, or undefined. */
function errorOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
  }
}

/** out[i] = 2·xs[i] + 1 over an untyped `xs` whose element type was inferred from use. */
const inferredMap: Kernel = kernel({
  name: 'inferredMap',
  pattern: 'map',
  params: [
    { ...arrayParam('xs', 'f64', 'read', 'array'), typeSource: 'inferred' },
    arrayParam('out', 'f64', 'write', 'array'),
  ],
  body: [
    for_('i', num(0), len('xs'), [store('out', ref('i'), add(mul(load('xs', ref('i')), num(2)), num(1)))], {
      parallel: [],
    }),
  ],
  result: { kind: 'void' },
});
const count = 40;
let batch: Batch | undefined;
after(async () => {
  await batch?.close();
});

test(`wasm and worker scaffolds of ${count} early-exit and step kernels match the interpreter (seed ${seed})`, async () => {
  const kernels = [...generateFormKernels({ seed, count, forms: ['exit', 'step', 'rank2'] }), inferredMap];
  batch = await buildBatch(kernels);
  const edges: InputEdge[] = ['none', 'subarray', 'nan', 'empty', 'one', 'mixed'];
  const failures: string[] = [];
  let cases = 0;
  for (const [i, b] of batch.built.entries()) {
    for (const edge of [edges[0]!, edges[1 + (i % (edges.length - 1))]!]) {
      failures.push(...(await checkCase(b, { n: 33 + (i % 5) * 17, seed: seed + i, edge }, seed)));
      cases++;
    }
  }
  const wasm = batch.built.filter((b) => b.wasm).length;
  const declined = batch.built.flatMap((b) => Object.values(b.declined));
  console.log(
    `scaffold forms: ${count} kernels, ${cases} cases; wasm ${wasm}, worker ${batch.built.filter((b) => b.worker).length}`,
  );
  assert.equal(failures.length, 0, failures.slice(0, 3).join('\n\n'));
  // Every early exit and step form is taken by wasm.
  for (const b of batch.built) assert.ok(b.wasm, `${b.kernel.name}: ${b.declined.wasm ?? ''}`);
  for (const why of declined) assert.ok(why.length > 20, `a decline states its reason: '${why}'`);

  // A run-time step that is not a non-zero integer: the wrapper runs the original instead.
  let fellBack = 0;
  for (const b of batch.built.filter((x) => JSON.stringify(x.kernel.body).includes('"stepExpr"'))) {
    const k = b.kernel;
    const args = makeInputs(k, { n: 20, seed, edge: 'none' }).map((a, j) =>
      k.params[j]!.name === 'stride' ? 0.5 : a,
    );
    const mine = cloneArgs(args);
    const theirs = cloneArgs(args);
    const { reports } = expectingFallbacks(() => b.wasm!.fn(...mine));
    loadJs(kernelToJs(k), k.name)(...theirs);
    assert.deepEqual(mine, theirs, `${k.name} with a fractional step`);
    assert.match(reports.join('\n'), /the step of the loop over '\w+' is not an integer/, k.name);
    fellBack++;
  }
  assert.ok(fellBack > 0);

  // An inferred number[] that holds something else: reported (an error under HOTLOOP_STRICT=1), and
  // the original's result.
  const inf = batch.built.find((b) => b.kernel === inferredMap)!;
  const { reports } = expectingFallbacks(() => {
    for (const _ of [1, 2]) {
      const xs = [1, '2', 3] as unknown as number[];
      const a = [0, 0, 0];
      const b = [0, 0, 0];
      inf.wasm!.fn(xs, a);
      loadJs(kernelToJs(inferredMap), inferredMap.name)(xs, b);
      assert.deepEqual(a, b);
    }
  });
  assert.equal(reports.length, 2, reports.join('\n'));
  assert.match(
    reports[0]!,
    /`xs` is not an array of numbers or a numeric typed array; its type was inferred/,
  );
  const ok = [0, 0];
  inf.wasm!.fn([1, 2], ok);
  assert.deepEqual(ok, [3, 5]);
});

test(`native scaffolds of early-exit and step kernels match the interpreter (seed ${seed})`, async () => {
  const kernels = generateFormKernels({
    seed: seed + 1,
    count: 30,
    forms: ['exit', 'step', 'throw', 'rank2'],
  });
  const nb = await buildNativeGpuBatch(kernels, { native: true, gpu: false });
  try {
    const failures: string[] = [];
    let threw = 0;
    for (const [i, k] of kernels.entries()) {
      const fast = nb.native.get(k.name);
      assert.ok(fast, `${k.name}: ${nb.declined.find((d) => d.startsWith(k.name)) ?? ''}`);
      for (const edge of ['none', 'nan', 'empty', 'subarray'] as const) {
        const n = 40 + i;
        const inputs = makeInputs(k, { n, seed: seed + i, edge });
        const refArgs = cloneArgs(inputs);
        const args = cloneArgs(inputs);
        let expected: KernelOutput | undefined;
        let result: unknown;
        const a = errorOf(() => {
          expected = runKernel(k, refArgs);
        });
        const b = errorOf(() => {
          result = fast(...args);
        });
        if (a !== undefined || b !== undefined) {
          // A throw guard: the same class and message, and the same elements written before it.
          threw++;
          if (a !== b) failures.push(`${k.name} (${edge}): threw ${String(b)}, expected ${String(a)}`);
          else assert.deepEqual(args, refArgs, `${k.name} (${edge}): arrays after the throw`);
          continue;
        }

        const written = Object.fromEntries(
          k.params.flatMap((p, j) => (p.kind === 'array' && p.access !== 'read' ? [[p.name, args[j]!]] : [])),
        );
        const c = compareOutputs(expected!, { result: result as KernelOutput['result'], written }, k, {
          n,
          reassociated: false,
          precision: 'f64',
          inputs,
        });
        if (!c.ok) failures.push(`${k.name} (${edge}): ${c.detail}\n${printKernel(k)}`);
      }
    }
    assert.deepEqual(failures.slice(0, 3), []);
    assert.ok(threw > 0, 'some throw guards fired');
  } finally {
    await nb.close();
  }
});
