// Loop and statement shapes of real code: row variables assigned as statements (`Ai = A[i]`), `for`
// loops without an initialiser or with the test as the step (`for (i = n; i--;)`), `null` tests of
// numbers — each run by the interpreter against the loop's own JS text on random inputs — and the
// look-alikes that stay refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { differential, isLoopKernel } from '../support/loopRef.js';
import { loadJs } from '../support/loadJs.js';
import { ts } from '../../src/core/analysis/ts.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { inputParams, originalArgs, runAsOriginal } from '../../src/core/ir/fresh.js';
import type { Kernel } from '../../src/core/ir/types.js';

const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};

const loopsOf = (file: string, src: string): readonly LoopFacts[] =>
  analyzeSource(`/w/${file}`, src, { rootDir: '/w' }).loops;

const RUNS: readonly { n: number; edge: InputEdge }[] = [
  { n: 0, edge: 'empty' },
  { n: 1, edge: 'one' },
  { n: 17, edge: 'none' },
  { n: 33, edge: 'nan' },
  { n: 33, edge: 'inf' },
  { n: 24, edge: 'subarray' },
  { n: 49, edge: 'mixed' },
];

const show = (x: unknown): string =>
  Array.isArray(x) || ArrayBuffer.isView(x) ? JSON.stringify(Array.from(x as ArrayLike<unknown>)) : String(x);

/** A whole-function kernel against the function itself on random inputs: the mismatches found. */
function functionDifferential(file: string, src: string, kernel: Kernel): string[] {
  const js = ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const fn = loadJs(js, kernel.name);
  const out: string[] = [];
  for (const run of RUNS) {
    const args = originalArgs(kernel, makeInputs(kernel, { n: run.n, seed: 5, edge: run.edge }));
    const mine = cloneArgs(args);
    const theirs = cloneArgs(args);
    const call = (f: () => unknown): string => {
      try {
        return show(f());
      } catch (e) {
        return `throws ${String(e)}`;
      }
    };
    const got = call(() => runAsOriginal(kernel, mine));
    const want = call(() => fn(...theirs));
    if (got !== want) out.push(`n ${run.n}, ${run.edge}: result JS ${want}, IR ${got}`);
    mine.forEach((a, i) => {
      if (show(a) !== show(theirs[i]))
        out.push(`n ${run.n}, ${run.edge}: ${inputParams(kernel)[i]!.name} differs`);
    });
  }
  return out;
}

/** The `k`-th loop of `fn` in `src`, checked: valid IR and the same results as its JS text. */
function checkedLoop(file: string, src: string, fn: string, k = 0): LoopFacts {
  const l = loopsOf(file, src).find((x) => x.id.endsWith(`#${fn}/${k}`));
  assert.ok(l, `no loop ${k} in ${fn}`);
  assert.match(verdictOf(l), /^ok /, `${fn}: ${verdictOf(l)}`);
  assert.ok(l.kernel, `${fn}: no kernel`);
  assert.deepEqual(validateKernel(l.kernel), []);
  const mismatches = isLoopKernel(l.kernel)
    ? differential(file, src, l, l.kernel)
    : functionDifferential(file, src, l.kernel);
  assert.ok(mismatches, `${fn}: the reference did not load`);
  assert.deepEqual(mismatches, [], `${fn} differs from its JS`);
  return l;
}

