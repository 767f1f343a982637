// Kernel IR runtime: interpreter semantics, validation messages, printing, and the derived tolerance.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { probeKernel, runKernel } from '../../src/core/ir/interpret.js';
import { validateKernel } from '../../src/core/ir/validate.js';
import { printKernel } from '../../src/core/ir/print.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { cloneArgs, gatherIndices, makeInputs, Rng } from '../../src/core/ir/random.js';
import { analyzeSource } from '../../src/core/analysis/index.js';
import {
  add,
  arrayParam,
  assign,
  bin,
  call,
  for_,
  kernel,
  len,
  let_,
  load,
  mul,
  num,
  ref,
  scalarParam,
  select,
  store,
  sub,
} from '../../src/core/ir/build.js';
import type { Kernel, KernelOutput } from '../../src/core/ir/types.js';
import { loadJs } from '../support/loadJs.js';

const i = ref('i');
const sumKernel = (dtype: 'f64' | 'f32' = 'f64'): Kernel =>
  kernel({
    name: 'sum',
    pattern: 'reduce',
    orderSensitive: true,
    params: [arrayParam('xs', dtype, 'read')],
    body: [
      let_('s', num(0)),
      for_('i', num(0), len('xs'), [assign('s', add(ref('s'), load('xs', i)))], {
        parallel: [{ name: 's', op: 'sum' }],
      }),
    ],
    result: { kind: 'scalar', expr: ref('s') },
  });
const copyKernel = (dtype: 'f64' | 'i32' | 'u8c' | 'f32', container: 'typed' | 'array' = 'typed'): Kernel =>
  kernel({
    name: 'scaleCopy',
    pattern: 'map',
    params: [
      arrayParam('a', 'f64', 'read', 'array'),
      arrayParam('out', dtype, 'write', container),
      scalarParam('n'),
    ],
    body: [for_('i', num(0), ref('n'), [store('out', i, mul(load('a', i), num(1.5)))])],
    result: { kind: 'array', name: 'out' },
  });

