// Threads, async entries and large n: results are identical for every thread count, …Async
// leaves the JS thread free (a timer fires during the call), and n = 1e7 matches the oracle.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reference as ref } from '../../native/reference.js';
import { loadKernels } from '../../native/index.js';
import { close, nativeKernels, randomArray } from './helpers.js';

const U = 2 ** -53;

describe('native thread pool', () => {
  test('every thread count gives bit-identical results', () => {
    const k = nativeKernels();
    k.setSimdLevel('best');
    const n = 3 * 65536 + 123;
    const x = randomArray('f64', n, 1);
    const y = randomArray('f64', n, 2) as Float64Array;
    const A = randomArray('f64', 150 * 170, 3) as Float64Array;
    const B = randomArray('f64', 170 * 90, 4) as Float64Array;
    const runs = [1, 2, 3, 4].map((threads) => ({
      sum: k.sum(x, { threads }),
      variance: k.variance(x, { threads }),
      nrm2: k.nrm2(x, { threads }),
      dot: k.dot(x, y, { threads }),
      argmax: k.argmax(x, { threads }),
      cumsum: Array.from(k.cumsum(y, { threads }).subarray(n - 5)),
      hist: Array.from(k.histogram(x, 16, -1, 1, { threads })),
      gemm: Array.from(k.gemm(150, 90, 170, A, B, { threads })),
      exp: Array.from(k.exp(y, { threads }).subarray(0, 5)),
    }));
    for (const r of runs.slice(1)) assert.deepEqual(r, runs[0]);
  });

  test('n = 1e7: sum, dot, nrm2, variance match the oracle (native, wasm)', () => {
    const n = 1e7;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.sin(i) * 1e3;
      y[i] = Math.cos(i * 0.5);
    }
    let abs = 0;
    let sq = 0;
    let absxy = 0;
    for (let i = 0; i < n; i++) {
      abs += Math.abs(x[i]!);
      sq += x[i]! * x[i]!;
      absxy += Math.abs(x[i]! * y[i]!);
    }
    const want = { sum: ref.sum(x), dot: ref.dot(x, y), nrm2: ref.nrm2(x), variance: ref.variance(x) };
    const native = nativeKernels();
    native.setSimdLevel('best');
    for (const k of [native, loadKernels({ backend: 'wasm' })]) {
      close(k.sum(x), want.sum, 2 * n * U * abs, `${k.backend} sum 1e7`);
      close(k.dot(x, y), want.dot, 2 * n * U * absxy, `${k.backend} dot 1e7`);
      close(k.nrm2(x), want.nrm2, 4 * n * U * want.nrm2, `${k.backend} nrm2 1e7`);
      close(k.variance(x), want.variance, (8 * n * U * sq) / n, `${k.backend} variance 1e7`);
    }
    const xf = Float32Array.from(x.subarray(0, 4e6));
    close(native.sum(xf), ref.sum(xf), 2 * 4e6 * U * abs, 'native f32 sum 4e6');
  });
});

describe('…Async entries', () => {
  test('a timer fires while a long gemmAsync runs; the result equals the sync one', async () => {
    const k = nativeKernels();
    const n = 900;
    const A = randomArray('f64', n * n, 5) as Float64Array;
    const B = randomArray('f64', n * n, 6) as Float64Array;
    let ticks = 0;
    let resolved = false;
    let ticksBeforeResolve = 0;
    const timer = setInterval(() => {
      if (!resolved) ticksBeforeResolve = ++ticks;
    }, 1);
    const p = k.gemmAsync(n, n, n, A, B, { threads: 1 });
    assert.equal(ticks, 0, 'the call returns a Promise before any timer could run');
    const C = await p;
    resolved = true;
    clearInterval(timer);
    // A synchronous kernel would hold the event loop until it returned: no tick could happen.
    assert.ok(ticksBeforeResolve >= 1, 'the 1 ms timer must fire while the kernel runs off the JS thread');
    assert.deepEqual(C, k.gemm(n, n, n, A, B, { threads: 1 }));
  });

  test('every routine has an …Async twin giving the sync result; bad input rejects', async () => {
    const k = nativeKernels();
    const x = randomArray('f64', 1001, 9) as Float64Array;
    assert.equal(await k.sumAsync(x), k.sum(x));
    assert.equal(await k.varianceAsync(x, { ddof: 1 }), k.variance(x, { ddof: 1 }));
    assert.deepEqual(await k.expAsync(x), k.exp(x));
    assert.deepEqual(await k.histogramAsync(x, 5, -1, 1), k.histogram(x, 5, -1, 1));
    assert.deepEqual(await k.conv1dAsync(x, [1, 2, 3]), k.conv1d(x, [1, 2, 3]));
    assert.deepEqual(
      await k.stencil2dAsync(x.subarray(0, 1000), 10, 100, new Float64Array(9).fill(1)),
      k.stencil2d(x.subarray(0, 1000), 10, 100, new Float64Array(9).fill(1)),
    );
    const y = x.slice();
    assert.equal(await k.axpyAsync(2, x, y), y);
    await assert.rejects(k.sumAsync('nope' as unknown as number[]), TypeError);
    await assert.rejects(k.gemmAsync(2, 2, 2, new Float64Array(3), new Float64Array(4)), RangeError);
    for (const be of ['wasm', 'ts'] as const) {
      const o = loadKernels({ backend: be });
      assert.equal(await o.sumAsync(x), o.sum(x), `${be} sumAsync`);
      await assert.rejects(o.sumAsync('nope' as unknown as number[]), TypeError);
    }
  });
});
