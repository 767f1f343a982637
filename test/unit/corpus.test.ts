// The loop corpus (test/fixtures/loops): each fixture's header is the spec of what the analysis
// concludes; its facts and IR are compared with a golden; and every translatable fixture's kernel is
// run by the interpreter against the fixture's own JS on random inputs (n = 0, 1, odd, NaN,
// ±Infinity, subarray views), which must agree exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from '../../src/core/analysis/ts.js';
import type { FileAnalysis, LoopFacts } from '../../src/core/analysis/types.js';
import type { Kernel, KernelArg } from '../../src/core/ir/types.js';
import { inputParams, originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import { printKernel } from '../../src/core/ir/print.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { loadJs } from '../support/loadJs.js';
import type { JsKernel } from '../support/loadJs.js';
import { isLoopKernel, loopReference } from '../support/loopRef.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'test', 'fixtures', 'loops');
const fixtures = readdirSync(dir)
  .filter((f) => /^\d\d-.+\.(ts|js)$/.test(f))
  .sort();

interface Expectation {
  translatable: boolean;
  what: string;
  ordinal: number;
}

function expectationOf(text: string, file: string): Expectation {
  const m = /^\/\/ expect: (translatable|not-translatable) (\S+)/m.exec(text);
  if (!m)
    throw new Error(
      `${file}: missing '// expect: translatable <pattern>' or '// expect: not-translatable <code>' header`,
    );
  const ord = /^\/\/ expect-loop: (\d+)/m.exec(text);
  return { translatable: m[1] === 'translatable', what: m[2]!, ordinal: ord ? Number(ord[1]) : 0 };
}

type Analyze = (
  file: string,
  text: string,
  options?: { rootDir?: string },
) => FileAnalysis | Promise<FileAnalysis>;
let analyzePromise: Promise<Analyze> | undefined;
/** The analyzer, loaded lazily (a variable specifier keeps the typecheck green before it exists). */
function analyzer(): Promise<Analyze> {
  const specifier = '../../src/core/analysis/index.js';
  analyzePromise ??= (import(specifier) as Promise<{ analyzeSource?: Analyze }>).then(
    (m) => {
      if (typeof m.analyzeSource !== 'function')
        throw new Error('src/core/analysis/index.ts does not export analyzeSource(file, text)');
      return m.analyzeSource;
    },
    (e: unknown) => {
      throw new Error(
        `the analyzer (src/core/analysis/index.ts, analyzeSource) could not be loaded: ${String(e)}`,
      );
    },
  );
  return analyzePromise;
}

/** Golden text: the facts of every loop (kernels printed separately, once each). */
function render(a: FileAnalysis): string {
  const facts = a.loops.map((l) => {
    const { kernel, ...rest } = l;
    return kernel ? { ...rest, kernel: kernel.name } : rest;
  });
  const out = [`facts: ${JSON.stringify(facts, null, 2)}`];
  if (a.diagnostics.length) out.push(`diagnostics: ${JSON.stringify(a.diagnostics, null, 2)}`);
  const printed = new Set<string>();
  for (const l of a.loops) {
    if (l.kernel && !printed.has(l.kernel.name)) {
      printed.add(l.kernel.name);
      out.push(printKernel(l.kernel).trimEnd());
    }
  }
  return out.join('\n\n') + '\n';
}

function checkGolden(file: string, actual: string): void {
  const golden = join(dir, file.replace(/\.(ts|js)$/, '.golden.txt'));
  if (process.env.UPDATE_GOLDENS === '1') {
    writeFileSync(golden, actual);
    rmSync(`${golden}.actual`, { force: true });
    return;
  }
  const expected = existsSync(golden) ? readFileSync(golden, 'utf8') : undefined;
  if (expected === actual) rmSync(`${golden}.actual`, { force: true });
  else {
    writeFileSync(`${golden}.actual`, actual);
    assert.fail(
      `${relative(root, golden)} ${expected === undefined ? 'does not exist' : 'differs'}; wrote ${relative(root, golden)}.actual (UPDATE_GOLDENS=1 accepts it)`,
    );
  }
}

/** The kernel on the loop of interest or its outermost enclosing loop. */
function kernelFor(a: FileAnalysis, loop: LoopFacts): Kernel | undefined {
  let l: LoopFacts | undefined = loop;
  while (l) {
    if (l.kernel) return l.kernel;
    const parent: string | undefined = l.parentId;
    l = parent === undefined ? undefined : a.loops.find((x) => x.id === parent);
  }
  return undefined;
}

/** The fixture's JS, transpiled to CommonJS; `./lib/x.js` imports load the transpiled helper. */
function loadFixtureFunction(file: string, text: string, name: string): JsKernel {
  const transpile = (src: string, fileName: string): string =>
    ts.transpileModule(src, {
      fileName,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
  const requireLib = (id: string): unknown => {
    const m = /^\.\/lib\/(\w+)\.js$/.exec(id);
    if (!m) throw new Error(`${file} imports '${id}', which the corpus test cannot load`);
    const libFile = join(dir, 'lib', `${m[1]!}.ts`);
    const load = loadJs(
      `${transpile(readFileSync(libFile, 'utf8'), libFile)}\nfunction __exports() { return exports; }`,
      '__exports',
    );
    return load();
  };
  return loadJs(transpile(text, file), name, requireLib);
}

/** Parameter names of the function `name` in the fixture source. */
function paramNames(file: string, text: string, name: string): string[] | undefined {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  let found: string[] | undefined;
  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name?.getText(sf) === name) {
      found = n.parameters.map((p) => p.name.getText(sf));
    } else if (
      ts.isVariableDeclaration(n) &&
      n.name.getText(sf) === name &&
      n.initializer &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    ) {
      found = n.initializer.parameters.map((p) => p.name.getText(sf));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown> | undefined;
    if (!y || (b as object).constructor !== (a as object).constructor || x.length !== y.length) return false;
    // Rows of a rank-2 array are compared element by element too.
    for (let i = 0; i < x.length; i++)
      if (!(typeof x[i] === 'object' ? sameValue(x[i], y[i]) : Object.is(x[i], y[i]))) return false;
    return true;
  }
  return Object.is(a, b);
}

const RUNS: readonly { n: number; edge: InputEdge }[] = [
  { n: 0, edge: 'empty' },
  { n: 1, edge: 'one' },
  { n: 17, edge: 'none' },
  { n: 64, edge: 'none' },
  { n: 33, edge: 'nan' },
  { n: 33, edge: 'inf' },
  { n: 24, edge: 'subarray' },
  { n: 49, edge: 'mixed' },
];

describe('loop corpus', () => {
  test('has at least 60 fixtures: ≥ 25 translatable over every pattern, ≥ 20 not translatable over every code', () => {
    const ex = fixtures.map((f) => expectationOf(readFileSync(join(dir, f), 'utf8'), f));
    const yes = ex.filter((e) => e.translatable);
    const no = ex.filter((e) => !e.translatable);
    assert.ok(fixtures.length >= 60, `${fixtures.length} fixtures`);
    assert.ok(yes.length >= 25 && no.length >= 20, `${yes.length} translatable, ${no.length} not`);
    assert.deepEqual(
      new Set(yes.map((e) => e.what)),
      new Set(['map', 'reduce', 'map-reduce', 'scan', 'stencil', 'gemv', 'gemm', 'conv', 'nested']),
    );
    assert.deepEqual(
      new Set(no.map((e) => e.what)),
      new Set([
        'calls-function',
        'allocates',
        'object-property',
        'loop-carried',
        'early-exit',
        'string-work',
        'await',
        'unknown-types',
        'unsupported-syntax',
      ]),
    );
  });

  for (const [k, file] of fixtures.entries()) {
    test(file, async () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const exp = expectationOf(text, file);
      const analyze = await analyzer();
      // Absolute path in, ids relative to the repository root out: goldens do not depend on the cwd.
      const analysis = await analyze(join(dir, file), text, { rootDir: root });
      const loop = analysis.loops[exp.ordinal];
      assert.ok(loop, `${file}: no loop #${exp.ordinal} (found ${analysis.loops.length})`);
      const v = loop.verdict;
      const got = v.translatable ? `translatable ${v.pattern}` : `not-translatable ${v.code} (${v.reason})`;
      if (exp.translatable)
        assert.ok(
          v.translatable && v.pattern === exp.what,
          `${file}: expected translatable ${exp.what}, got ${got}`,
        );
      else
        assert.ok(
          !v.translatable && v.code === exp.what,
          `${file}: expected not-translatable ${exp.what}, got ${got}`,
        );
      checkGolden(file, render(analysis));
      if (!exp.translatable) return;

      const kernel = kernelFor(analysis, loop);
      assert.ok(kernel, `${file}: translatable but no kernel on the loop or its outermost loop`);
      assert.deepEqual(validateKernel(kernel), [], `${file}: invalid kernel\n${printKernel(kernel)}`);
      // A loop extracted from a bigger function is checked against its own source text (test/support/loopRef.ts).
      const fn = isLoopKernel(kernel)
        ? loopReference(file, text, loop, kernel)!
        : ((): JsKernel => {
            const names = paramNames(file, text, kernel.name);
            assert.ok(
              names,
              `${file}: the kernel is named '${kernel.name}', which is not a function of the fixture (expected a whole-function kernel)`,
            );
            assert.deepEqual(
              inputParams(kernel).map((p) => p.name),
              names,
              `${file}: kernel params must be the function's parameters`,
            );
            return loadFixtureFunction(file, text, kernel.name);
          })();
      for (const run of RUNS) {
        // The original's arguments (a fresh output array is allocated by whoever stands in for it).
        const args = originalArgs(kernel, makeInputs(kernel, { n: run.n, seed: 1000 + k, edge: run.edge }));
        const mine = cloneArgs(args);
        const theirs = cloneArgs(args);
        const where = `${file}, n ${run.n}, edge ${run.edge}\n${printKernel(kernel)}`;
        const out = runAsOriginal(kernel, mine);
        const res = fn(...theirs) as KernelArg | undefined;
        if (kernel.result.kind !== 'void')
          assert.ok(sameValue(res, out), `result: JS ${String(res)}, interpreter ${String(out)}; ${where}`);
        mine.forEach((a, i) => {
          assert.ok(
            sameValue(theirs[i], a),
            `argument '${inputParams(kernel)[i]!.name}' differs after the run; ${where}`,
          );
        });
      }
    });
  }
});
