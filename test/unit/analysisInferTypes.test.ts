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