describe('row variables assigned as statements', () => {
  const src = `
function scaleRows(A, Q, m) {
  var i, k, Ai, Qi;
  for (i = 0; i < m; i++) {
    Ai = A[i];
    Qi = Q[i];
    for (k = 0; k < Ai.length; k++) Ai[k] -= 2 * Qi[k];
  }
}
function backSub(LU, x, n) {
  var i, j, LUi;
  for (i = n - 1; i >= 0; --i) {
    LUi = LU[i];
    for (j = i + 1; j < n; ++j) x[i] -= x[j] * LUi[j];
    x[i] /= LUi[i];
  }
}
function pairs(A, out) {
  var i, j, A0, A1;
  for (i = 1; i < A.length; i += 2) {
    A1 = A[i];
    A0 = A[i - 1];
    for (j = 0; j < A0.length; j++) out[j] += A1[j] * A0[j];
  }
}
function moved(A, out) {
  var i, j, r;
  for (i = 0; i < A.length; i++) {
    r = A[i];
    if (r.length > 2) r = A[0];
    for (j = 0; j < r.length; j++) out[j] += r[j];
  }
}`;
  for (const fn of ['scaleRows', 'backSub', 'pairs', 'moved'])
    test(`${fn}: a row index, the same results as the JS`, () => {
      checkedLoop('rows.js', src, fn);
    });

  test('loops of a bigger function that reuse one row variable, each setting it first', () => {
    const two = `
function hessenberg(A, C, m, j) {
  var i, k, Ai, Ci, log = [];
  for (i = j + 1; i < m; i++) { Ai = A[i]; Ci = C[i - j - 1]; for (k = j; k < m; k++) Ai[k] -= 2 * Ci[k - j]; }
  for (i = 0; i < m; i++) { Ai = A[i]; Ci = C[i]; for (k = j + 1; k < m; k++) Ai[k] -= 2 * Ci[k - j - 1]; }
  log.push('done');
  return { A: A, log: log };
}`;
    const first = checkedLoop('hess.js', two, 'hessenberg', 0);
    const second = checkedLoop('hess.js', two, 'hessenberg', 2);
    for (const l of [first, second]) assert.match(l.kernel!.name, /_loop\d/);
  });

  test('refused: a row read before it is assigned, read after the loop, or of two arrays', () => {
    const bad = `
function carried(A, n) {
  var i, s = 0, Ai = A[0];
  for (i = 0; i < n; i++) { s += Ai[0]; Ai = A[i]; }
  return s;
}
function after(A, n) {
  var i, s = 0, Ai;
  for (i = 0; i < n; i++) { Ai = A[i]; s += Ai[0]; }
  return s + Ai[1];
}
function two(A, B, n) {
  var i, s = 0, r;
  for (i = 0; i < n; i++) { r = A[i]; if (s > 1) r = B[i]; s += r[0]; }
  return s;
}
function swap(A, n) {
  var i, t, s = 0;
  for (i = 1; i < n; i++) { t = A[i]; s += t[0]; A[i] = A[i - 1]; A[i - 1] = t; }
  return s;
}`;
    const loops = loopsOf('bad.js', bad);
    const v = (fn: string): string => verdictOf(loops.find((l) => l.id.endsWith(`#${fn}/0`)));
    assert.match(v('carried'), /^no unsupported-syntax: uses the row A\[i\] as a value/);
    assert.match(v('after'), /^no unsupported-syntax: the row Ai is read after the loop/);
    assert.match(v('two'), /^no unsupported-syntax: r names a row of A, then of B/);
    assert.match(v('swap'), /^no unsupported-syntax: uses the row A\[i - 1\] as a value/);
  });
});

describe('dependences between two writes of one array', () => {
  test('a[i] and a[i - 1] both written: sequential, and the same results as the JS', () => {
    const src = `
export function bubble(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) { const t = a[i]; a[i] = a[i - 1]; a[i - 1] = t; }
}
export function pairs(re: Float64Array, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) { re[2 * i] = x[i]; re[2 * i + 1] = -x[i]; }
}`;
    const bubble = checkedLoop('deps.ts', src, 'bubble');
    const parallel = (l: LoopFacts): boolean =>
      l.kernel!.body.some((s) => s.kind === 'for' && s.parallel !== undefined);
    assert.equal(parallel(bubble), false, 'bubble: a[i - 1] is written by the next iteration too');
    assert.equal(parallel(checkedLoop('deps.ts', src, 'pairs')), true, 'pairs: 2i and 2i + 1 never meet');
  });
});

