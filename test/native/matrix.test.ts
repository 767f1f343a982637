// Property tests, gemv / gemm / conv1d / stencil2d: shapes around the register tile (6 × 2·lanes)
// and the cache blocks (KC = 256, MC = 96/192, NC = 2048), f64 and f32, views, every backend.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reference as ref } from '../../native/reference.js';
import type { FloatArray } from '../../native/types.js';
import { closeArrays, randomArray, targets, unit, view } from './helpers.js';

const GEMM_SHAPES: [number, number, number][] = [
  [0, 3, 2],
  [3, 0, 2],
  [2, 3, 0],
  [1, 1, 1],
  [6, 16, 4],
  [7, 17, 5],
  [5, 33, 3],
  [13, 31, 300],
  [200, 9, 7],
  [3, 2100, 3],
  [61, 67, 71],
];
const U64 = 2 ** -53;

function absProduct(
  m: number,
  n: number,
  k: number,
  A: ArrayLike<number>,
  B: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const a = Math.abs(A[i * k + p]!);
      for (let j = 0; j < n; j++) out[i * n + j]! += a * Math.abs(B[p * n + j]!);
    }
  return out;
}

for (const t of targets()) {
  describe(`matrix routines on ${t.name}`, () => {
    const k = t.k;
    for (const dt of ['f64', 'f32'] as const) {
      const u = unit(dt);
      test(`gemm and gemv (${dt})`, () => {
        t.select();
        for (const [s, [m, n, kk]] of GEMM_SHAPES.entries()) {
          const A = randomArray(dt, m * kk, 100 + s) as FloatArray;
          const B = randomArray(dt, kk * n, 200 + s) as FloatArray;
          const at = `${t.name} ${dt} ${m}×${n}×${kk}`;
          const bound = absProduct(m, n, kk, A, B);
          const want = ref.gemm(m, n, kk, A, B);
          closeArrays(
            k.gemm(m, n, kk, A, B),
            want,
            (i) => 2 * (kk + 1) * u * bound[i]! + 2 * u * Math.abs(want[i]!),
            `gemm ${at}`,
          );
          // alpha / beta with an out view
          const C0 = randomArray(dt, m * n, 300 + s) as FloatArray;
          const Ck = view(dt, m * n, 1, (i) => C0[i]!) as FloatArray;
          const Cr = C0.slice();
          k.gemm(m, n, kk, A, B, { alpha: -0.5, beta: 2, out: Ck });
          ref.gemm(m, n, kk, A, B, { alpha: -0.5, beta: 2, out: Cr });
          closeArrays(
            Ck,
            Cr,
            (i) => (kk + 1) * u * bound[i]! + 4 * u * (Math.abs(C0[i]!) + Math.abs(Cr[i]!)),
            `gemm alpha/beta ${at}`,
          );
          // gemv: y = A·x with A m×k
          const x = randomArray(dt, kk, 400 + s) as FloatArray;
          const yw = ref.gemv(m, kk, A, x);
          const rowAbs = new Float64Array(m);
          for (let i = 0; i < m; i++)
            for (let p = 0; p < kk; p++) rowAbs[i]! += Math.abs(A[i * kk + p]! * x[p]!);
          closeArrays(
            k.gemv(m, kk, A, x),
            yw,
            (i) => 2 * (kk + 1) * U64 * rowAbs[i]! + 2 * u * Math.abs(yw[i]!),
            `gemv ${at}`,
          );
        }
      });

      test(`conv1d and stencil2d (${dt})`, () => {
        t.select();
        for (const [n, w] of [
          [1, 1],
          [5, 5],
          [17, 3],
          [100, 7],
          [1000, 31],
          [70000, 5],
        ] as const) {
          const x = randomArray(dt, n, n) as FloatArray;
          const ww = randomArray(dt, w, n + w) as FloatArray;
          const want = ref.conv1d(x, ww);
          closeArrays(
            k.conv1d(x, ww),
            want,
            (i) => {
              let b = 0;
              for (let j = 0; j < w; j++) b += Math.abs(ww[j]! * x[i + j]!);
              return 2 * (w + 1) * u * b + 2 * u * Math.abs(want[i]!);
            },
            `conv1d ${t.name} ${dt} n=${n} k=${w}`,
          );
        }
        for (const [rows, cols] of [
          [0, 0],
          [1, 1],
          [2, 7],
          [3, 3],
          [5, 5],
          [9, 17],
          [40, 130],
          [300, 301],
        ] as const)
          for (const taps of [9, 25]) {
            const src = randomArray(dt, rows * cols, rows + cols) as FloatArray;
            const w = randomArray(dt, taps, taps) as FloatArray;
            const want = ref.stencil2d(src, rows, cols, w);
            closeArrays(
              k.stencil2d(src, rows, cols, w),
              want,
              (i) => 2 * (taps + 1) * u * taps + 2 * u * Math.abs(want[i]!),
              `stencil ${taps} ${t.name} ${dt} ${rows}×${cols}`,
            );
          }
      });
    }

    test('number[] matrices equal the Float64Array results', () => {
      t.select();
      const A = randomArray('f64', 35, 1) as Float64Array;
      const B = randomArray('f64', 35, 2) as Float64Array;
      assert.deepEqual(k.gemm(5, 5, 7, Array.from(A), Array.from(B)), k.gemm(5, 5, 7, A, B));
      assert.deepEqual(
        k.gemv(5, 7, Array.from(A), Array.from(B.subarray(0, 7))),
        k.gemv(5, 7, A, B.subarray(0, 7)),
      );
    });
  });
}
