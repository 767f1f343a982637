// Loop shapes of real code lowered as loop kernels inside bigger functions (the loop alone, its
// live-in and live-out scalars as parameters): while loops without a counter at the end, increments
// inside expressions, recurrences run in order, `!==` bounds on integers proven by their declaration —
// each run by the interpreter against the loop's own JS text on random inputs — and the shapes that
// stay refused (compensated sums, an increment whose order JS decides per value).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { differential } from '../support/loopRef.js';

const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};

/** The first loop of `fn` in `src`, checked: valid IR, same results as its JS text, `parallel` unless `sequential`. */
function checkedLoop(file: string, src: string, fn: string, sequential?: boolean): LoopFacts {
  const a = analyzeSource(`/w/${file}`, src, { rootDir: '/w' });
  const l = a.loops.find((x) => x.id.endsWith(`#${fn}/0`));
  assert.ok(l, `no loop in ${fn}`);
  assert.match(verdictOf(l), /^ok /, `${fn}: ${verdictOf(l)}`);
  assert.ok(l.kernel, `${fn}: no kernel`);
  assert.deepEqual(validateKernel(l.kernel), []);
  const parallel = l.kernel.body.some((s) => s.kind === 'for' && s.parallel !== undefined);
  if (sequential !== undefined) assert.equal(parallel, !sequential, `${fn}: parallel mark`);
  const mismatches = differential(file, src, l, l.kernel);
  assert.ok(mismatches, `${fn}: the reference did not load`);
  assert.deepEqual(mismatches, [], `${fn} differs from its JS`);
  return l;
}

describe('while loops as real code writes them', () => {
  test('a search whose counter is read after the loop (a live-out)', () => {
    const src = `
function getClass(value, classes) {
  var n = classes.length, i = 0;
  while (i < n && value >= classes[i]) i++;
  return { at: i - 1 };
}`;
    const l = checkedLoop('search.js', src, 'getClass', true);
    assert.equal(l.kernel!.result.kind, 'scalar');
  });

  test('a counter stepped in the middle of the body; a do…while on a float condition is refused', () => {
    const src = `
export function rolloff(ampspec: Float64Array, threshold: number, total: number) {
  let ec = total;
  let n = ampspec.length - 1;
  while (ec > threshold && n >= 0) {
    ec -= ampspec[n];
    --n;
  }
  return { bin: n + 1 };
}
export function series(x: number, out: Float64Array) {
  let s = 1, ds = 1, d = 0;
  do { d += 2; ds *= (x * x) / (d * d); s += ds; } while (ds > s * 1e-6);
  out[0] = s;
  return { s };
}`;
    const a = analyzeSource('/w/r.ts', src, { rootDir: '/w' });
    assert.equal(verdictOf(a.loops[0]), 'ok scan');
    checkedLoop('r.ts', src, 'rolloff', true);
    // A convergence loop ends only on the inputs it was written for: a kernel run on any inputs (the
    // checks, the benchmarks) could spin, so it stays refused.
    assert.match(
      verdictOf(a.loops[1]),
      /^no unsupported-syntax: while loop without a counter stepped toward/,
    );
  });

  test('while (i--) with the counter read after the loop is refused: from a non-integer start JS never ends it', () => {
    const src = `
export function tail(xs: Float64Array) {
  let i = xs.length, s = 0;
  while (i--) { if (xs[i] < 0) break; s += xs[i]; }
  return { s, i };
}`;
    const a = analyzeSource('/w/tail.ts', src, { rootDir: '/w' });
    assert.match(
      verdictOf(a.loops[0]),
      /^no unsupported-syntax: while loop that ends only when i-- hits one exact value/,
    );
  });
});