describe('for loops that are while loops', () => {
  const src = `
function tables(sinT, cosT, radix) {
  var i, TPI = 2 * Math.PI;
  for (i = sinT.length; i--;) {
    sinT[i] = Math.sin(TPI * (i / radix));
    cosT[i] = Math.cos(TPI * (i / radix));
  }
}
function lastNonZero(DU) {
  var end0pos = DU.length - 1;
  for (; (end0pos > 0) && (DU[end0pos] == 0); end0pos--) {}
  return end0pos;
}
function countUp(x, n) {
  var s = 0, i = 0;
  for (; i < n; i++) s += x[i] * i;
  return s;
}
function firstNeg(work, nact) {
  var i, t1 = 0;
  for (i = 1; i <= nact; i = i + 1) {
    if (work[i] < 0) break;
    t1 += work[i];
  }
  return t1 + i;
}`;
  for (const fn of ['tables', 'lastNonZero', 'countUp', 'firstNeg'])
    test(`${fn}: the same results as the JS`, () => {
      checkedLoop('forwhile.js', src, fn);
    });

  test('refused: a continue that would skip the step, a counter the test steps and read after, for (;;) without a bound', () => {
    const bad = `
function cont(x, n) {
  var s = 0, i = 0;
  for (; i < n; i++) { if (x[i] < 0) continue; s += x[i]; }
  return s;
}
function tail(x) {
  var i, s = 0;
  for (i = x.length; i--;) { if (x[i] < 0) break; s += x[i]; }
  return s + i;
}
function spin(tw, radix) {
  var i = 0, j = 0;
  for (;;) { tw[i] = j; if (++i >= radix) break; j += 2; }
}`;
    const loops = loopsOf('forbad.js', bad);
    const v = (fn: string): string => verdictOf(loops.find((l) => l.id.endsWith(`#${fn}/0`)));
    assert.match(v('cont'), /^no unsupported-syntax: continue in a for loop without an initialiser/);
    assert.match(
      v('tail'),
      /^no unsupported-syntax: while loop that ends only when i-- hits one exact value/,
    );
    assert.match(
      v('spin'),
      /^no unsupported-syntax: while loop without a counter stepped toward a fixed bound/,
    );
  });
});

describe('null tests and boolean flags', () => {
  const src = `
function linear(data) {
  let len = 0, s0 = 0, s1 = 0;
  for (let n = 0; n < data.length; n++) {
    if (data[n][1] !== null) {
      len++;
      s0 += data[n][0];
      s1 += data[n][0] * data[n][1];
    }
  }
  return s0 + s1 / len;
}
function mask(indata, outdata, width, t0) {
  let pxPos = 0;
  for (let x = 0; x < width; x++) {
    let makeTrans = false;
    if (t0 === indata[pxPos] || indata[pxPos] > t0 + 2) makeTrans = true;
    if (!makeTrans && x > 3) makeTrans = indata[pxPos] < -3;
    if (makeTrans) outdata[pxPos] = 0;
    else outdata[pxPos] = indata[pxPos] * 2;
    pxPos += 1;
  }
}`;
  test('mask: the same results as the JS', () => {
    checkedLoop('flags.js', src, 'mask');
  });

  test('linear, its data declared number[][]: the null test is constant, the same results as the JS', () => {
    checkedLoop(
      'flags.ts',
      src.replace('function linear(data)', 'function linear(data: number[][])'),
      'linear',
    );
  });

  test('linear in JS (data typed from its use): the null test is kept, the same results as the JS', () => {
    // The null points themselves: analysisNullTest.test.ts.
    checkedLoop('flags.js', src, 'linear');
  });

  test('refused: a loose null test, a flag that is returned or compared', () => {
    const bad = `
function loose(data) {
  let s = 0;
  for (let n = 0; n < data.length; n++) if (data[n] != null) s += data[n];
  return s;
}
function returned(x) {
  let found = false;
  for (let i = 0; i < x.length; i++) if (x[i] > 0) found = true;
  return found;
}
function compared(x) {
  let found = false, s = 0;
  for (let i = 0; i < x.length; i++) { if (x[i] > 0) found = true; if (found === true) s += x[i]; }
  return s;
}`;
    const loops = loopsOf('flagbad.js', bad);
    const v = (fn: string): string => verdictOf(loops.find((l) => l.id.endsWith(`#${fn}/0`)));
    assert.match(v('loose'), /^no unsupported-syntax: uses null/);
    assert.match(v('returned'), /^no unsupported-syntax: uses a boolean value/);
    assert.match(v('compared'), /^no unsupported-syntax: uses a boolean value/);
  });
});