describe('runKernel', () => {
  test('stores convert like the typed array does', () => {
    const a = [1.3, -2.7, 3e9, NaN, 200.5];
    assert.deepEqual(
      [...(runKernel(copyKernel('i32'), [a, new Int32Array(5), 5]).result as Int32Array)],
      [1, -4, 205032704, 0, 300],
    );
    assert.deepEqual(
      [...(runKernel(copyKernel('u8c'), [a, new Uint8ClampedArray(5), 5]).result as Uint8ClampedArray)],
      [2, 0, 255, 0, 255],
    );
    assert.deepEqual(
      [...(runKernel(copyKernel('f32'), [a, new Float32Array(5), 5]).result as Float32Array)],
      a.map((x) => Math.fround(x * 1.5)),
    );
  });

  test('number[] reads past the end give undefined → NaN, and writes grow the array', () => {
    const out: number[] = [];
    const r = runKernel(copyKernel('f64', 'array'), [[1, 2], out, 3]);
    assert.equal(r.result, out, "the written array is the caller's, mutated in place");
    assert.deepEqual(out, [1.5, 3, NaN]);
    assert.equal(r.written.out, out);
  });

  test('operators keep JS semantics: %, **, bit ops, comparisons, && and ||', () => {
    const ops = ['%', '**', '&', '|', '^', '<<', '>>', '>>>', '<', '===', '&&', '||'] as const;
    for (const op of ops) {
      const k = kernel({
        name: 'op',
        pattern: 'map',
        params: [scalarParam('x', 'f64'), scalarParam('y', 'f64')],
        body: [],
        result: { kind: 'scalar', expr: bin(op, ref('x'), ref('y')) },
      });
      const js = loadJs(kernelToJs(k), 'op');
      for (const [x, y] of [
        [-7.5, 2],
        [5, -3],
        [2 ** 33 + 5, 3],
        [NaN, 1],
        [0, -0],
        [-1, 0.5],
        [3, 3],
      ] as const) {
        assert.ok(Object.is(runKernel(k, [x, y]).result, js(x, y)), `${x} ${op} ${y}`);
      }
    }
  });

  test('all Math functions, with the right arity, agree with Math', () => {
    const fns = [
      'abs',
      'sqrt',
      'cbrt',
      'exp',
      'expm1',
      'log',
      'log1p',
      'log2',
      'log10',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'tanh',
      'floor',
      'ceil',
      'round',
      'trunc',
      'sign',
      'fround',
    ] as const;
    for (const fn of fns) {
      const k = kernel({
        name: 'f',
        pattern: 'map',
        params: [scalarParam('x', 'f64')],
        body: [],
        result: { kind: 'scalar', expr: call(fn, ref('x')) },
      });
      for (const x of [-2.5, -0.5, 0, 0.49999999999999994, 0.7, 3])
        assert.ok(Object.is(runKernel(k, [x]).result, Math[fn](x)), `Math.${fn}(${x})`);
    }
    const k2 = kernel({
      name: 'g',
      pattern: 'map',
      params: [scalarParam('x', 'f64'), scalarParam('y', 'f64')],
      body: [],
      result: {
        kind: 'scalar',
        expr: add(
          add(call('atan2', ref('x'), ref('y')), call('pow', ref('x'), ref('y'))),
          add(call('hypot', ref('x'), ref('y'), num(2)), call('imul', ref('x'), ref('y'))),
        ),
      },
    });
    assert.equal(runKernel(k2, [3, 4]).result, Math.atan2(3, 4) + 81 + Math.hypot(3, 4, 2) + 12);
  });

  test('probe records the index range of every array', () => {
    const k = kernel({
      name: 'st',
      pattern: 'stencil',
      params: [arrayParam('a', 'f64', 'read'), arrayParam('o', 'f64', 'write'), scalarParam('n')],
      body: [
        for_('i', num(1), sub(ref('n'), num(1)), [
          store('o', i, add(load('a', sub(i, num(1))), load('a', add(i, num(1))))),
        ]),
      ],
      result: { kind: 'void' },
    });
    const { access } = probeKernel(k, [new Float64Array(0), new Float64Array(0), 10]);
    assert.deepEqual(access.get('a'), { maxRead: 9, maxWrite: -1, minIndex: 0 });
    assert.deepEqual(access.get('o'), { maxRead: -1, maxWrite: 8, minIndex: 1 });
  });

  test('rejects wrong arguments with a message naming the parameter', () => {
    assert.throws(() => runKernel(sumKernel(), []), /expected 1 arguments \(xs\), got 0/);
    assert.throws(() => runKernel(sumKernel(), [3]), /'xs' must be an array/);
  });
});

