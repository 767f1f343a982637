// Use-based typing beyond plain `any`: `any[]` arrays of untyped JS (`Array(n)`, `[]` filled later),
// generics whose constraint does not resolve, and array methods used outside the loop. Each accepted
// shape is inferred (`typeSource: 'inferred'`, a note); each look-alike stays refused with its reason.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { validateKernel } from '../../src/core/ir/validate.js';

const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};
const notesOf = (l: LoopFacts | undefined): string =>
  (l?.verdict.translatable ? (l.verdict.notes ?? []) : []).join('\n');
/** The `typeSource` of the kernel's array parameter `name` ('none' when it is not an array). */
const sourceOf = (l: LoopFacts | undefined, name: string): string => {
  assert.ok(l?.kernel, 'no kernel');
  assert.deepEqual(validateKernel(l.kernel), []);
  const p = l.kernel.params.find((q) => q.name === name);
  return p?.kind === 'array' ? (p.typeSource ?? 'checker') : 'none';
};

describe('any[] arrays', () => {
  test('an Array(n) local filled by a later loop is an inferred numeric array, checked at run time', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function lin(a, b, n) {
  var i, ret = Array(n);
  n--;
  for (i = n; i >= 0; i--) { ret[i] = (i * b + (n - i) * a) / n; }
  return ret;
}`,
    );
    const loop = a.loops[0];
    assert.match(verdictOf(loop), /^ok /);
    assert.match(notesOf(loop), /ret: a numeric array inferred from its use \(its type any\[\] does not say/);
    assert.equal(sourceOf(loop, 'ret'), 'inferred');
  });

  test('an any[] used as a number, or as an object, is refused', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function f(n) {
  var ret = [], s = 0;
  ret.push(1);
  for (var i = 0; i < n; i++) s += ret * i;
  return s;
}
function g(n) {
  var ret = Array(n), s = 0;
  var k = ret.name;
  for (var i = 0; i < n; i++) s += ret[i];
  return s;
}`,
    );
    assert.match(verdictOf(a.loops[0]), /^no (unknown-types|unsupported-syntax): /);
    assert.match(verdictOf(a.loops[1]), /^no unknown-types: ret has no type and reads ret\.name/);
  });
});

describe('generics whose constraint does not resolve', () => {
  test('T extends NumberArray (import missing) is inferred from use, also through `T | undefined`', () => {
    const a = analyzeSource(
      '/w/x.ts',
      `import type { NumberArray } from 'cheminfo-types';
declare function out<T>(o: T | undefined, n: number): T;
export function xAbs<A extends NumberArray = NumberArray>(array: A): A {
  const t = array.slice() as A;
  for (let i = 0; i < t.length; i++) { if (t[i] < 0) t[i] *= -1; }
  return t;
}
export function xDiv<A extends NumberArray>(x: NumberArray, c: number, o: { output?: A } = {}): A {
  const y = out(o.output, x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] / c;
  return y;
}`,
    );
    assert.match(verdictOf(a.loops[0]), /^ok /);
    assert.match(notesOf(a.loops[0]), /t: a numeric array inferred from its use \(its type A /);
    assert.match(verdictOf(a.loops[1]), /^ok /);
    assert.match(notesOf(a.loops[1]), /y: a numeric array inferred from its use/);
    assert.equal(sourceOf(a.loops[1], 'y'), 'inferred');
  });

  test('a generic whose constraint resolves to a non-numeric type stays refused', () => {
    const a = analyzeSource(
      '/w/x.ts',
      `export function f<T extends string[]>(xs: T): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i].length;
  return s;
}`,
    );
    assert.match(verdictOf(a.loops[0]), /^no /);
  });
});

describe('array methods outside the loop', () => {
  test('xs.slice() / push / at beside the loop do not stop inference', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function norm(input) {
  var copy = input.slice(), last = input.at(-1), s = 0;
  for (var i = 0; i < input.length; i++) s += input[i] * input[i];
  return Math.sqrt(s) + copy.length + last;
}`,
    );
    assert.match(verdictOf(a.loops[0]), /^ok reduce/);
    assert.match(notesOf(a.loops[0]), /input: a numeric array inferred from its use \(no type\)/);
  });
});

describe('untyped locals the loop assigns', () => {
  test('`var t;` assigned only inside the loop (or a number by its syntax outside) is a number', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function fft(x, xe, xo, k) {
  var n = x.length, i, j, t, i0;
  i0 = 0;
  for (i = n - 1; i !== -1; --i) {
    j = i >> 1;
    t = k * i;
    i0 = j - 1;
    x[i] = xe[i0] + Math.cos(t) * xo[j];
  }
}`,
    );
    assert.match(verdictOf(a.loops[0]), /^ok /);
    assert.match(
      notesOf(a.loops[0]),
      /i0: a number \(no type; every value it is assigned is computed by the loop/,
    );
  });

  test('a local that holds something else before the loop, or whose value the loop does not compute, is refused', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function f(xs, n, o) {
  var t = o.first, s = 0;
  for (var i = 0; i < n; i++) { s += xs[i]; t = s; }
  return t;
}
function g(xs, n, o) {
  var t, s = 0;
  t = o.first;
  for (var i = 0; i < n; i++) { s += xs[i]; t = s; }
  return t;
}
function h(xs, o) {
  var t, s = 0;
  for (t in o) s += 1;
  for (var i = 0; i < xs.length; i++) { s += xs[i]; t = s; }
  return t;
}`,
    );
    for (const l of [a.loops[0], a.loops[1], a.loops[3]])
      assert.match(verdictOf(l), /^no unknown-types: type of t is unknown/);
  });
});

describe('numbers inferred from how the loop uses them', () => {
  test('an index, a loop start and a value stored into an element are numbers the wrapper checks', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function getCol(A, j, x) {
  for (var i = A.length - 1; i > 0; --i) x[i] = A[i][j];
}
function crc(a, from, to) {
  var c = -1, i;
  for (i = from; i < to; i++) c = (c >>> 8) ^ a[i];
  return c;
}
function fill(v, len, val) {
  for (var i = 0; i < len; i++) v[i] = val;
}`,
    );
    const scalarSource = (l: LoopFacts | undefined, name: string): string | undefined => {
      const p = l?.kernel?.params.find((q) => q.name === name);
      return p?.kind === 'scalar' ? (p.typeSource ?? 'checker') : undefined;
    };
    for (const l of a.loops) assert.match(verdictOf(l), /^ok /);
    assert.equal(scalarSource(a.loops[0], 'j'), 'inferred');
    assert.equal(scalarSource(a.loops[1], 'from'), 'inferred');
    assert.equal(scalarSource(a.loops[2], 'val'), 'inferred');
    assert.match(
      notesOf(a.loops[2]),
      /val: a number inferred from its use \(no type\); the wrapper checks it/,
    );
  });

  test('a value stored into an element that other uses show to be a row is an array, not a number', () => {
    const a = analyzeSource(
      '/w/u.js',
      `function diag(d) {
  var i, j, n = d.length, A = Array(n), Ai;
  for (i = n - 1; i >= 0; i--) {
    Ai = Array(n);
    for (j = n - 1; j >= 0; j--) Ai[j] = 0;
    Ai[i] = d[i];
    A[i] = Ai;
  }
  return A;
}`,
    );
    const inner = a.loops.find((l) => l.depth === 1);
    assert.ok(inner);
    assert.match(verdictOf(inner), /^ok /);
    assert.equal(sourceOf(inner, 'Ai'), 'inferred');
  });
});
