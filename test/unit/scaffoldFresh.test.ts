// Fresh output arrays end to end: a `ret = []` loop and a `.map` callback are analysed, scaffolded for
// the worker target (its kernel sees an ordinary written array; index.ts has the original's signature
// and allocates it), built with Hotloop's own build (tsc + the folder's check), and the built wrapper
// agrees with the original on random inputs: empty, length 1, odd lengths, NaN/±Infinity; and a
// synchronous (js target) wrapper reuses its zeroed typed array call after call without sharing results.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { ts } from '../../src/core/analysis/ts.js';
import { originalArgs } from '../../src/core/ir/fresh.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';
import { buildScaffold } from '../../src/core/scaffold/build/index.js';
import { loadJs } from '../support/loadJs.js';
import { REPO } from './nativeBuild.js';

const SOURCE = `export function mulVV(a: number[], b: number[]): number[] {
  const ret: number[] = [];
  for (let i = 0; i < a.length; i++) ret[i] = a[i] * b[i];
  return ret;
}

export function standardize(x: number[], mean: number, sd: number): number[] {
  return x.map((v) => (v - mean) / sd);
}
`;

const RUNS: readonly { n: number; edge: InputEdge }[] = [
  { n: 0, edge: 'empty' },
  { n: 1, edge: 'one' },
  { n: 17, edge: 'none' },
  { n: 33, edge: 'nan' },
  { n: 33, edge: 'inf' },
  { n: 49, edge: 'mixed' },
];

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'hotloop-fresh-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/vec.ts'), SOURCE);
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  process.env.HOTLOOP_STRICT = '1';
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

function kernelOf(name: string): Kernel {
  const file = join(root, 'src/vec.ts');
  const a = analyzeSource(file, readFileSync(file, 'utf8'), { rootDir: root });
  const k = a.loops.find((l) => l.kernel?.name === name)?.kernel;
  assert.ok(k, `no kernel ${name}: ${JSON.stringify(a.loops.map((l) => l.verdict))}`);
  return k;
}

const original = (name: string): ((...args: unknown[]) => unknown) =>
  loadJs(
    ts.transpileModule(SOURCE, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText,
    name,
  ) as (...args: unknown[]) => unknown;

describe('fresh output arrays scaffold, build and agree (worker target)', () => {
  for (const name of ['mulVV', 'standardize']) {
    test(name, async () => {
      const kernel = kernelOf(name);
      assert.ok(kernel.params.some((p) => p.kind === 'array' && p.fresh?.plain));
      const planned = await planScaffold({
        kernel,
        target: 'worker',
        workspaceRoot: root,
        outputDir: 'hotloop',
        workspaceTrusted: true,
      });
      assert.ok(planned.ok, planned.ok ? '' : planned.reason);
      assert.ok(planned.plan.notes.some((n) => /copied into a number\[\] on return/.test(n)));
      assert.ok((await writeScaffold(planned.plan)).ok);
      const built = await buildScaffold(planned.plan.dir, {});
      assert.ok(built.ok, built.reason);
      assert.equal(built.checkPassed, true);
      const mod = (await import(pathToFileURL(join(planned.plan.dir, 'dist/index.js')).href)) as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      const fast = mod[name]!;
      const js = original(name);
      for (const run of RUNS) {
        const args = originalArgs(kernel, makeInputs(kernel, { n: run.n, seed: 7, edge: run.edge }));
        const want = js(...cloneArgs(args));
        const got = await fast(...cloneArgs(args));
        assert.ok(Array.isArray(got), `${name}: the wrapper returns a plain Array like the original`);
        assert.deepEqual(got, want, `${name}, n ${run.n}, ${run.edge}`);
      }
    });
  }
});

describe('a synchronous wrapper keeps one zeroed typed array per length (js target)', () => {
  test('mulVV: the same results call after call, each a new Array of its own', async () => {
    const kernel = kernelOf('mulVV');
    const planned = await planScaffold({
      kernel,
      target: 'js',
      workspaceRoot: root,
      outputDir: 'hotloop',
      workspaceTrusted: true,
    });
    assert.ok(planned.ok, planned.ok ? '' : planned.reason);
    const index = planned.plan.files.find((f) => /\/index\.[jt]s$/.test(f.relative))!.contents;
    assert.match(index, /let hl_scratch_ret\b/);
    assert.ok((await writeScaffold(planned.plan)).ok);
    const built = await buildScaffold(planned.plan.dir, {});
    assert.ok(built.ok, built.reason);
    const entry = existsSync(join(planned.plan.dir, 'dist/index.js')) ? 'dist/index.js' : 'index.js';
    const mod = (await import(pathToFileURL(join(planned.plan.dir, entry)).href)) as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    const js = original('mulVV');
    const results: unknown[][] = [];
    // Lengths 17, 17, 5, 17, 0: reuse, a new length, back, empty; NaN and ±Infinity among the inputs.
    for (const [n, edge] of [
      [17, 'nan'],
      [17, 'none'],
      [5, 'inf'],
      [17, 'mixed'],
      [0, 'empty'],
    ] as const) {
      const args = originalArgs(kernel, makeInputs(kernel, { n, seed: n + edge.length, edge }));
      const got = mod.mulVV!(...cloneArgs(args)) as unknown[];
      assert.ok(Array.isArray(got));
      assert.deepEqual(got, js(...cloneArgs(args)), `n ${n}, ${edge}`);
      results.push(got);
    }
    // No two results share storage: each is a plain Array the caller owns.
    const first = results[0]!;
    const snapshot = [...results[1]!];
    first[0] = 12345;
    assert.deepEqual(results[1], snapshot);
    assert.equal(new Set(results).size, results.length);
  });
});