describe('makeInputs', () => {
  test('sizes arrays from n and the probe, deterministically; views have a byteOffset', () => {
    const k = copyKernel('f64');
    const a = makeInputs(k, { n: 10, seed: 1, edge: 'subarray' });
    assert.deepEqual(a, makeInputs(k, { n: 10, seed: 1, edge: 'subarray' }));
    assert.equal(a[2], 10);
    assert.equal((a[1] as Float64Array).length, 10);
    assert.ok((a[1] as Float64Array).byteOffset > 0);
    assert.equal(makeInputs(k, { n: 10, seed: 1, edge: 'empty' })[2], 0);
    const nan = makeInputs(sumKernel(), { n: 64, seed: 3, edge: 'nan' })[0] as Float64Array;
    assert.ok(nan.some(Number.isNaN));
  });

  test('an array used as the index of another (a gather, dsp.js FFT.forward) holds indices of it', () => {
    // for (i = 0; i < n; i++) { real[i] = buffer[table[i]]; imag[i] = 0 }: the probe's zeros touch
    // buffer[0] only; the table must still index buffer in bounds, whatever the edge case.
    const src =
      'function f(n: number, buffer: number[], table: Uint32Array, real: Float64Array, imag: Float64Array): void {\n  for (let i = 0; i < n; i++) {\n    real[i] = buffer[table[i]];\n    imag[i] = 0;\n  }\n}\n';
    const k = analyzeSource('g.ts', src).loops.find((l) => l.kernel)?.kernel;
    assert.ok(k);
    assert.deepEqual([...(gatherIndices(k).get('table') ?? [])], ['buffer']);
    for (const edge of ['none', 'one', 'subarray', 'nan', 'mixed'] as const) {
      const a = makeInputs(k, { n: 256, seed: 1, edge });
      const names = k.params.map((p) => p.name);
      const buffer = a[names.indexOf('buffer')] as number[];
      const table = a[names.indexOf('table')] as Uint32Array;
      assert.ok(buffer.length >= table.length, `${edge}: buffer ${buffer.length}, table ${table.length}`);
      assert.ok(
        table.every((j) => j < buffer.length),
        edge,
      );
      // The kernel reads no undefined: every element it writes is a number of the buffer.
      const real = runKernel(k, a).written.real as Float64Array;
      assert.ok(
        [...real].every((x, i) => Object.is(x, buffer[table[i]!])),
        edge,
      );
    }
  });

  test('Rng is seeded and uniform enough', () => {
    const r = new Rng(42);
    const xs = Array.from({ length: 4000 }, () => r.next());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from(
        { length: 5 },
        (
          (q) => () =>
            q.next()
        )(new Rng(42)),
      ),
    );
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});

describe('validateKernel', () => {
  test('a valid kernel has no errors', () => {
    assert.deepEqual(validateKernel(sumKernel()), []);
  });
  test('reports undefined names, unknown arrays, bad steps, read-only stores, bad dtypes', () => {
    const bad = kernel({
      name: 'bad',
      pattern: 'map',
      params: [
        arrayParam('a', 'f64', 'read'),
        arrayParam('b', 'i32', 'read', 'array'),
        { kind: 'scalar', name: 'n', dtype: 'u8' as 'i32' },
      ],
      body: [
        for_('i', num(0), ref('m'), [store('a', i, load('zz', i)), assign('i', num(1))], { step: 0 }),
        let_('t', ref('a')),
      ],
      result: { kind: 'scalar', expr: call('pow', ref('t')) },
    });
    const errs = validateKernel(bad).join('\n');
    for (const re of [
      /'m' is not defined/,
      /'zz' is not an array parameter/,
      /step must be a non-zero integer, got 0/,
      /store to read-only parameter 'a'/,
      /number\[\] holds f64 values, not i32/,
      /a scalar is f64 or i32, not "u8"/,
      /cannot assign to the loop index 'i'/,
      /it is an array/,
      /Math.pow takes 2 arguments, got 1/,
    ]) {
      assert.match(errs, re);
    }
  });
});

describe('printKernel', () => {
  test('is stable and readable', () => {
    const k = kernel({
      name: 'demo',
      pattern: 'map',
      inlined: ['sq'],
      params: [arrayParam('a', 'f64', 'readwrite'), scalarParam('n')],
      consts: [{ kind: 'const-array', name: 'T', dtype: 'f64', values: [1, 'NaN', -0] }],
      body: [
        for_(
          'i',
          num(0),
          ref('n'),
          [
            store(
              'a',
              i,
              select(
                bin('<', load('a', i), num(0)),
                bin('**', { kind: 'un', op: '-', arg: load('T', num(0)) }, num(2)),
                mul(add(load('a', i), num(1)), num(-2)),
              ),
            ),
          ],
          { parallel: [] },
        ),
      ],
      result: { kind: 'void' },
    });
    assert.equal(
      printKernel(k),
      [
        'kernel demo(a: f64[] typed readwrite, n: i32) -> void',
        '  pattern map, order-free, inlined sq',
        '  const T: f64[3] = [1, NaN, -0]',
        '  for i in 0 ..< n step 1 parallel() {',
        '    a[i] = a[i] < 0 ? (-T[0]) ** 2 : (a[i] + 1) * -2',
        '  }',
        '',
      ].join('\n'),
    );
  });
});

describe('compareOutputs', () => {
  const xs = Float64Array.from({ length: 1000 }, (_, k) => Math.sin(k) * 10 ** (k % 7));
  const expected = runKernel(sumKernel(), [xs]);
  const lanes = (arr: ArrayLike<number>, round: (x: number) => number = (x) => x): number => {
    const acc = [0, 0, 0, 0];
    for (let k = 0; k < arr.length; k++) acc[k % 4] = round(acc[k % 4]! + arr[k]!);
    return round(round(acc[0]! + acc[1]!) + round(acc[2]! + acc[3]!));
  };
  const out = (r: number): KernelOutput => ({ result: r, written: {} });
  const opts = { n: 1000, reassociated: true, precision: 'f64' as const, inputs: [xs] };

  test('a reassociated (4-lane) sum passes, and differs from the sequential one', () => {
    const r = lanes(xs);
    assert.notEqual(r, expected.result);
    const c = compareOutputs(expected, out(r), sumKernel(), opts);
    assert.ok(c.ok, c.detail);
  });

  test('a perturbed result fails and says by how much', () => {
    const c = compareOutputs(expected, out((expected.result as number) * (1 + 1e-9)), sumKernel(), opts);
    assert.equal(c.ok, false);
    assert.match(c.detail, /result: expected .* differs by .* > tolerance/);
  });

  test('without reassociation in f64 the match must be exact', () => {
    const c = compareOutputs(expected, out(lanes(xs)), sumKernel(), { ...opts, reassociated: false });
    assert.equal(c.ok, false);
    assert.match(c.detail, /exact match required/);
  });

  test('an f32 sum passes at f32 precision only', () => {
    const r = lanes(xs, Math.fround);
    assert.ok(compareOutputs(expected, out(r), sumKernel(), { ...opts, precision: 'f32' }).ok);
    assert.equal(compareOutputs(expected, out(r), sumKernel(), opts).ok, false);
  });

  test('NaN must meet NaN, infinities and integers must match exactly', () => {
    assert.equal(compareOutputs(out(NaN), out(1), sumKernel(), opts).ok, false);
    assert.ok(compareOutputs(out(NaN), out(NaN), sumKernel(), opts).ok);
    assert.equal(compareOutputs(out(Infinity), out(1e308), sumKernel(), opts).ok, false);
    const k = copyKernel('i32');
    const a = [1, 2, 3];
    const e = runKernel(k, [a, new Int32Array(3), 3]);
    const wrong = Int32Array.from([1, 3, 5]);
    assert.deepEqual([...(e.result as Int32Array)], [1, 3, 4]);
    const c = compareOutputs(e, { result: wrong, written: { out: wrong } }, k, {
      n: 3,
      reassociated: true,
      precision: 'f32',
      inputs: [a, new Int32Array(3), 3],
    });
    assert.equal(c.ok, false);
    assert.match(c.detail, /out\[2\]: expected 4, got 5 \(exact match required\)/);
  });

  test('NaN is accepted only where an operand is within its error of the domain edge', () => {
    const k: Kernel = kernel({
      ...sumKernel(),
      name: 'rootSum',
      result: { kind: 'scalar', expr: call('sqrt', ref('s')) },
    });
    const r = new Rng(5);
    let found: Float64Array | undefined;
    for (let t = 0; t < 10000 && !found; t++) {
      const [a, b, c] = [r.float(0, 1), r.float(0, 1), r.float(0, 1)];
      const xs4 = Float64Array.from([a, b, c, -(a + b + c)]);
      if (xs4[3]! + c + b + a < 0) found = xs4; // forward: exactly 0; backward: below 0
    }
    assert.ok(found, 'data whose sum changes sign with the order');
    const e = runKernel(k, [found]);
    assert.equal(e.result, 0);
    const c = compareOutputs(e, out(NaN), k, { n: 4, reassociated: true, precision: 'f64', inputs: [found] });
    assert.ok(c.ok, c.detail);
    assert.match(c.detail, /1 non-finite values accepted at a domain edge/);
    const far = Float64Array.from([1, 2, 3]);
    assert.equal(
      compareOutputs(runKernel(k, [far]), out(NaN), k, {
        n: 3,
        reassociated: true,
        precision: 'f64',
        inputs: [far],
      }).ok,
      false,
    );
  });

  test('libm differences of an ulp pass; a gemm in f32 passes at f32', () => {
    const k = kernel({
      name: 'sines',
      pattern: 'map',
      params: [arrayParam('a', 'f64', 'read'), arrayParam('o', 'f64', 'write')],
      body: [for_('i', num(0), len('a'), [store('o', i, add(call('sin', load('a', i)), num(1)))])],
      result: { kind: 'void' },
    });
    const a = Float64Array.from({ length: 50 }, (_, q) => q * 0.37);
    const inputs = [a, new Float64Array(50)];
    const e = runKernel(k, cloneArgs(inputs));
    const o = Float64Array.from(a, (x) => Math.sin(x) * (1 + 2 ** -52) + 1);
    const c = compareOutputs(e, { result: undefined, written: { o } }, k, {
      n: 50,
      reassociated: false,
      precision: 'f64',
      inputs,
    });
    assert.ok(c.ok, c.detail);
  });
});

describe('kernelToJs', () => {
  test('const tables go before the function, or become extra parameters', () => {
    const k = kernel({
      name: 'taps',
      pattern: 'conv',
      params: [arrayParam('x', 'f64', 'read'), arrayParam('o', 'f64', 'write')],
      consts: [
        { kind: 'const-array', name: 'W', dtype: 'f64', values: [0.25, 0.5, 0.25] },
        { kind: 'const-array', name: 'B', dtype: 'i32', values: [2.7] },
      ],
      body: [
        for_('i', num(0), sub(len('x'), num(2)), [
          store(
            'o',
            i,
            add(
              add(
                add(mul(load('W', num(0)), load('x', i)), mul(load('W', num(1)), load('x', add(i, num(1))))),
                mul(load('W', num(2)), load('x', add(i, num(2)))),
              ),
              load('B', num(0)),
            ),
          ),
        ]),
      ],
      result: { kind: 'array', name: 'o' },
    });
    const src = kernelToJs(k);
    assert.match(
      src,
      /^const W = \[0\.25, 0\.5, 0\.25\];\nconst B = new Int32Array\(\[2\.7\]\);\nfunction taps\(x, o\) \{/,
    );
    const x = Float64Array.from([1, 2, 3, 4, 5]);
    const viaModule = loadJs(src, 'taps')(x, new Float64Array(3));
    const viaParams = loadJs(kernelToJs(k, { consts: 'params', name: 'taps2' }), 'taps2')(
      x,
      new Float64Array(3),
      [0.25, 0.5, 0.25],
      Int32Array.from([2]),
    );
    const mine = runKernel(k, [x, new Float64Array(3)]).result;
    assert.deepEqual(viaModule, mine);
    assert.deepEqual(viaParams, mine);
    assert.deepEqual([...(mine as Float64Array)], [4, 5, 6]);
  });

  test('kernels survive JSON (non-finite constants as strings) and still run the same', () => {
    const k = kernel({
      name: 'lo',
      pattern: 'reduce',
      params: [arrayParam('a', 'f64', 'read')],
      body: [
        let_('m', num('Infinity')),
        for_('i', num(0), len('a'), [assign('m', call('min', ref('m'), load('a', i)))], {
          parallel: [{ name: 'm', op: 'min' }],
        }),
      ],
      result: { kind: 'scalar', expr: select(bin('===', ref('m'), num('Infinity')), num('NaN'), ref('m')) },
    });
    const back = JSON.parse(JSON.stringify(k)) as Kernel;
    assert.deepEqual(back, k);
    assert.ok(Object.is(runKernel(back, [new Float64Array(0)]).result, NaN));
    assert.equal(runKernel(back, [Float64Array.from([3, -1])]).result, -1);
    assert.equal(loadJs(kernelToJs(back), 'lo')(Float64Array.from([3, -1])), -1);
  });
});
