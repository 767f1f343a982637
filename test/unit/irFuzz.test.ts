// The interpreter against the kernel's own JS (kernelToJs) on generated kernels: they must agree
// exactly (same operators, same order), on every edge case of the inputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runKernel } from '../../src/core/ir/interpret.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { printKernel } from '../../src/core/ir/print.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import type { KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { asF32, reversed } from '../support/simulate.js';
import {
  ALL_FORMS,
  ALL_PATTERNS,
  fuzzConfig,
  generateFormKernels,
  generateKernels,
} from '../support/kernelGen.js';
import { loadJs } from '../support/loadJs.js';
import ts from 'typescript';
import { kernelToTs } from '../../src/core/scaffold/common/tsEmit.js';

const { seed, count } = fuzzConfig(300);
const kernels = generateKernels({ seed, count });
const EDGES: readonly InputEdge[] = ['none', 'empty', 'one', 'nan', 'inf', 'subarray', 'mixed'];

/** Same values, same containers; NaN equals NaN, 0 and -0 are told apart (the JS is run, not approximated). */
function sameArg(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const x = a as ArrayLike<unknown>;
  const y = b as ArrayLike<unknown>;
  if (x.constructor !== y.constructor || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameArg(x[i], y[i])) return false; // rows of rank-2 arrays too
  return true;
}

/** Runs `f`, giving its result or the error it threw (class and message, as a caller sees them). */
function outcome(f: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: f() };
  } catch (err) {
    return { error: err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err) };
  }
}

describe(`generated kernels (seed ${seed}, ${count} kernels; HOTLOOP_FUZZ_SEED/HOTLOOP_FUZZ_COUNT override)`, () => {
  test('cover every pattern and are valid', () => {
    assert.deepEqual(
      new Set(kernels.map((k) => k.pattern)),
      new Set(count >= ALL_PATTERNS.length ? ALL_PATTERNS : kernels.map((k) => k.pattern)),
    );
    for (const k of kernels) assert.deepEqual(validateKernel(k), [], printKernel(k));
  });

  test('are deterministic in the seed', () => {
    assert.deepEqual(generateKernels({ seed, count: 20 }), kernels.slice(0, 20));
    assert.notDeepEqual(generateKernels({ seed: seed + 1, count: 20 }), kernels.slice(0, 20));
  });

  test('interpreter agrees exactly with kernelToJs on every edge case', () => {
    let runs = 0;
    kernels.forEach((k, ki) => {
      const fn = loadJs(kernelToJs(k), k.name);
      for (const edge of EDGES) {
        const n = [7, 64, 33][ki % 3]!;
        const args = makeInputs(k, { n, seed: seed + ki, edge });
        const mine = cloneArgs(args);
        const theirs = cloneArgs(args);
        const out = runKernel(k, mine);
        const res = fn(...theirs) as KernelArg | undefined;
        const where = `seed ${seed}, kernel #${ki}, edge ${edge}, n ${n}\n${printKernel(k)}`;
        assert.ok(
          sameArg(out.result, res),
          `result differs: ${String(out.result)} vs ${String(res)}; ${where}`,
        );
        mine.forEach((a, i) => {
          assert.ok(sameArg(a, theirs[i]), `argument ${i} differs after the run; ${where}`);
        });
        runs++;
      }
    });
    assert.equal(runs, kernels.length * EDGES.length);
  });
});

