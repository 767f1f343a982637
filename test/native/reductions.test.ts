// Property tests, reductions: every routine × dtype × backend (native at each SIMD level, wasm,
// TS) against the TypeScript oracle, over sizes 0, 1, odd, SIMD-width edges and unaligned views.
import { describe, test } from 'node:test';
import { reference as ref } from '../../native/reference.js';
import { close, randomArray, targets, type Dt } from './helpers.js';

// 8 accumulators × lanes: 8, 16, 32 or 64 elements a step (scalar … avx512), plus the tails.
const SIZES = [
  0,
  1,
  2,
  3,
  5,
  7,
  8,
  15,
  16,
  17,
  31,
  32,
  33,
  63,
  64,
  65,
  127,
  128,
  129,
  255,
  257,
  1000,
  4099,
  65536 + 17,
];
const U = 2 ** -53; // reductions accumulate in f64 for every dtype

function stats(x: ArrayLike<number>) {
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    abs += Math.abs(x[i]!);
    sq += x[i]! * x[i]!;
  }
  return { abs, sq, n: x.length };
}

for (const t of targets()) {
  describe(`reductions on ${t.name}`, () => {
    const k = t.k;
    for (const dt of ['f64', 'f32', 'i32'] as Dt[]) {
      test(`sum, mean, variance, std, min, max, argmin, argmax, nrm2, dot (${dt})`, () => {
        t.select();
        for (const [s, n] of SIZES.entries()) {
          const x = randomArray(dt, n, 1000 + s, -1, 1);
          const y = randomArray(dt, n, 2000 + s, -1, 1);
          const { abs, sq } = stats(x);
          const at = `${t.name} ${dt} n=${n}`;
          const tSum = 2 * (n + 1) * U * abs;
          close(k.sum(x), ref.sum(x), tSum, `sum ${at}`);
          close(k.mean(x), ref.mean(x), tSum / Math.max(n, 1), `mean ${at}`);
          for (const ddof of [0, 1]) {
            const tVar = (8 * (n + 2) * U * sq) / Math.max(n - ddof, 1);
            const v = ref.variance(x, { ddof });
            close(k.variance(x, { ddof }), v, tVar, `variance ddof=${ddof} ${at}`);
            const sd = Math.sqrt(v);
            close(
              k.std(x, { ddof }),
              sd,
              sd > 1e-150 ? tVar / (2 * sd) + 4 * U * sd : Math.sqrt(tVar),
              `std ${at}`,
            );
          }
          close(k.min(x), ref.min(x), 0, `min ${at}`);
          close(k.max(x), ref.max(x), 0, `max ${at}`);
          close(k.argmin(x), ref.argmin(x), 0, `argmin ${at}`);
          close(k.argmax(x), ref.argmax(x), 0, `argmax ${at}`);
          const nrm = ref.nrm2(x);
          close(k.nrm2(x), nrm, 4 * (n + 1) * U * nrm, `nrm2 ${at}`);
          let absxy = 0;
          for (let i = 0; i < n; i++) absxy += Math.abs(x[i]! * y[i]!);
          close(k.dot(x, y), ref.dot(x, y), 2 * (n + 1) * U * absxy, `dot ${at}`);
          // dot(x, x) takes the one-stream Σx² path of the addon.
          close(k.dot(x, x), ref.dot(x, x), 2 * (n + 1) * U * sq, `dot(x, x) ${at}`);
        }
      });
    }

    test('number[] input gives the Float64Array result exactly', () => {
      t.select();
      for (const n of [0, 1, 17, 1000]) {
        const x = randomArray('f64', n, 7 + n);
        const list = Array.from(x);
        for (const r of ['sum', 'mean', 'variance', 'std', 'min', 'max', 'argmin', 'argmax', 'nrm2'] as const)
          close(k[r](list), k[r](x), 0, `${r} number[] n=${n}`);
        close(k.dot(list, list), k.dot(x, x), 0, `dot number[] n=${n}`);
      }
    });

    test('NaN and ±Infinity follow the documented semantics', () => {
      t.select();
      const cases: number[][] = [
        [1, Infinity, 2],
        [Infinity, -Infinity],
        [NaN],
        [-Infinity, 3, 4],
        Array.from({ length: 37 }, (_, i) => (i === 29 ? NaN : i)),
        Array.from({ length: 70 }, (_, i) => (i === 66 ? -Infinity : i === 5 ? Infinity : i % 7)),
        Array.from({ length: 100 }, () => 1e300),
        Array.from({ length: 100 }, () => 1e-300),
        Array.from({ length: 40 }, (_, i) => (i === 3 ? 5e-324 : 0)),
      ];
      for (const c of cases) {
        const x = Float64Array.from(c);
        const at = `[${c.length > 6 ? `${c.length} values` : c.join(', ')}]`;
        for (const r of ['sum', 'mean', 'variance', 'min', 'max', 'argmin', 'argmax'] as const) {
          // (x − mean)² overflows near 1e300 whatever the summation order: documented, not compared.
          if (r === 'variance' && c[0] === 1e300) continue;
          const want = ref[r](x);
          close(k[r](x), want, Number.isFinite(want) ? 1e-12 * Math.abs(want) : 0, `${r} ${at}`);
        }
        const nrm = ref.nrm2(x);
        close(k.nrm2(x), nrm, 1e-13 * nrm, `nrm2 ${at}`);
      }
    });
  });
}
