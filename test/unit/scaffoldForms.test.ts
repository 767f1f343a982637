// Differential fuzz of the wasm and worker emitters on the newer IR forms: early exits
// (break/continue/return) and descending/run-time steps. A target that declines must say why;
// one that accepts must match the interpreter and the original JS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzConfig, generateFormKernels } from '../support/kernelGen.js';
import { buildBatch, checkCase } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { printKernel } from '../../src/core/ir/print.js';
import type { KernelOutput } from '../../src/core/ir/types.js';
import { buildNativeGpuBatch } from './nativeGpuBatch.js';

const { seed } = fuzzConfig(0);
const count = 40;
let batch: Batch | undefined;
after(async () => { await batch?.close(); });

test(`wasm and worker scaffolds of ${count} early-exit and step kernels match the interpreter (seed ${seed})`, async () => {
  const kernels = generateFormKernels({ seed, count, forms: ['exit', 'step'] });
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
  console.log(`scaffold forms: ${count} kernels, ${cases} cases; wasm ${wasm}, worker ${batch.built.filter((b) => b.worker).length}`);
  assert.equal(failures.length, 0, failures.slice(0, 3).join('\n\n'));
  // Every early exit and every constant step is taken by wasm; only run-time steps are declined, with a reason.
  for (const b of batch.built) {
    const runtimeStep = JSON.stringify(b.kernel.body).includes('"stepExpr"');
    assert.equal(b.wasm !== undefined, !runtimeStep, `${b.kernel.name}: ${b.declined.wasm ?? 'taken'}`);
  }
  for (const why of declined) assert.ok(why.length > 20, `a decline states its reason: '${why}'`);
});

test(`native scaffolds of early-exit and step kernels match the interpreter (seed ${seed})`, async () => {
  const kernels = generateFormKernels({ seed: seed + 1, count: 24, forms: ['exit', 'step'] });
  const nb = await buildNativeGpuBatch(kernels, { native: true, gpu: false });
  try {
    const failures: string[] = [];
    for (const [i, k] of kernels.entries()) {
      const fast = nb.native.get(k.name);
      const runtimeStep = JSON.stringify(k.body).includes('"stepExpr"');
      assert.equal(fast !== undefined, !runtimeStep, `${k.name}: ${nb.declined.find((d) => d.startsWith(k.name)) ?? 'taken'}`);
      if (!fast) continue;
      for (const edge of ['none', 'nan', 'empty', 'subarray'] as const) {
        const n = 40 + i;
        const inputs = makeInputs(k, { n, seed: seed + i, edge });
        const expected = runKernel(k, cloneArgs(inputs));
        const args = cloneArgs(inputs);
        const result = fast(...args);
        const written = Object.fromEntries(k.params.flatMap((p, j) => (p.kind === 'array' && p.access !== 'read' ? [[p.name, args[j]!]] : [])));
        const c = compareOutputs(expected, { result: result as KernelOutput['result'], written }, k, { n, reassociated: false, precision: 'f64', inputs });
        if (!c.ok) failures.push(`${k.name} (${edge}): ${c.detail}\n${printKernel(k)}`);
      }
    }
    assert.deepEqual(failures.slice(0, 3), []);
  } finally {
    await nb.close();
  }
});
