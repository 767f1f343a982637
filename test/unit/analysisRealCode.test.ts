// Real-code typing and fields: verdicts that do not depend on node_modules, notes that say what was
// inferred, read-only object fields as loop-kernel parameters (run by the interpreter against the JS),
// and the reasons for fields that cannot be read once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { LoopFacts } from '../../src/core/analysis/index.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { validateKernel } from '../../src/core/ir/validate.js';

const verdictOf = (l: LoopFacts | undefined): string => {
  assert.ok(l, 'loop missing');
  return l.verdict.translatable ? `ok ${l.verdict.pattern}` : `no ${l.verdict.code}: ${l.verdict.reason}`;
};
const notesOf = (l: LoopFacts | undefined): readonly string[] =>
  l?.verdict.translatable ? (l.verdict.notes ?? []) : [];

describe('array types of real code', () => {
  const body = `{
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s;
}`;
  test('a type that does not resolve (no node_modules) gives the same verdict as the resolved union, and says so', () => {
    const unresolved = analyzeSource(
      '/w/src/d.ts',
      `import type { NumberArray } from 'cheminfo-types';\nexport function manhattan(a: NumberArray, b: NumberArray): number ${body}`,
    );
    const resolved = analyzeSource(
      '/w/src/d.ts',
      `type NumberArray = number[] | Float64Array | Uint8Array;\nexport function manhattan(a: NumberArray, b: NumberArray): number ${body}`,
    );
    assert.equal(verdictOf(unresolved.loops[0]), 'ok reduce');
    assert.equal(verdictOf(resolved.loops[0]), 'ok reduce');
    assert.match(
      notesOf(unresolved.loops[0]).join('\n'),
      /a: a numeric array inferred from its use \(its type NumberArray does not resolve\)/,
    );
    assert.deepEqual(notesOf(resolved.loops[0]), []);
    const [pa] = unresolved.loops[0]!.kernel!.params;
    const [pr] = resolved.loops[0]!.kernel!.params;
    assert.deepEqual(pa, {
      kind: 'array',
      name: 'a',
      dtype: 'f64',
      container: 'array',
      access: 'read',
      typeSource: 'inferred',
    });
    assert.deepEqual(pr, { kind: 'array', name: 'a', dtype: 'f64', container: 'array', access: 'read' });
  });

  test('untyped values used as objects or both ways are refused with the reason', () => {
    const a = analyzeSource(
      '/w/src/u.js',
      `export function f(xs, o) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] * o.scale(); return s; }
export function g(xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] * xs; return s; }`,
    );
    assert.match(verdictOf(a.loops[0]), /^no calls-function: calls o\.scale\(\)/);
    assert.equal(
      verdictOf(a.loops[1]),
      'no unknown-types: xs has no type and is used both as a number and as an array',
    );
  });
});

