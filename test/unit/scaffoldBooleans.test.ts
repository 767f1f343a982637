// A truthy (boolean) parameter through built wasm and worker wrappers (one batch): each is called with
// true/false and with other JS values (undefined, 0, '', NaN, 'x') and compared with the original JS —
// a boolean argument reaches the compiled kernel as its truthiness.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { loadJs } from '../support/loadJs.js';
import { same } from '../support/loopRef.js';
import { buildBatch } from './scaffoldHarness.js';
import type { Batch } from './scaffoldHarness.js';

const src = `export function mix(a: Float64Array, out: Float64Array, negate: boolean, gain: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (negate ? -a[i] : a[i]) / gain;
}
`;
const VALUES: readonly unknown[] = [true, false, undefined, 0, '', NaN, 'x', 1];

let batch: Batch | undefined;
after(async () => {
  await batch?.close();
});

test('wasm and worker wrappers take any value for a boolean parameter as JS does', async () => {
  const a = analyzeSource('/w/b.ts', src, { rootDir: '/w' });
  const mix = a.loops.find((l) => l.line === 2)!.kernel!;
  assert.ok(mix.params.some((p) => p.kind === 'scalar' && p.truthy));
  batch = await buildBatch([mix] as Kernel[]);
  const b = batch.built[0]!;
  assert.ok(b.wasm && b.worker, `declined: ${JSON.stringify(b.declined)}`);
  const js = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const ref = loadJs(js, 'mix');
  const input = Float64Array.from({ length: 37 }, (_, i) => (i % 5) - 2.5);
  for (const v of VALUES) {
    const want = new Float64Array(37);
    ref(input, want, v as KernelArg, 2);
    for (const [name, fn] of [
      ['wasm', b.wasm.fn],
      ['worker', b.worker.fn],
    ] as const) {
      const got = new Float64Array(37);
      await fn(input, got, v as KernelArg, 2);
      assert.ok(same(got, want), `${name} with negate = ${String(v)}`);
    }
  }
});
