// Differential fuzz of the worker and wasm emitters: ≥ 300 random kernels (fixed seed;
// HOTLOOP_FUZZ_SEED / HOTLOOP_FUZZ_COUNT override), each emitted for both targets, built in one
// batch, run on random inputs and compared with the IR interpreter and the original JS within the
// derived tolerance. A failure prints the seed and the kernel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzConfig, generateKernels } from '../support/kernelGen.js';
import { buildBatch, checkCase, crossings } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';
import type { InputEdge } from '../../src/core/ir/random.js';

const { seed, count } = fuzzConfig(300);
let batch: Batch | undefined;
after(async () => {
  await batch?.close();
});

test(`worker and wasm scaffolds match the interpreter and the original JS on ${count} random kernels (seed ${seed})`, async () => {
  const kernels = generateKernels({ seed, count });
  batch = await buildBatch(kernels);
  const edges: InputEdge[] = ['none', 'subarray', 'nan', 'empty', 'one', 'mixed'];
  const failures: string[] = [];
  let cases = 0;
  for (const [i, b] of batch.built.entries()) {
    for (const [j, edge] of [edges[0]!, edges[1 + (i % (edges.length - 1))]!].entries()) {
      const n = j === 0 ? 64 + (i % 7) * 37 : 33;
      failures.push(...(await checkCase(b, { n, seed: seed + i * 31 + j, edge }, seed)));
      cases++;
    }
  }
  const wasm = batch.built.filter((b) => b.wasm).length;
  const worker = batch.built.filter((b) => b.worker).length;
  const declined = batch.built.flatMap((b) =>
    Object.entries(b.declined).map(([t, why]) => `${b.kernel.name} ${t}: ${why}`),
  );
  console.log(
    `scaffold fuzz: ${count} kernels, ${cases} input cases; wasm ${wasm}, worker ${worker} (declined: ${declined.length})`,
  );
  if (declined.length) console.log(declined.slice(0, 20).join('\n'));
  if (crossings.length)
    console.log(`accepted sqrt/log domain crossings of reassociated sums:\n${crossings.join('\n')}`);
  assert.equal(
    failures.length,
    0,
    `${failures.length} mismatches (HOTLOOP_FUZZ_SEED=${seed} HOTLOOP_FUZZ_COUNT=${count}):\n${failures.slice(0, 5).join('\n\n')}`,
  );
  assert.equal(wasm, count, 'every generated kernel is within the wasm target');
});