describe('object fields', () => {
  const src = `
export class Linear {
  weights: Float64Array;
  bias: number;
  constructor(w: Float64Array, b: number) { this.weights = w; this.bias = b; }
  apply(x: Float64Array, out: Float64Array): void {
    for (let i = 0; i < x.length; i++) out[i] = this.weights[i] * x[i] + this.bias;
  }
  shift(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = out[i] + this.bias;
  }
  count(xs: Float64Array): void {
    for (let i = 0; i < xs.length; i++) this.bias += xs[i];
  }
}`;
  const a = analyzeSource('/w/src/linear.ts', src);

  test('read-only fields become parameters of the loop kernel, with a note', () => {
    const apply = a.loops[0]!;
    assert.equal(verdictOf(apply), 'ok map');
    const k = apply.kernel!;
    assert.deepEqual(validateKernel(k), []);
    assert.deepEqual(k.params.map((p) => `${p.name}:${p.kind}`).sort(), [
      'bias:scalar',
      'out:array',
      'weights:array',
      'x:array',
    ]);
    assert.match(
      notesOf(apply).join('\n'),
      /this\.weights is read once, before the loop, as parameter weights/,
    );
    // The interpreter against the method itself, on the same values (NaN and -Infinity included).
    const w = new Float64Array([1, 2, 3]);
    const x = new Float64Array([4, NaN, -Infinity]);
    const byName: Record<string, Float64Array | number> = {
      weights: w,
      x,
      bias: 0.5,
      out: new Float64Array(3),
    };
    runKernel(
      k,
      k.params.map((p) => byName[p.name]!),
    );
    const expected = new Float64Array(3);
    for (let i = 0; i < 3; i++) expected[i] = w[i]! * x[i]! + 0.5;
    assert.deepEqual([...(byName.out as Float64Array)], [...expected]);
    const shift = a.loops[1]!;
    assert.equal(verdictOf(shift), 'ok map');
    const out = new Float64Array([1, 2]);
    runKernel(shift.kernel!, [out, 0.5]);
    assert.deepEqual([...out], [1.5, 2.5]);
  });

  test('a number field the loop writes is a live-out: its entry value a parameter, its final value the result', () => {
    const count = a.loops[2]!;
    assert.equal(verdictOf(count), 'ok reduce');
    assert.match(notesOf(count).join('\n'), /this\.bias is written by the loop/);
    const k = count.kernel!;
    assert.deepEqual(validateKernel(k), []);
    const xs = new Float64Array([1, 2.5, NaN]);
    assert.ok(Object.is(runKernel(k, [xs, 0.5]).result, 0.5 + 1 + 2.5 + NaN));
  });
});

describe('accessor methods', () => {
  const src = `
export class Matrix {
  data: number[][];
  constructor(data: number[][]) { this.data = data; }
  get(i: number, j: number): number { return this.data[i][j]; }
  set(i: number, j: number, v: number): this { this.data[i][j] = v; return this; }
}
export class Tracked extends Matrix {
  reads = 0;
}
export function diagonal(m: Matrix, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = m.get(i, i);
}
export function scaleCol(m: Matrix, j: number, f: number, n: number): void {
  for (let i = 0; i < n; i++) m.set(i, j, m.get(i, j) * f);
}`;
  const a = analyzeSource('/w/src/matrix.ts', src);

  test('m.get(i, j) / m.set(i, j, v) over this.data[i][j] are inlined; the rows become a rank-2 parameter', () => {
    const diag = a.loops[0]!;
    assert.equal(verdictOf(diag), 'ok map');
    const k = diag.kernel!;
    assert.deepEqual(validateKernel(k), []);
    assert.deepEqual(k.inlined, ['Matrix.get']);
    const data = k.params.find((p) => p.name === 'm_data');
    assert.ok(data?.kind === 'array' && data.rank === 2, JSON.stringify(k.params));
    const rows = [
      [1, 2],
      [3, NaN],
    ];
    const byName: Record<string, unknown> = { m_data: rows, out: new Float64Array(2), n: 2 };
    runKernel(
      k,
      k.params.map((p) => byName[p.name] as number),
    );
    assert.deepEqual([...(byName.out as Float64Array)], [1, NaN]);
    const scale = a.loops[1]!;
    assert.equal(verdictOf(scale), 'ok map');
    const k2 = scale.kernel!;
    const rows2 = [
      [1, 2],
      [3, 4],
    ];
    const args2: Record<string, unknown> = { m_data: rows2, j: 1, f: 10, n: 2 };
    runKernel(
      k2,
      k2.params.map((p) => args2[p.name] as number),
    );
    assert.deepEqual(rows2, [
      [1, 20],
      [3, 40],
    ]);
  });

  test('an overridden method is refused: the method is chosen at run time', () => {
    const b = analyzeSource(
      '/w/src/m2.ts',
      src.replace(
        'reads = 0;',
        'reads = 0;\n  get(i: number, j: number): number { this.reads++; return super.get(i, j); }',
      ),
    );
    assert.match(verdictOf(b.loops[0]), /^no calls-function: calls m\.get\(\), which Tracked overrides/);
  });
});