describe('while loops that walk off an array', () => {
  const src = `
function LUsolve(Lj, Lv, ret, m) {
  var i, k = 0;
  for (i = 0; i < m; i++) {
    while (Lj[k] < i) {
      ret[i] -= Lv[k] * ret[Lj[k]];
      k++;
    }
    k++;
  }
  return ret;
}
function back(U, x) {
  var k = U.length - 1, s = 0;
  while (U[k - 1] > x) { s += U[k]; k--; }
  return s + k;
}`;
  for (const fn of ['LUsolve', 'back'])
    test(`${fn}: the same results as the JS`, () => {
      checkedLoop('walk.js', src, fn);
    });

  test('refused: the loop writes the array it walks (a number[] grows), or the test is !==', () => {
    const bad = `
function grows(a, x) {
  var k = 0;
  while (a[k] < x) { a[k + 1] = a[k] + 1; k++; }
  return k;
}
function differs(a, x) {
  var k = 0;
  while (a[k] !== x * 2) k++;
  return k;
}`;
    const loops = loopsOf('walkbad.js', bad);
    const v = (fn: string): string => verdictOf(loops.find((l) => l.id.endsWith(`#${fn}/0`)));
    assert.match(v('grows'), /^no unsupported-syntax: while loop without a counter stepped toward/);
    assert.match(
      v('differs'),
      /^no unsupported-syntax: while loop that ends only when a\[k\] !== x \* 2 hits one exact value/,
    );
  });
});

