// The wrapper's run-time check of what the analysis inferred from use: an inferred array must be an
// array of numbers without holes (a copied array would fill them) or a numeric typed array the target
// takes, an inferred scalar a number. A failed check runs the original and is reported through
// `fallback` (an error under HOTLOOP_STRICT=1), never only a console line. The guard's TS is emitted,
// transpiled and run on good and bad arguments; then a real wasm wrapper is built and called.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { ts } from '../../src/core/analysis/ts.js';
import {
  arrayParam,
  for_,
  kernel,
  len,
  load,
  mul,
  num,
  ref,
  scalarParam,
  store,
  store2,
} from '../../src/core/ir/build.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { guardFunction, hasGuards } from '../../src/core/scaffold/common/guards.js';
import type { TypedForNumbers } from '../../src/core/scaffold/common/guards.js';
import { kernelToTs, signatureParams } from '../../src/core/scaffold/common/tsEmit.js';
import { ASC_FLAGS, wasmEmitter } from '../../src/core/scaffold/wasm/emit.js';
import { LOCATE_TS } from '../../src/core/scaffold/wrapperSupport.js';
import { Lines } from '../../src/core/ir/stmtEmitter.js';
import { loadJs } from '../support/loadJs.js';
import { REPO } from './scaffoldHarness.js';

/** scale(xs, s, out): out[i] = xs[i] * s, with `xs` and `s` typed from use; `xsAccess` how xs is used. */
function scaleKernel(xsAccess: 'read' | 'readwrite'): Kernel {
  const xs = { ...arrayParam('xs', 'f64', xsAccess, 'array'), typeSource: 'inferred' as const };
  return kernel({
    name: 'scale',
    pattern: 'map',
    params: [
      xs,
      { ...scalarParam('s', 'f64'), typeSource: 'inferred' },
      arrayParam('out', 'f64', 'write', 'array'),
    ],
    body: [
      for_('i', { kind: 'const', value: 0 }, len('xs'), [
        store('out', ref('i'), mul(load('xs', ref('i')), ref('s'))),
      ]),
    ],
    result: { kind: 'void' },
  });
}

const k = scaleKernel('read');

type Guard = (...args: unknown[]) => boolean;

