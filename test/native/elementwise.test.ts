// Property tests, elementwise routines, prefix sum and histogram: every backend × f64/f32 against
// the oracle; outputs written into views must not touch the neighbouring elements.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reference as ref } from '../../native/reference.js';
import type { FloatArray } from '../../native/types.js';
import { closeArrays, randomArray, targets, unit, view } from './helpers.js';

const SIZES = [0, 1, 2, 3, 7, 15, 16, 17, 33, 64, 65, 129, 1001, 65536 + 9];
const FLOATS = ['f64', 'f32'] as const;

for (const t of targets()) {
  describe(`elementwise on ${t.name}`, () => {
    const k = t.k;
    for (const dt of FLOATS) {
      const u = unit(dt);
      const tiny = dt === 'f32' ? 1e-44 : 1e-320;
      test(`axpy, scale, add, sub, mul, div (${dt})`, () => {
        t.select();
        for (const [s, n] of SIZES.entries()) {
          const x = randomArray(dt, n, 10 + s, -2, 2) as FloatArray;
          const y = randomArray(dt, n, 20 + s, 0.25, 2) as FloatArray;
          const at = `${t.name} ${dt} n=${n}`;
          const a = 1.75;
          const yk = y.slice();
          const yr = y.slice();
          assert.equal(k.axpy(a, x, yk), yk, 'axpy returns y');
          ref.axpy(a, x, yr);
          closeArrays(yk, yr, (i) => 4 * u * (Math.abs(a * x[i]!) + Math.abs(y[i]!)) + tiny, `axpy ${at}`);
          closeArrays(
            k.scale(a, x),
            ref.scale(a, x),
            (i) => 2 * u * Math.abs(a * x[i]!) + tiny,
            `scale ${at}`,
          );
          closeArrays(
            k.add(x, y),
            ref.add(x, y),
            (i) => 2 * u * (Math.abs(x[i]!) + Math.abs(y[i]!)) + tiny,
            `add ${at}`,
          );
          closeArrays(
            k.sub(x, y),
            ref.sub(x, y),
            (i) => 2 * u * (Math.abs(x[i]!) + Math.abs(y[i]!)) + tiny,
            `sub ${at}`,
          );
          closeArrays(k.mul(x, y), ref.mul(x, y), (i) => 2 * u * Math.abs(x[i]! * y[i]!) + tiny, `mul ${at}`);
          closeArrays(k.div(x, y), ref.div(x, y), (i) => 2 * u * Math.abs(x[i]! / y[i]!) + tiny, `div ${at}`);
        }
      });

      test(`exp, log, sqrt, sin, cos, pow (${dt})`, () => {
        t.select();
        for (const [s, n] of SIZES.slice(0, -1).entries()) {
          const x = randomArray(dt, n, 30 + s, -3, 3) as FloatArray;
          const p = randomArray(dt, n, 40 + s, -2, 2) as FloatArray;
          const at = `${t.name} ${dt} n=${n}`;
          for (const f of ['exp', 'log', 'sqrt', 'sin', 'cos'] as const) {
            const want = ref[f](x);
            closeArrays(k[f](x), want, (i) => 4 * u * Math.abs(want[i]!) + tiny, `${f} ${at}`);
          }
          for (const e of [2, 0.5, -1.5, 3] as const) {
            const want = ref.pow(x, e);
            closeArrays(k.pow(x, e), want, (i) => 4 * u * Math.abs(want[i]!) + tiny, `pow(x, ${e}) ${at}`);
          }
          const want = ref.pow(x, p);
          closeArrays(k.pow(x, p), want, (i) => 4 * u * Math.abs(want[i]!) + tiny, `pow(x, p) ${at}`);
        }
      });

      test(`cumsum and histogram (${dt})`, () => {
        t.select();
        for (const [s, n] of SIZES.entries()) {
          const x = randomArray(dt, n, 50 + s, -1, 1) as FloatArray;
          const at = `${t.name} ${dt} n=${n}`;
          const want = ref.cumsum(x);
          const prefAbs = new Float64Array(n);
          for (let i = 0, acc = 0; i < n; i++) prefAbs[i] = acc += Math.abs(x[i]!);
          closeArrays(
            k.cumsum(x),
            want,
            (i) => 2 * (i + 2) * 2 ** -53 * prefAbs[i]! + 2 * u * Math.abs(want[i]!) + tiny,
            `cumsum ${at}`,
          );
          for (const [bins, lo, hi] of [
            [1, -1, 1],
            [10, -0.5, 0.5],
            [7, -1, 0.999],
          ] as const)
            assert.deepEqual(
              k.histogram(x, bins, lo, hi),
              ref.histogram(x, bins, lo, hi),
              `histogram ${bins} ${at}`,
            );
        }
        const edge =
          dt === 'f64'
            ? Float64Array.from([0, 1, NaN, -Infinity, Infinity, 0.5, 2])
            : Float32Array.from([0, 1, NaN, 0.5]);
        assert.deepEqual(
          k.histogram(edge, 2, 0, 1),
          ref.histogram(edge, 2, 0, 1),
          'hi lands in the last bin; NaN/Inf skipped',
        );
        assert.deepEqual(Array.from(k.histogram(new Int32Array([1, 2, 2, 9]), 3, 0, 3)), [0, 1, 2]);
      });

      test(`options.out into an offset view writes only inside it; in place works (${dt})`, () => {
        t.select();
        for (const n of [1, 17, 1000]) {
          const x = randomArray(dt, n, 60 + n) as FloatArray;
          const y = randomArray(dt, n, 70 + n) as FloatArray;
          const out = view(dt, n, 3, () => 0) as FloatArray;
          const whole = dt === 'f64' ? new Float64Array(out.buffer) : new Float32Array(out.buffer);
          whole.fill(-7);
          const r = k.add(x, y, { out });
          assert.equal(r, out, 'returns options.out');
          assert.deepEqual(
            [whole[0], whole[1], whole[2], whole[n + 3], whole[n + 4]],
            [-7, -7, -7, -7, -7],
            'neighbours untouched',
          );
          closeArrays(
            out,
            ref.add(x, y),
            (i) => 2 * unit(dt) * (Math.abs(x[i]!) + Math.abs(y[i]!)),
            'add into view',
          );
          const xi = x.slice();
          k.mul(xi, y, { out: xi });
          closeArrays(xi, ref.mul(x, y), (i) => 2 * unit(dt) * Math.abs(x[i]! * y[i]!), 'mul in place');
          const list = Array.from(x);
          if (dt === 'f64')
            closeArrays(k.exp(list), k.exp(x), () => 0, 'exp of number[] = exp of Float64Array');
        }
      });
    }
  });
}
