// JS `%` in the native target: hotloop::jsMod takes the integer remainder for two integers below 2^53
// (std::fmod's library call cost dsp.js's `offset % waveTableLength` loop 6× against V8) and
// std::fmod otherwise. Built as an addon and compared bit for bit (-0 included) with JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayParam, for_, kernel, len, load, ref, store } from '../../src/core/ir/build.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { buildNativeGpuBatch } from './nativeGpuBatch.js';

const mod: Kernel = kernel({
  name: 'modEach',
  pattern: 'map',
  params: [
    arrayParam('a', 'f64', 'read', 'typed'),
    arrayParam('b', 'f64', 'read', 'typed'),
    arrayParam('out', 'f64', 'write', 'typed'),
  ],
  body: [
    for_('i', { kind: 'const', value: 0 }, len('a'), [
      store('out', ref('i'), { kind: 'bin', op: '%', left: load('a', ref('i')), right: load('b', ref('i')) }),
    ]),
  ],
  result: { kind: 'void' },
});

test('native % equals JS % bit for bit: integers, negatives, -0, fractions, 0, NaN, ±Infinity, 2^53', async () => {
  const vals = [
    0,
    -0,
    1,
    -1,
    7,
    -7,
    8,
    -8,
    2.5,
    -2.5,
    1e300,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    NaN,
    Infinity,
    -Infinity,
    3,
    -3,
    0.1,
  ];
  const a: number[] = [];
  const b: number[] = [];
  for (const x of vals) {
    for (const y of vals) {
      a.push(x);
      b.push(y);
    }
  }
  const nb = await buildNativeGpuBatch([mod], { native: true, gpu: false });
  try {
    const fast = nb.native.get('modEach');
    assert.ok(fast, nb.declined.join('\n'));
    const out = new Float64Array(a.length);
    fast(Float64Array.from(a), Float64Array.from(b), out);
    for (let i = 0; i < a.length; i++) {
      const want = a[i]! % b[i]!;
      assert.ok(Object.is(out[i], want), `${a[i]} % ${b[i]}: native ${out[i]}, JS ${want}`);
    }
  } finally {
    await nb.close();
  }
});