/** The emitted guard as a function; its `fallback` reports go to `reports`. */
function guardOf(reports: string[], typed: TypedForNumbers = 'numeric', kk: Kernel = k): Guard {
  const out = new Lines();
  guardFunction(out, kk, 'scale', signatureParams(kk), { target: 'test', typed });
  const js = ts.transpileModule(out.text(), {
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const stub = 'const fallback = (kernel, target, why) => { globalThis.__guardReports.push(why); };\n';
  const applies = loadJs(stub + js, 'fastPathApplies') as unknown as Guard;
  return (...args) => {
    const g = globalThis as { __guardReports?: string[] };
    g.__guardReports = reports;
    return applies(...args);
  };
}

test('inferred arrays without holes and inferred numbers pass; holes and strings are reported and run the original', () => {
  assert.deepEqual(validateKernel(k), []);
  assert.ok(hasGuards(k));
  const reports: string[] = [];
  const applies = guardOf(reports);
  assert.equal(applies([1, 2, 3], 2, [0, 0, 0]), true);
  assert.equal(applies([], 0.5, []), true);
  assert.deepEqual(reports, []);
  // eslint-disable-next-line no-sparse-arrays
  assert.equal(applies([1, , 3], 2, [0, 0, 0]), false);
  assert.equal(applies(new Array(3), 2, [0, 0, 0]), false);
  assert.equal(applies(['a', 'b'], 2, [0, 0]), false);
  assert.equal(reports.length, 3, 'every failed check is reported (fallback dedups its warnings)');
  assert.match(
    reports[0]!,
    /`xs` is not an array of numbers or a numeric typed array; its type was inferred/,
  );
  assert.equal(applies([1, 2, 3], '2', [0, 0, 0]), false);
  assert.equal(applies([1, 2, 3], undefined, [0, 0, 0]), false);
  assert.match(reports[3]!, /`s` is not a number; its type was inferred/);
});

test("the guard's own names never clash with the kernel's (skmeans's `count` beside its rows)", () => {
  // Parameters called like the guard's locals: before hl_ names, `let count` beside a parameter
  // `count` made the wrapper a SyntaxError (a TS2300 error in skmeans's native scaffold).
  const clash = kernel({
    name: 'scale',
    pattern: 'nested',
    params: [
      { ...arrayParam('rows', 'f64', 'readwrite', 'array'), rank: 2 },
      { ...arrayParam('seen', 'f64', 'read', 'array'), typeSource: 'inferred' },
      { ...scalarParam('count', 'f64'), typeSource: 'inferred' },
    ],
    body: [
      for_('i', num(0), len('seen'), [
        store2('rows', ref('i'), num(0), mul(load('seen', ref('i')), ref('count'))),
      ]),
    ],
    result: { kind: 'void' },
  });
  assert.deepEqual(validateKernel(clash), []);
  const reports: string[] = [];
  const applies = guardOf(reports, 'numeric', clash);
  const row = [0, 0];
  assert.equal(applies([[1, 2], [3]], [1, 2], 2), true);
  assert.equal(applies([row, row], [1, 2], 2), false, 'a row given twice');
  assert.match(reports[0]!, /a row given twice/);
});

test('an inferred number[] also takes numeric typed arrays, as far as the target does', () => {
  const reports: string[] = [];
  const numeric = guardOf(reports, 'numeric');
  for (const xs of [new Float64Array(3), new Float32Array(3), new Int32Array(3), new Uint8ClampedArray(3)])
    assert.equal(numeric(xs, 2, [0, 0, 0]), true, xs.constructor.name);
  assert.equal(numeric(new Float64Array(8).subarray(1, 4), 2, [0, 0, 0]), true, 'a view with a byteOffset');
  for (const xs of [new BigInt64Array(3), new DataView(new ArrayBuffer(8)), { length: 3, 0: 1 }])
    assert.equal(numeric(xs, 2, [0, 0, 0]), false, xs.constructor.name);
  assert.equal(reports.length, 3);
  // The cluster ships raw f64 bytes: only a Float64Array.
  const f64 = guardOf(reports, 'float64');
  assert.equal(f64(new Float64Array(3), 2, [0, 0, 0]), true);
  assert.equal(f64(new Float32Array(3), 2, [0, 0, 0]), false);
  assert.match(reports.at(-1)!, /an array of numbers or a Float64Array/);
  // Native: any numeric typed array for a read array, only a Float64Array for one read and written.
  const nativeRead = guardOf(reports, 'numeric-unless-readwrite');
  assert.equal(nativeRead(new Float32Array(3), 2, [0, 0, 0]), true);
  const nativeRw = guardOf(reports, 'numeric-unless-readwrite', scaleKernel('readwrite'));
  assert.equal(nativeRw(new Float64Array(3), 2, [0, 0, 0]), true);
  assert.equal(nativeRw(new Float32Array(3), 2, [0, 0, 0]), false);
});

const run = promisify(execFile);
const js = (src: string): string =>
  transformSync(src, { loader: 'ts', format: 'esm', target: 'es2022' }).code;

describe('a built wasm wrapper of an inferred number[] parameter', () => {
  let dir = '';
  let scale: (xs: unknown, s: unknown, out: number[]) => void;
  let mode: () => string;
  let fallbacks: () => number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotloop-guards-'));
    const r = wasmEmitter.emit(k, { exportName: 'scale' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const file = (p: string): string => r.files.find((f) => f.path === p)!.contents;
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'kernel.ts'), file('assembly/kernel.ts'));
    writeFileSync(join(dir, 'index.js'), js(file('index.ts')));
    writeFileSync(join(dir, 'runtime.js'), js(file('runtime.ts')));
    writeFileSync(join(dir, 'locate.js'), js(LOCATE_TS));
    writeFileSync(join(dir, 'original.js'), js(kernelToTs(k, 'scale')));
    await run(join(REPO, 'node_modules/.bin/asc'), ['kernel.ts', ...ASC_FLAGS, '-o', 'kernel.wasm'], {
      cwd: dir,
    });
    const m = (await import(pathToFileURL(join(dir, 'index.js')).href)) as Record<string, unknown>;
    scale = m.scale as typeof scale;
    mode = m.lastCallMode as typeof mode;
    const locate = (await import(pathToFileURL(join(dir, 'locate.js')).href)) as Record<string, unknown>;
    fallbacks = locate.fallbackCount as typeof fallbacks;
  });
  after(() => {
    delete process.env.HOTLOOP_STRICT;
    rmSync(dir, { recursive: true, force: true });
  });

  for (const strict of [true, false]) {
    test(`Float64Array, Float32Array and number[] run wasm; a non-numeric array ${strict ? 'throws (HOTLOOP_STRICT=1)' : 'warns and runs the original'}`, async () => {
      if (strict) process.env.HOTLOOP_STRICT = '1';
      else delete process.env.HOTLOOP_STRICT;
      const before = fallbacks();
      for (const xs of [new Float64Array([1, 2, 3]), new Float32Array([1, 2, 3]), [1, 2, 3]]) {
        const out = [0, 0, 0];
        scale(xs, 2, out);
        assert.deepEqual(out, [2, 4, 6], xs.constructor.name);
        assert.equal(mode(), 'copied', `${xs.constructor.name} ran wasm`);
      }
      assert.equal(fallbacks(), before, 'no fallback for numeric arguments');
      const warnings: Error[] = [];
      const onWarning = (w: Error): void => {
        warnings.push(w);
      };
      process.on('warning', onWarning);
      try {
        const out = [0, 0];
        if (strict) {
          assert.throws(() => {
            scale(['1', '2'], 2, out);
          }, /`xs` is not an array of numbers.*HOTLOOP_STRICT=1/);
        } else {
          scale(['1', '2'], 2, out);
          assert.deepEqual(out, [2, 4], 'the original ran (JS coerces the strings)');
          await new Promise((resolve) => setImmediate(resolve));
          assert.equal(warnings.length, 1);
          assert.equal((warnings[0] as Error & { code?: string }).code, 'HOTLOOP_FALLBACK');
        }
      } finally {
        process.off('warning', onWarning);
      }
      assert.equal(fallbacks(), before + 1, 'the fallback is counted');
    });
  }
});
