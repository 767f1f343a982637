// Every translatable loop of the foundation corpus (test/fixtures/loops) scaffolds for wasm (and
// for worker where it has a parallel loop) and passes the same differential check as the fuzz test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { buildBatch, checkCase, REPO } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';

const dir = join(REPO, 'test/fixtures/loops');
let batch: Batch | undefined;
after(async () => {
  await batch?.close();
});

function corpusKernels(): Kernel[] {
  const kernels: Kernel[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const analysis = analyzeSource(join(dir, file), readFileSync(join(dir, file), 'utf8'), { rootDir: dir });
    for (const loop of analysis.loops) {
      // Names are unique per file only (and a nest may give several): prefix the fixture number.
      if (!loop.kernel) continue;
      let name = `f${file.slice(0, 2)}_${loop.kernel.name}`;
      while (kernels.some((k) => k.name === name)) name += '_';
      kernels.push({ ...loop.kernel, name });
    }
  }
  return kernels;
}

test('every translatable corpus loop scaffolds for wasm and worker and matches the interpreter and the original JS', async () => {
  const kernels = corpusKernels();
  assert.ok(kernels.length >= 10, `expected the corpus to have translatable loops, found ${kernels.length}`);
  batch = await buildBatch(kernels);
  const failures: string[] = [];
  for (const [i, b] of batch.built.entries()) {
    for (const edge of ['none', 'subarray', 'nan'] as const)
      failures.push(...(await checkCase(b, { n: 200, seed: 7 + i, edge }, 0)));
  }
  const wasm = batch.built.filter((b) => b.wasm).length;
  const declined = batch.built.flatMap((b) =>
    Object.entries(b.declined).map(([t, why]) => `${b.kernel.name} ${t}: ${why}`),
  );
  console.log(
    `scaffold corpus: ${kernels.length} kernels; wasm ${wasm}, worker ${batch.built.filter((b) => b.worker).length}\n${declined.join('\n')}`,
  );
  assert.equal(failures.length, 0, failures.slice(0, 5).join('\n\n'));
  // Kernels over arrays of rows included.
  assert.equal(
    wasm,
    kernels.length,
    `every translatable corpus loop scaffolds for wasm:\n${declined.join('\n')}`,
  );
});
