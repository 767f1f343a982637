// A null test of an element of an array typed only from its use (regression's `if (data[l][1] !==
// null)`, skipping points with no y) is kept in the IR as `notNull`: every JS form — the interpreter,
// kernelToJs, the scaffold's original.js (kernelToTs), which every fallback runs, and the js target —
// skips the null points exactly as the source does; the compiled targets read it as `true`, behind a
// guard that lets in numbers only. (Folded to `true`, the rewrite and its fallback counted them.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInThisContext } from 'node:vm';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import type { KernelArg } from '../../src/core/ir/types.js';
import { planScaffold } from '../../src/core/scaffold/plan.js';
import { loadJs } from '../support/loadJs.js';
import { loadJsTarget } from '../support/jsTarget.js';

const SRC = `function weighted(data, p) {
  let s = 0;
  for (let l = 0; l < data.length; l++) {
    if (data[l][1] !== null) {
      s += data[l][0] ** p * data[l][1];
    }
  }
  return s;
}
function missing(data) {
  let m = 0;
  for (let l = 0; l < data.length; l++) {
    if (data[l][1] === null) m += data[l][0];
  }
  return m;
}
`;

const source = (() => {
  const module = { exports: {} as Record<string, (...a: unknown[]) => number> };
  (
    runInThisContext(`(function (module) {\n${SRC}\nmodule.exports = { weighted, missing };\n})`) as (
      m: unknown,
    ) => void
  )(module);
  return module.exports;
})();

const DATA = [
  [1, 2],
  [2, null],
  [3, 5],
  [4, null],
  [0.5, -1],
];

for (const fn of ['weighted', 'missing'] as const)
  test(`${fn}: every JS form skips (or counts) the null points as the source does`, () => {
    const loop = analyzeSource('r.js', SRC).loops.find((l) => l.functionName === fn && l.kernel);
    const k = loop?.kernel;
    assert.ok(k, JSON.stringify(loop?.verdict));
    assert.match(printKernel(k), /!== null/);
    const args = (): KernelArg[] =>
      k.params.map((p) => (p.kind === 'array' ? (DATA.map((r) => [...r]) as unknown as KernelArg) : 2));
    const want = source[fn]!(DATA, 2);
    assert.ok(Number.isFinite(want) && want !== 0);
    assert.equal(runKernel(k, args()).result, want, 'interpreter');
    assert.equal(loadJs(kernelToJs(k), k.name)(...args()), want, 'kernelToJs');
    const { original, tuned } = loadJsTarget(k);
    assert.equal(original(...args()), want, "original.js (every fallback's code)");
    assert.equal(tuned(...args()), want, 'js target, no fallback');
  });

test('the compiled targets read the test as true behind their element guard', async () => {
  const k = analyzeSource('r.js', SRC).loops.find((l) => l.functionName === 'weighted' && l.kernel)?.kernel;
  assert.ok(k);
  for (const target of ['native', 'wasm'] as const) {
    const r = await planScaffold({
      kernel: k,
      target,
      workspaceRoot: '/tmp/hotloop-null-plan',
      outputDir: 'hotloop',
      workspaceTrusted: true,
    });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const kernelFile = r.plan.files.find((f) => /kernel\.cc$|assembly\/kernel\.ts$/.test(f.relative));
    assert.ok(kernelFile, r.plan.files.map((f) => f.relative).join(', '));
    assert.doesNotMatch(kernelFile.contents, /!== null/, target);
    // The wrapper checks the rows hold numbers before the compiled kernel runs (else original.js runs,
    // which tests for null).
    const wrapper = r.plan.files.find(
      (f) => /(^|\/)index\.ts$/.test(f.relative) && !f.relative.includes('assembly'),
    );
    assert.ok(wrapper);
    assert.match(wrapper.contents, /`data` is not an array of rows/, target);
  }
});
