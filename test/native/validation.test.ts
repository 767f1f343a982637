// Bad input: every case throws the right error type with a message naming the problem, on every
// backend, and none crashes Node (the process would die and the suite fail).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadKernels } from '../../native/index.js';
import type { Kernels } from '../../native/types.js';
import { nativeKernels } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bad input on purpose: the public types would forbid it */
type Loose = Record<string, (...a: any[]) => unknown>;

const f64 = (n: number) => new Float64Array(n);
const f32 = (n: number) => new Float32Array(n);
function detached(): Float64Array {
  const a = new Float64Array(8);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

type Case = [
  label: string,
  call: (k: Loose) => unknown,
  type: typeof TypeError | typeof RangeError,
  message: RegExp,
];

const CASES: Case[] = [
  ['sum of a string', (k) => k.sum!('abc'), TypeError, /x is a string/],
  ['sum of undefined', (k) => k.sum!(), TypeError, /x is undefined/],
  ['sum of null', (k) => k.sum!(null), TypeError, /x is null/],
  ['sum of a number', (k) => k.sum!(42), TypeError, /x is a number/],
  ['sum of a plain object', (k) => k.sum!({ length: 3 }), TypeError, /x is an object/],
  ['sum of a Uint8Array', (k) => k.sum!(new Uint8Array(4)), TypeError, /Uint8Array/],
  ['sum of a BigInt64Array', (k) => k.sum!(new BigInt64Array(2)), TypeError, /BigInt64Array/],
  ['sum of an ArrayBuffer', (k) => k.sum!(new ArrayBuffer(8)), TypeError, /ArrayBuffer/],
  ['sum of a DataView', (k) => k.sum!(new DataView(new ArrayBuffer(8))), TypeError, /DataView|object/],
  ['sum of a number[] with a string', (k) => k.sum!([1, 2, 'x']), TypeError, /x\[2\] is a string/],
  // eslint-disable-next-line no-sparse-arrays -- a hole is the bad input under test
  ['sum of a number[] with a hole', (k) => k.sum!([1, , 3]), TypeError, /x\[1\] is undefined/],
  ['sum of a detached buffer', (k) => k.sum!(detached()), TypeError, /detached/],
  ['mean of a detached buffer', (k) => k.mean!(detached()), TypeError, /detached/],
  ['sum with options a number', (k) => k.sum!(f64(2), 3), TypeError, /options is a number/],
  ['sum with options an array', (k) => k.sum!(f64(2), []), TypeError, /options is an array/],
  [
    'threads 0',
    (k) => k.sum!(f64(2), { threads: 0 }),
    RangeError,
    /threads must be an integer from 1 to 256, got 0/,
  ],
  ['threads NaN', (k) => k.sum!(f64(2), { threads: NaN }), RangeError, /threads.*NaN/],
  ['threads 1.5', (k) => k.sum!(f64(2), { threads: 1.5 }), RangeError, /threads.*1\.5/],
  ['threads a string', (k) => k.sum!(f64(2), { threads: '2' }), TypeError, /threads is a string/],
  ['ddof negative', (k) => k.variance!(f64(4), { ddof: -1 }), RangeError, /ddof/],
  ['ddof fractional', (k) => k.std!(f64(4), { ddof: 0.5 }), RangeError, /ddof/],
  ['dot length mismatch', (k) => k.dot!(f64(3), f64(4)), RangeError, /length 3 but y has length 4/],
  ['dot dtype mismatch', (k) => k.dot!(f64(3), f32(3)), TypeError, /same element type/],
  ['dot missing y', (k) => k.dot!(f64(3)), TypeError, /y is undefined/],
  ['add length mismatch', (k) => k.add!(f64(3), f64(2)), RangeError, /they must match/],
  ['add Int32Array', (k) => k.add!(new Int32Array(2), new Int32Array(2)), TypeError, /Int32Array/],
  ['exp of Int32Array', (k) => k.exp!(new Int32Array(2)), TypeError, /does not support Int32Array/],
  ['axpy a is a string', (k) => k.axpy!('2', f64(2), f64(2)), TypeError, /a is a string/],
  ['axpy y is a number[]', (k) => k.axpy!(2, [1, 2], [1, 2]), TypeError, /y is an array.*written in place/],
  ['axpy with options.out', (k) => k.axpy!(2, f64(2), f64(2), { out: f64(2) }), TypeError, /in place/],
  ['scale a missing', (k) => k.scale!(undefined, f64(2)), TypeError, /a is undefined/],
  [
    'out of the wrong dtype',
    (k) => k.add!(f64(2), f64(2), { out: f32(2) }),
    TypeError,
    /options\.out is a Float32Array/,
  ],
  [
    'out of the wrong length',
    (k) => k.sqrt!(f64(4), { out: f64(3) }),
    RangeError,
    /options\.out has length 3/,
  ],
  ['out a number[]', (k) => k.sqrt!(f64(4), { out: [0, 0, 0, 0] }), TypeError, /options\.out is an array/],
  ['pow exponent a string', (k) => k.pow!(f64(2), 'x'), TypeError, /p is a string/],
  ['pow exponent length mismatch', (k) => k.pow!(f64(2), f64(3)), RangeError, /must match/],
  [
    'histogram bins NaN',
    (k) => k.histogram!(f64(4), NaN, 0, 1),
    RangeError,
    /bins must be a non-negative integer, got NaN/,
  ],
  ['histogram bins 0', (k) => k.histogram!(f64(4), 0, 0, 1), RangeError, /bins must be from 1/],
  ['histogram lo ≥ hi', (k) => k.histogram!(f64(4), 4, 1, 1), RangeError, /lo must be less than hi/],
  ['histogram hi Infinity', (k) => k.histogram!(f64(4), 4, 0, Infinity), RangeError, /hi must be finite/],
  [
    'gemm m NaN',
    (k) => k.gemm!(NaN, 2, 2, f64(4), f64(4)),
    RangeError,
    /m must be a non-negative integer, got NaN/,
  ],
  [
    'gemm n negative',
    (k) => k.gemm!(2, -1, 2, f64(4), f64(4)),
    RangeError,
    /n must be a non-negative integer, got -1/,
  ],
  [
    'gemm k fractional',
    (k) => k.gemm!(2, 2, 1.5, f64(4), f64(4)),
    RangeError,
    /k must be a non-negative integer/,
  ],
  [
    'gemm k Infinity',
    (k) => k.gemm!(2, 2, Infinity, f64(4), f64(4)),
    RangeError,
    /k must be a non-negative integer, got Infinity/,
  ],
  ['gemm m a string', (k) => k.gemm!('2', 2, 2, f64(4), f64(4)), TypeError, /m is a string/],
  ['gemm A too short', (k) => k.gemm!(2, 2, 2, f64(3), f64(4)), RangeError, /A has length 3 but m × k/],
  ['gemm B too long', (k) => k.gemm!(2, 2, 2, f64(4), f64(5)), RangeError, /B has length 5 but k × n/],
  ['gemm mixed dtypes', (k) => k.gemm!(2, 2, 2, f64(4), f32(4)), TypeError, /same element type/],
  [
    'gemm huge sizes',
    (k) => k.gemm!(2 ** 40, 2 ** 40, 1, f64(1), f64(1)),
    RangeError,
    /too large|needs|non-negative/,
  ],
  ['gemv x wrong length', (k) => k.gemv!(2, 3, f64(6), f64(2)), RangeError, /x has length 2 but n = 3/],
  ['conv1d empty weights', (k) => k.conv1d!(f64(4), f64(0)), RangeError, /w is empty/],
  ['conv1d weights longer than x', (k) => k.conv1d!(f64(2), f64(3)), RangeError, /no longer than x/],
  ['stencil2d 4 weights', (k) => k.stencil2d!(f64(9), 3, 3, f64(4)), RangeError, /pass 9 \(3×3\) or 25/],
  [
    'stencil2d src/shape mismatch',
    (k) => k.stencil2d!(f64(8), 3, 3, f64(9)),
    RangeError,
    /src has length 8 but rows × cols/,
  ],
  ['stencil2d rows NaN', (k) => k.stencil2d!(f64(9), NaN, 3, f64(9)), RangeError, /rows.*NaN/],
  [
    'out overlapping the input (gemm)',
    (k) => {
      const buf = f64(8);
      return k.gemm!(2, 2, 2, buf.subarray(0, 4), f64(4), { out: buf.subarray(2, 6) });
    },
    RangeError,
    /overlaps A/,
  ],
  [
    'out partially overlapping (add)',
    (k) => {
      const buf = f64(8);
      return k.add!(buf.subarray(0, 4), f64(4), { out: buf.subarray(1, 5) });
    },
    RangeError,
    /partially overlaps/,
  ],
  [
    'stencil2d with out === src (in place would read written cells)',
    (k) => {
      const src = f64(9);
      return k.stencil2d!(src, 3, 3, f64(9), { out: src });
    },
    RangeError,
    /overlaps src/,
  ],
  [
    'conv1d out overlapping w',
    (k) => {
      const buf = f64(8);
      return k.conv1d!(f64(6), buf.subarray(0, 3), { out: buf.subarray(2, 6) });
    },
    RangeError,
    /overlaps w/,
  ],
];

const NATIVE_ONLY: Case[] = [
  [
    'setSimdLevel of an unknown level',
    (k) => k.setSimdLevel!('avx9000'),
    RangeError,
    /not available on this CPU; available: scalar/,
  ],
  ['setSimdLevel of a number', (k) => k.setSimdLevel!(3), TypeError, /level name/],
];

function check(k: Kernels, c: Case): void {
  const [label, call, type, message] = c;
  assert.throws(
    () => call(k as unknown as Loose),
    (e: unknown) => {
      assert.ok(e instanceof type, `${label}: expected ${type.name}, got ${String(e)}`);
      assert.match(e.message, message, label);
      assert.match(e.message, /^hotloop kernels\./, `${label}: the message names the library`);
      return true;
    },
    label,
  );
}

describe('bad input', () => {
  test(`at least 40 cases`, () => {
    assert.ok(CASES.length + NATIVE_ONLY.length >= 40);
  });
  for (const backend of ['native', 'wasm', 'ts'] as const) {
    test(`${CASES.length} cases throw TypeError/RangeError with a useful message (${backend})`, () => {
      const k = backend === 'native' ? nativeKernels() : loadKernels({ backend });
      for (const c of CASES) check(k, c);
    });
  }
  test(`${NATIVE_ONLY.length} native-only cases (SIMD level)`, () => {
    for (const c of NATIVE_ONLY) check(nativeKernels(), c);
  });
  test('the …Async entries reject (not throw) on the same cases', async () => {
    const k = nativeKernels() as unknown as Loose;
    for (const [label, call, type] of CASES.slice(0, 20)) {
      const asyncCall = (kk: Loose) => call(new Proxy(kk, { get: (o, p: string) => o[`${p}Async`] }));
      let p: unknown;
      assert.doesNotThrow(() => (p = asyncCall(k)), `${label}: …Async must reject, not throw`);
      assert.ok(p instanceof Promise, label);
      await assert.rejects(p, type, label);
    }
  });
});