describe('for loops with a step known at run time', () => {
  const src = `
export function binning(array: Float64Array, size: number, output: Float64Array): Float64Array {
  const length = array.length;
  for (let i = 0, j = 0; i < length; i += size, j++) {
    const end = Math.min(i + size, length);
    let sum = 0;
    for (let k = i; k < end; k++) sum += array[k];
    output[j] = sum / (end - i);
  }
  return output;
}
export function strided(a: Float64Array, dim: number): number {
  let s = 0;
  for (let i = a.length - 1; i > 0; i -= dim) s += a[i];
  return s;
}`;
  test('binning: stepExpr, a second counter derived from the iteration, the same results as the JS', () => {
    const l = checkedLoop('step.ts', src, 'binning');
    const loop = l.kernel!.body.find((s) => s.kind === 'for');
    assert.ok(loop?.kind === 'for' && loop.stepExpr, 'a run-time step');
  });
  test('strided (descending): the same results as the JS', () => {
    checkedLoop('step.ts', src, 'strided');
  });

  // dsp.js RFFT.forward's shape: one `var i0` for every stage loop (`for (i0 = ix; i0 < n; i0 += id)`),
  // in loops around them. The value one leaves is overwritten by the next stage loop or the next pass.
  const stages = `
function stages(x: Float64Array, n: number, passes: number): number {
  var i0: number, i1: number, t1: number, id: number, p: number, s = 0;
  for (p = 0; p < passes; p++) {
    id = 4 + p;
    for (i0 = p; i0 < n; i0 += id) { t1 = x[i0]; x[i0] = t1 * 0.5; }
    for (i0 = p + 1; i0 < n; i0 += id) { i1 = i0; s += x[i1]; }
  }
  return s;
}
function reread(x: Float64Array, n: number, passes: number): number {
  var i0: number = 0, id: number, p: number, s = 0;
  for (p = 0; p < passes; p++) {
    s += i0;
    id = 4 + p;
    for (i0 = p; i0 < n; i0 += id) x[i0] = x[i0] * 0.5;
  }
  return s;
}`;
  test('a counter every pass writes again before reading it is not read after its loop', () => {
    const l = checkedLoop('stages.ts', stages, 'stages');
    assert.equal(l.functionName, 'stages');
    // Read at the top of the next pass: still refused.
    const r = loopsOf('stages.ts', stages).find((x) => x.id.endsWith('#reread/0'));
    assert.match(verdictOf(r), /^no unsupported-syntax: i0 is read after a loop with a run-time step/);
  });

  // fili's FFT: `for (k = 1; k < n; k = k2)` with `k2 = k + k` at the top of the body, and the
  // butterflies' step `i += k2` a local of the kernel; `size *= 2` directly.
  const doubling = `
function fft(re: Float64Array, im: Float64Array, cos: Float64Array, n: number): void {
  var i: number, j: number, k: number, k2: number, h: number, d: number, c: number, ik: number, dx: number;
  for (k = 1; k < n; k = k2) {
    h = 0;
    k2 = k + k;
    d = n / k2;
    for (j = 0; j < k; j++) {
      c = cos[h];
      for (i = j; i < n; i += k2) {
        ik = i + k;
        dx = c * re[ik] - im[ik];
        re[ik] = re[i] - dx;
        re[i] += dx;
      }
      h += d;
    }
  }
}
function widths(x: Float64Array, n: number): number {
  var s = 0, size: number;
  for (size = 2; size < n; size *= 2) s += x[size - 1] * size;
  return s;
}
function fromZero(x: Float64Array, n: number): number {
  var s = 0, size: number;
  for (size = 0; size < n; size *= 2) s += size;
  return s;
}
function notStrict(x: Float64Array, n: number): number {
  var s = 0, size: number;
  for (size = 1; size <= n; size *= 2) s += size;
  return s;
}
function firstPass(x: Float64Array, n: number): void {
  var ix: number, id: number, i0: number, st1: number;
  for (ix = 0, id = 4; ix < n; id *= 4) {
    for (i0 = ix; i0 < n; i0 += id) {
      st1 = x[i0] - x[i0 + 1];
      x[i0] += x[i0 + 1];
      x[i0 + 1] = st1;
    }
    ix = 2 * (id - 1);
  }
}
function falling(x: Float64Array, n: number): number {
  var s = 0, ix: number, id: number;
  for (ix = 0, id = 4; ix < n; id *= 4) {
    s += x[0];
    ix = 2 - id;
  }
  return s;
}
function skips(x: Float64Array, n: number): number {
  var s = 0, size: number, t: number;
  for (size = 1; size < n; size = t) {
    if (x[0] > 0) { t = size; continue; }
    t = size + size;
    s += t;
  }
  return s;
}`;
  test('a counter that doubles from a positive start ends on every input: the same results as the JS', () => {
    checkedLoop('fft.ts', doubling, 'fft');
    checkedLoop('fft.ts', doubling, 'widths');
    // dsp.js RFFT.forward's first pass: the tested counter is an increasing affine function of a doubling one.
    checkedLoop('fft.ts', doubling, 'firstPass');
    const verdicts = Object.fromEntries(
      ['fromZero', 'notStrict', 'skips', 'falling'].map((fn) => [
        fn,
        verdictOf(loopsOf('fft.ts', doubling).find((x) => x.id.endsWith(`#${fn}/0`))),
      ]),
    );
    // From 0 it stays 0; `<=` never ends when n is Infinity; a pass that may skip the step.
    for (const [fn, v] of Object.entries(verdicts))
      assert.match(v, /^no unsupported-syntax: .*(may never end|constant step|continue)/, fn);
  });

  test('refused: a <= bound with a run-time step, a step the loop changes', () => {
    const bad = `
export function le(a: Float64Array, dim: number): number {
  let s = 0;
  for (let i = 0; i <= a.length; i += dim) s += a[i];
  return s;
}
export function changes(a: Float64Array, dim: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i += dim) { s += a[i]; dim = dim + 1; }
  return s;
}`;
    const loops = loopsOf('stepbad.ts', bad);
    const v = (fn: string): string => verdictOf(loops.find((l) => l.id.endsWith(`#${fn}/0`)));
    assert.match(v('le'), /^no unsupported-syntax: loop condition i <= a.length with the run-time step dim/);
    assert.match(v('changes'), /^no unsupported-syntax: the loop step changes inside the loop/);
  });
});

describe('more counters of a for loop', () => {
  const src = `
function codes(data, out, offset) {
  var j;
  for (j = 0; j < 16; j++, offset++) out[j] = data[offset] * 2;
  return offset;
}
function seed(coords, n, cx) {
  let i0 = 0;
  for (let i = 0, minDist = Infinity; i < n; i++) {
    const d = Math.abs(cx - coords[2 * i]);
    if (d < minDist) { i0 = i; minDist = d; }
  }
  return i0;
}
function tables(sinT, tw, radix) {
  var i;
  for (i = sinT.length; i--;) sinT[i] = Math.sin(2 * Math.PI * (i / radix));
  var i = 0;
  tw[i] = radix * 2;
  return tw;
}`;
  for (const fn of ['codes', 'seed', 'tables'])
    test(`${fn}: the same results as the JS`, () => {
      checkedLoop('counters.js', src, fn);
    });
});
