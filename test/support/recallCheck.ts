// The checks of the recall tests (analysisRecall*, analysisBooleans): a loop's verdict, and a lowering
// run by the interpreter against the original JS on random inputs (empty, length 1, odd lengths,
// NaN/±Infinity, subarray views; a boolean parameter as false/true).
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import { originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { loadJs } from './loadJs.js';
import { differential, RUNS, same, withBooleans } from './loopRef.js';

export const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};

/** A whole-function kernel run against the function's own JS on random inputs: the mismatches. */
export function functionDifferential(file: string, src: string, fn: string, k: Kernel): string[] {
  const js = ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const ref = loadJs(js, fn);
  const out: string[] = [];
  for (const seed of [1, 2, 3])
    for (const run of RUNS) {
      const args = withBooleans(k, originalArgs(k, makeInputs(k, { n: run.n, seed, edge: run.edge })));
      const mine = cloneArgs(args);
      const theirs = cloneArgs(args);
      let got: unknown;
      let want: unknown;
      try {
        got = runAsOriginal(k, mine);
      } catch (e) {
        got = `throws ${String(e)}`;
      }
      try {
        want = ref(...theirs);
      } catch (e) {
        want = `throws ${String(e)}`;
      }
      const what = `seed ${seed}, n ${run.n}, ${run.edge}`;
      if (!same(got, want)) out.push(`${what}: result JS ${String(want)}, IR ${String(got)}`);
      mine.forEach((a, i) => {
        if (!same(a, theirs[i])) out.push(`${what}: argument ${i} differs`);
      });
    }
  return out;
}

/** The loop at `line` (1-based) of `src`, checked translatable, valid, and equal to its JS. */
export function checked(file: string, src: string, line: number): LoopFacts {
  const a = analyzeSource(`/w/${file}`, src, { rootDir: '/w' });
  const l = a.loops.find((x) => x.line === line);
  assert.ok(l, `no loop at line ${line}`);
  assert.match(verdictOf(l), /^ok /, `line ${line}: ${verdictOf(l)}`);
  assert.ok(l.kernel, `line ${line}: no kernel`);
  assert.deepEqual(validateKernel(l.kernel), []);
  const fn = l.functionName;
  const mismatches = /_loop\d+(_\d+)?$/.test(l.kernel.name)
    ? differential(file, src, l, l.kernel)
    : functionDifferential(file, src, fn, l.kernel);
  assert.ok(mismatches, `${fn}: the reference did not load`);
  assert.deepEqual(mismatches, [], `${fn} differs from its JS`);
  return l;
}

export const at = (file: string, src: string, line: number): string => {
  const a = analyzeSource(`/w/${file}`, src, { rootDir: '/w' });
  return verdictOf(a.loops.find((x) => x.line === line));
};
