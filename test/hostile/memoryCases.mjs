// Huge sizes under an address-space limit (run by hostile.test.ts through prlimit --as): every case
// must end in a RangeError/TypeError naming the library — never SIGABRT (std::bad_alloc) or V8's
// "FATAL ERROR … Allocation failed". Plain JS loading only the addon: tsx and the wasm backend
// reserve WebAssembly memory, which an address-space limit refuses.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const k = require(
  process.env.HOTLOOP_NATIVE_PATH ||
    new URL('../../native/build/Release/hotloop_kernels.node', import.meta.url).pathname,
);
const sparse = (n) => {
  const a = [1];
  a.length = n;
  return a;
};
const clear = (e) =>
  (e instanceof RangeError || e instanceof TypeError) && /^hotloop kernels\./.test(e.message);

const cases = [
  ['sum of a 2**31-long number[]', 'sum', () => [sparse(2 ** 31)]],
  ['sum of a 2**32-1-long number[]', 'sum', () => [sparse(2 ** 32 - 1)]],
  ['dot of two 2**31-long number[]', 'dot', () => [sparse(2 ** 31), sparse(2 ** 31)]],
  [
    'gemm 46341 × 46341 × 1 (17 GB result)',
    'gemm',
    () => [46341, 46341, 1, new Float64Array(46341), new Float64Array(46341)],
  ],
  ['gemm 2**20 × 2**20 × 0', 'gemm', () => [2 ** 20, 2 ** 20, 0, new Float64Array(0), new Float64Array(0)]],
  ['gemv 2**20 × 2**20', 'gemv', () => [2 ** 20, 2 ** 20, new Float64Array(4), new Float64Array(4)]],
  [
    'stencil2d 2**20 × 2**20',
    'stencil2d',
    () => [new Float64Array(4), 2 ** 20, 2 ** 20, new Float64Array(9)],
  ],
  [
    'histogram 2**24 bins × 256 threads',
    'histogram',
    () => [new Float64Array(1 << 20), 2 ** 24, 0, 1, { threads: 256 }],
  ],
];

async function main() {
  for (const [label, fn, args] of cases) {
    for (const suffix of ['', 'Async']) {
      const name = `${label} (${fn}${suffix})`;
      process.stderr.write(`case ${name}\n`);
      let ok;
      let detail;
      try {
        let r = k[`${fn}${suffix}`](...args());
        if (r instanceof Promise) r = await r;
        // A run that fits in the limit (histogram threads share the work) is fine too.
        ok = fn === 'histogram' || (fn === 'gemm' && label.includes('× 0'));
        detail = 'returned';
      } catch (e) {
        ok = clear(e);
        detail = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
      }
      process.stdout.write(`${JSON.stringify({ name, ok, detail: detail.slice(0, 200) })}\n`);
    }
  }
}
void main();
