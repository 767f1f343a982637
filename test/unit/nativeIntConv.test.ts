// Typed-array stores in the native target: a double stored into an Int32Array, Uint32Array,
// Int16Array, Uint16Array, Int8Array or Uint8Array converts as JS does (ToInt32/ToUint32, modular,
// NaN and ±Infinity to 0). The fast path (a truncating cast to int64, taken modulo 2^32) and the
// std::fmod path meet at ±2^63: built as an addon and compared with JS's own stores on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayParam, for_, kernel, len, load, ref, store } from '../../src/core/ir/build.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { buildNativeGpuBatch } from './nativeGpuBatch.js';

const CTORS = {
  i32: Int32Array,
  u32: Uint32Array,
  i16: Int16Array,
  u16: Uint16Array,
  i8: Int8Array,
  u8: Uint8Array,
};
type IntType = keyof typeof CTORS;

const storeAs = (dtype: IntType): Kernel =>
  kernel({
    name: `store_${dtype}`,
    pattern: 'map',
    params: [arrayParam('a', 'f64', 'read', 'typed'), arrayParam('out', dtype, 'write', 'typed')],
    body: [for_('i', { kind: 'const', value: 0 }, len('a'), [store('out', ref('i'), load('a', ref('i')))])],
    result: { kind: 'void' },
  });

test('native integer stores equal JS typed-array stores around ±2^31, 2^32, 2^63, −1, fractions, NaN and ±Infinity', async () => {
  const edges = [0, 2 ** 31, 2 ** 32, 2 ** 53, 1e300];
  // Past 2^63 an int64 cast would overflow; below 2^84 such a double is still no multiple of 2^32.
  const big = [2 ** 63 + 2048 * 5, 2 ** 63 - 1024 * 3, 2 ** 70 + 2 ** 18 * 7, 2 ** 83 + 2 ** 31];
  const vals = new Set<number>([
    NaN,
    Infinity,
    -Infinity,
    -0,
    0.5,
    -0.5,
    -0.9999,
    -1,
    -1.5,
    255.7,
    -128.5,
    65535.9,
  ]);
  for (const e of edges)
    for (const d of [-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5]) {
      vals.add(e + d);
      vals.add(-e + d);
    }
  for (const b of big) {
    vals.add(b);
    vals.add(-b);
  }
  const a = Float64Array.from(vals);
  const types = Object.keys(CTORS) as IntType[];
  const nb = await buildNativeGpuBatch(types.map(storeAs), { native: true, gpu: false });
  try {
    for (const t of types) {
      const fast = nb.native.get(`store_${t}`);
      assert.ok(fast, nb.declined.join('\n'));
      const got = new CTORS[t](a.length);
      fast(a, got);
      const want = new CTORS[t](a.length);
      for (let i = 0; i < a.length; i++) want[i] = a[i]!;
      for (let i = 0; i < a.length; i++)
        assert.equal(got[i], want[i], `${t}: ${a[i]} stored as ${got[i]}, JS ${want[i]}`);
    }
  } finally {
    await nb.close();
  }
});