describe(`kernels of the newer IR forms: ${ALL_FORMS.join(', ')} (seed ${seed})`, () => {
  const forms = generateFormKernels({ seed, count: Math.max(ALL_FORMS.length, Math.round(count / 2)) });

  test('are valid and print', () => {
    for (const k of forms) assert.deepEqual(validateKernel(k), [], printKernel(k));
  });

  test('interpreter agrees exactly with kernelToJs and the emitted TS (original.ts), errors included, on every edge case', () => {
    let runs = 0;
    let threw = 0;
    let exited = 0;
    forms.forEach((k, ki) => {
      const fn = loadJs(kernelToJs(k), k.name);
      const tsJs = ts.transpileModule(kernelToTs(k), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const fromTs = loadJs(tsJs, k.name);
      for (const edge of EDGES) {
        const n = [7, 64, 33][ki % 3]!;
        const args = makeInputs(k, { n, seed: seed + ki, edge });
        const mine = cloneArgs(args);
        const theirs = cloneArgs(args);
        const third = cloneArgs(args);
        const a = outcome(() => runKernel(k, mine).result);
        const b = outcome(() => fn(...theirs));
        const c = outcome(() => fromTs(...third));
        assert.ok(
          sameArg('error' in c ? c.error : c.value, 'error' in b ? b.error : b.value),
          `original.ts differs from the JS: ${kernelToTs(k)}`,
        );
        third.forEach((x, i) => {
          assert.ok(sameArg(x, theirs[i]), `argument ${i} differs after original.ts ran: ${kernelToTs(k)}`);
        });
        const where = `seed ${seed}, form kernel #${ki}, edge ${edge}, n ${n}\n${printKernel(k)}\n${kernelToJs(k)}`;
        if ('error' in a || 'error' in b) {
          assert.deepEqual(a, b, where);
          threw++;
        } else {
          assert.ok(
            sameArg(a.value, b.value),
            `result differs: ${String(a.value)} vs ${String(b.value)}; ${where}`,
          );
          if (typeof a.value === 'number' && a.value >= 0 && k.name.includes('exit')) exited++;
        }
        mine.forEach((x, i) => {
          assert.ok(sameArg(x, theirs[i]), `argument ${i} differs after the run; ${where}`);
        });
        runs++;
      }
    });
    assert.equal(runs, forms.length * EDGES.length);
    // The guards fire on some inputs and not on others, so both paths are exercised.
    assert.ok(threw > 0 && threw < runs, `${threw} of ${runs} runs threw`);
    assert.ok(exited > 0, 'some early exits found an element');
  });
});

describe('the derived tolerance on generated kernels (simulated emitters)', () => {
  const floatKernels = generateKernels({
    seed: seed + 7,
    count: 120,
    dtypes: ['f64', 'f32', 'array'],
    allowDiscontinuous: false,
  });

  test('accepts every legal reassociation (reductions run backwards) and an f32 implementation', () => {
    const failures: string[] = [];
    floatKernels.forEach((k, ki) => {
      for (const edge of ['none', 'mixed', 'one'] as const) {
        const inputs = makeInputs(k, { n: 200, seed: ki, edge });
        const expected = runKernel(k, cloneArgs(inputs));
        const rev = runKernel(reversed(k), cloneArgs(inputs));
        const f32 = runKernel(asF32(k), cloneArgs(inputs));
        const a = compareOutputs(expected, rev, k, { n: 200, reassociated: true, precision: 'f64', inputs });
        const b = compareOutputs(expected, f32, k, { n: 200, reassociated: false, precision: 'f32', inputs });
        for (const c of [a, b]) if (!c.ok) failures.push(`#${ki} ${edge}: ${c.detail}\n${printKernel(k)}`);
      }
    });
    assert.deepEqual(failures.slice(0, 3), []);
  });

  test('rejects the f32 implementation when f64 is claimed, and a one-element perturbation', () => {
    let caughtF32 = 0;
    let caughtPerturbed = 0;
    floatKernels.forEach((k, ki) => {
      const inputs = makeInputs(k, { n: 200, seed: ki });
      const expected = runKernel(k, cloneArgs(inputs));
      const f32 = runKernel(asF32(k), cloneArgs(inputs));
      if (!compareOutputs(expected, f32, k, { n: 200, reassociated: true, precision: 'f64', inputs }).ok)
        caughtF32++;
      const bumped = runKernel(k, cloneArgs(inputs));
      const target = typeof bumped.result === 'number' ? undefined : Object.values(bumped.written)[0];
      const perturbed =
        target && typeof target !== 'number' && target.length > 0
          ? ((): KernelOutput => {
              const idx = target.length >> 1;
              const x = target[idx]!;
              (target as number[])[idx] = Number.isFinite(x) ? x + Math.max(1e-6, Math.abs(x) * 1e-6) : 1;
              return bumped;
            })()
          : {
              ...bumped,
              result:
                typeof bumped.result === 'number' && Number.isFinite(bumped.result)
                  ? bumped.result * (1 + 1e-6) + 1e-6
                  : 1,
            };
      if (
        !compareOutputs(expected, perturbed, k, { n: 200, reassociated: true, precision: 'f64', inputs }).ok
      )
        caughtPerturbed++;
    });
    // An f32 result of f64 inputs is a different answer at f64 (the kernels that store into
    // Float32Array, or only take min/max of f32 inputs, can legitimately agree).
    assert.ok(caughtF32 >= floatKernels.length * 0.5, `${caughtF32} of ${floatKernels.length}`);
    assert.equal(caughtPerturbed, floatKernels.length);
  });
});