describe('increments inside expressions', () => {
  test('out[j++] = … and y = data[i++] run before the statement, as in JS', () => {
    const src = `
export function unpack(data: Uint8Array, out: Float64Array, n: number) {
  let i = 0, j = 0;
  for (let k = 0; k < n; k++) {
    const r = data[i++];
    const g = data[i++];
    out[j++] = r * 0.5 + g;
    out[j++] = 255;
  }
  return { i, j };
}`;
    checkedLoop('unpack.ts', src, 'unpack', true);
  });

  test('an increment another part of the expression reads, or under && / ?:, is refused', () => {
    const src = `
export function a(xs: Float64Array) { let i = 0, s = 0; while (i < xs.length) { s += xs[i] + xs[i++]; } return { s }; }
export function b(xs: Float64Array) { let i = 0, s = 0; while (i < xs.length) { s += xs[i] > 0 ? xs[i++] : 1; i++; } return { s }; }`;
    const an = analyzeSource('/w/inc.ts', src, { rootDir: '/w' });
    assert.equal(verdictOf(an.loops[0]), 'no unsupported-syntax: increment inside an expression: i++');
    assert.equal(verdictOf(an.loops[1]), 'no unsupported-syntax: increment inside an expression: i++');
  });
});

describe('recurrences run in order', () => {
  test("Horner's rule and a first-order filter are sequential kernels (no parallel loop)", () => {
    const src = `
export function polyval(c: Float64Array, x: number) {
  let p = 0;
  for (let i = c.length - 1; i >= 0; i--) p = p * x + c[i];
  return { p };
}
export function ema(xs: Float64Array, out: Float64Array, alpha: number) {
  let prev = 0;
  for (let i = 0; i < xs.length; i++) { prev = alpha * xs[i] + (1 - alpha) * prev; out[i] = prev; }
  return { prev };
}
export function argmax(xs: Float64Array) {
  let m = -Infinity, k = -1;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) { m = xs[i]; k = i; }
  return { m, k };
}`;
    checkedLoop('rec.ts', src, 'polyval', true);
    checkedLoop('rec.ts', src, 'ema', true);
    checkedLoop('rec.ts', src, 'argmax', true);
  });

  test('compensated sums stay refused: the error term only exists as written', () => {
    const src = `
export function kahan(xs: Float64Array) {
  var sum = 0, c = 0, y, t;
  for (var i = 0; i < xs.length; i++) { y = xs[i] - c; t = sum + y; c = (t - sum) - y; sum = t; }
  return { sum };
}
export function twoSum(xs: Float64Array) {
  let s = 0, e = 0;
  for (let i = 0; i < xs.length; i++) { const x = xs[i]; const t = s + x; const bp = t - s; e += (s - (t - bp)) + (x - bp); s = t; }
  return { s, e };
}`;
    const a = analyzeSource('/w/k.ts', src, { rootDir: '/w' });
    assert.match(verdictOf(a.loops[0]), /^no loop-carried: compensated summation: c /);
    assert.match(verdictOf(a.loops[1]), /^no loop-carried: compensated summation: e /);
  });
});

describe('!== bounds', () => {
  test('a free n declared as x.length and never assigned is an integer, so i !== -1 counts down', () => {
    const src = `
function convpow2(ax, ay, bx, by) {
  var n = ax.length, axi, bxi, ayi, byi;
  for (var i = n - 1; i !== -1; --i) {
    axi = ax[i]; ayi = ay[i]; bxi = bx[i]; byi = by[i];
    ax[i] = axi * bxi - ayi * byi;
    ay[i] = axi * byi + ayi * bxi;
  }
  console.log(ax);
}`;
    checkedLoop('conv.js', src, 'convpow2');
  });

  test('an n assigned again is not proven', () => {
    const src = `
function f(ax, m) {
  var i, n = ax.length;
  if (m) n = m;
  for (i = n - 1; i !== -1; --i) ax[i] = 2 * ax[i];
  console.log(ax);
}`;
    const a = analyzeSource('/w/f.js', src, { rootDir: '/w' });
    assert.match(verdictOf(a.loops[0]), /not proven integers/);
  });
});
