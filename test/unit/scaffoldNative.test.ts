// Differential fuzz of the native (node-addon-api C++) emitter: ≥ 300 random kernels (fixed seed;
// HOTLOOP_FUZZ_SEED / HOTLOOP_FUZZ_COUNT override) compiled into ONE addon with node-gyp, each run
// through its sync entry (and a sample through its AsyncWorker entry) on random inputs, compared
// with the IR interpreter and the original JS within the derived tolerance. Plus the boundary:
// TypeErrors for bad arguments, number[] written back, views with a byteOffset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kernel, KernelArg, KernelOutput } from '../../src/core/ir/types.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { cloneArgs, makeInputs } from '../../src/core/ir/random.js';
import type { InputEdge } from '../../src/core/ir/random.js';
import { compareOutputs } from '../../src/core/ir/tolerance.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import { printKernel } from '../../src/core/ir/print.js';
import { nativeKernelSource, nativeModuleParts } from '../../src/core/scaffold/native/glue.js';
import { CPP_PRELUDE } from '../../src/core/scaffold/native/prelude.js';
import { bindingGyp } from '../../src/core/scaffold/native/emit.js';
import { fuzzConfig, generateKernels } from '../support/kernelGen.js';
import {
  add,
  arrayParam,
  bin,
  call,
  for_,
  kernel,
  len,
  load,
  mul,
  num,
  ref,
  store,
} from '../../src/core/ir/build.js';
import { loadJs } from '../support/loadJs.js';
import { REPO, buildAddon } from './nativeBuild.js';
import { pathCounter, versioningKernels } from './nativeVersioningKernels.js';
import { versioningCases } from './nativeVersioningCases.js';

type Fn = (...args: KernelArg[]) => unknown;
const { seed, count } = fuzzConfig(300);
let dir = '';
let addon: Record<string, Fn> = {};
let kernels: Kernel[] = [];

const i = ref('i');
/** Hand-written kernels for the JS traps a C++ port falls into (the generator avoids some of them). */
const traps: Kernel[] = [
  // Math.round rounds half up (C's round: away from zero); Math.min/max with NaN and −0; 1 ** NaN is NaN in JS.
  kernel({
    name: 'trap_math',
    pattern: 'map',
    result: { kind: 'void' },
    params: [arrayParam('x', 'f64', 'read'), arrayParam('out', 'f64', 'write')],
    body: [
      for_('i', num(0), len('x'), [
        store('out', mul(i, num(4)), call('round', load('x', i))),
        store('out', add(mul(i, num(4)), num(1)), call('min', load('x', i), num(0), num('-Infinity'))),
        store('out', add(mul(i, num(4)), num(2)), call('max', load('x', i), num(-0))),
        store('out', add(mul(i, num(4)), num(3)), bin('**', num(1), load('x', i))),
      ]),
    ],
  }),
  // Stores convert: Int32Array wraps, Uint8ClampedArray rounds half to even, % keeps the dividend's sign, bit ops ToInt32.
  kernel({
    name: 'trap_store',
    pattern: 'map',
    result: { kind: 'void' },
    params: [
      arrayParam('x', 'f64', 'read'),
      arrayParam('wrap', 'i32', 'write'),
      arrayParam('clamp', 'u8c', 'write'),
      arrayParam('rem', 'f64', 'write'),
    ],
    body: [
      for_('i', num(0), len('x'), [
        store('wrap', i, bin('|', mul(load('x', i), num(3e9)), num(0))),
        store('clamp', i, mul(load('x', i), num(255))),
        store('rem', i, bin('%', mul(load('x', i), num(-7.5)), num(2))),
      ]),
    ],
  }),
  // A map over a number[] the kernel writes: the converted copy must be written back.
  kernel({
    name: 'trap_numbers',
    pattern: 'map',
    result: { kind: 'array', name: 'ys' },
    params: [arrayParam('ys', 'f64', 'readwrite', 'array')],
    body: [for_('i', num(0), len('ys'), [store('ys', i, add(mul(load('ys', i), num(2)), num(1)))])],
  }),
  // A slow reduction (n² sines), to show the Async entry leaves the JS thread free.
  kernel({
    name: 'trap_slow',
    pattern: 'nested',
    result: { kind: 'scalar', expr: ref('s') },
    orderSensitive: true,
    params: [{ kind: 'scalar', name: 'n', dtype: 'i32' }],
    body: [
      { kind: 'let', name: 's', dtype: 'f64', init: num(0) },
      for_('i', num(0), ref('n'), [
        for_('j', num(0), ref('n'), [
          { kind: 'assign', name: 's', value: add(ref('s'), call('sin', mul(i, ref('j')))) },
        ]),
      ]),
    ],
  }),
  // out[i] = xs[i] * 2 over views: reads and writes where a subarray lies.
  kernel({
    name: 'trap_views',
    pattern: 'map',
    result: { kind: 'void' },
    params: [arrayParam('xs', 'f64', 'read'), arrayParam('out', 'f64', 'write')],
    body: [for_('i', num(0), len('xs'), [store('out', i, mul(load('xs', i), num(2)))])],
  }),
  // number[] parameters given other typed arrays (the original accepts them): read converted, written back converted.
  kernel({
    name: 'trap_any',
    pattern: 'map',
    result: { kind: 'void' },
    params: [arrayParam('xs', 'f64', 'read', 'array'), arrayParam('out', 'f64', 'write', 'array')],
    body: [for_('i', num(0), len('xs'), [store('out', i, add(mul(load('xs', i), num(2)), num(0.1)))])],
  }),
  // dsp.js's MIX: two elements of a number[] given as a Float32Array (read in place) summed in the fast copy.
  kernel({
    name: 'trap_f32_sum',
    pattern: 'map',
    result: { kind: 'void' },
    params: [arrayParam('xs', 'f64', 'read', 'array'), arrayParam('out', 'f64', 'write')],
    body: [
      for_('i', num(0), bin('/', len('xs'), num(2)), [
        store(
          'out',
          i,
          bin('/', add(load('xs', mul(num(2), i)), load('xs', add(mul(num(2), i), num(1)))), num(3)),
        ),
      ]),
    ],
  }),
  // A run-time step that is a local of the kernel (fili's `i += k2`): no wrapper can check it, so the
  // kernel runs whole steps with an int64 index and any other step (1.5, -1, NaN) in doubles, as JS.
  kernel({
    name: 'trap_local_step',
    pattern: 'nested',
    result: { kind: 'scalar', expr: ref('acc') },
    orderSensitive: true,
    params: [
      arrayParam('xs', 'f64', 'read'),
      arrayParam('out', 'f64', 'write'),
      { kind: 'scalar', name: 's', dtype: 'f64' },
      { kind: 'scalar', name: 'i0', dtype: 'f64' },
    ],
    body: [
      { kind: 'let', name: 'acc', dtype: 'f64', init: num(0) },
      { kind: 'let', name: 'st', dtype: 'f64', init: mul(ref('s'), num(0.5)) },
      { kind: 'let', name: 'lim', dtype: 'f64', init: num(0) },
      for_(
        'i',
        ref('i0'),
        len('xs'),
        [
          { kind: 'assign', name: 'lim', value: add(ref('lim'), num(1)) },
          { kind: 'if', cond: bin('>', ref('lim'), num(64)), then: [{ kind: 'break' }], else: [] },
          { kind: 'assign', name: 'acc', value: add(ref('acc'), add(i, load('xs', i))) },
          store('out', i, add(load('xs', i), num(1))),
        ],
        { stepExpr: ref('st') },
      ),
    ],
  }),
  // Loop versioning: gemm / gemv (unroll-and-jam) and an overlapping-views map (see the versioning test).
  ...versioningKernels,
];
const declined: string[] = [];

function outputOf(k: Kernel, args: readonly KernelArg[], result: unknown): KernelOutput {
  const written: Record<string, KernelArg> = {};
  k.params.forEach((p, i) => {
    if (p.kind === 'array' && p.access !== 'read') written[p.name] = args[i]!;
  });
  return { result: result as KernelOutput['result'], written };
}

before(async () => {
  kernels = [...generateKernels({ seed, count }), ...traps];
  const sources = [];
  for (const k of kernels) {
    try {
      sources.push(nativeKernelSource(k, k.name));
    } catch (err) {
      declined.push(`${k.name}: ${String(err)}`);
    }
  }
  dir = await mkdtemp(join(tmpdir(), 'hotloop-native-fuzz-'));
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  await mkdir(join(dir, 'src'));
  // Several translation units, so node-gyp compiles them on every core.
  // One more export: which copy of the versioned loops ran (counted with -DHOTLOOP_COUNT_PATHS).
  const parts = nativeModuleParts(CPP_PRELUDE, [...sources, pathCounter.source], 2);
  for (const f of parts) await writeFile(join(dir, f.path), f.source);
  await writeFile(join(dir, 'binding.gyp'), pathCounter.gyp(bindingGyp(parts.map((f) => f.path))));
  // HOTLOOP_NATIVE_SANITIZE=1 (run node with LD_PRELOAD=libasan.so): the same fuzz under ASan + UBSan.
  await buildAddon(dir, process.env.HOTLOOP_NATIVE_SANITIZE === '1' ? ['-Dsanitize=1'] : []);
  addon = createRequire(import.meta.url)(join(dir, 'build/Release/kernel.node')) as Record<string, Fn>;
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`native scaffolds match the interpreter and the original JS on ${count} random kernels (seed ${seed})`, () => {
  assert.deepEqual(declined, [], 'every generated kernel lowers to C++');
  const edges: InputEdge[] = ['none', 'subarray', 'nan', 'empty', 'one', 'mixed'];
  const failures: string[] = [];
  let cases = 0;
  const paths0 = pathCounter.read(addon);
  for (const [i, k] of kernels.entries()) {
    const fast = addon[k.name];
    assert.ok(fast, `${k.name} is exported`);
    const original = loadJs(kernelToJs(k), k.name);
    for (const [j, edge] of [edges[0]!, edges[1 + (i % (edges.length - 1))]!].entries()) {
      const n = j === 0 ? 64 + (i % 7) * 37 : 33;
      const inputs = makeInputs(k, { n, seed: seed + i * 31 + j, edge });
      const expected = runKernel(k, cloneArgs(inputs));
      const jsArgs = cloneArgs(inputs);
      const js = outputOf(k, jsArgs, original(...jsArgs));
      const args = cloneArgs(inputs);
      const actual = outputOf(k, args, fast(...args));
      const opts = { n, reassociated: false, precision: 'f64' as const, inputs };
      for (const [what, ref] of [
        ['interpreter', expected],
        ['original JS', js],
      ] as const) {
        const c = compareOutputs(ref, actual, k, opts);
        if (!c.ok)
          failures.push(
            `${k.name} vs ${what} (seed ${seed}, n ${n}, edge ${edge}): ${c.detail}\n${printKernel(k)}`,
          );
      }
      cases++;
    }
  }
  const paths = pathCounter.read(addon).map((c, j) => c - paths0[j]!);
  console.log(
    `native fuzz: ${kernels.length} kernels, ${cases} input cases, one addon; versioned nests ran checked ${paths[0]}, fast ${paths[1]} (unroll-and-jam ${paths[2]}, interchanged ${paths[3]}) times`,
  );
  // Random inputs are mostly in range: the fast copies must run (the versioning test covers the checked ones).
  assert.ok(paths[1]! > 0, `the fast copies of versioned loops ran: ${paths.join(', ')}`);
  assert.equal(
    failures.length,
    0,
    `${failures.length} mismatches (HOTLOOP_FUZZ_SEED=${seed} HOTLOOP_FUZZ_COUNT=${count}):\n${failures.slice(0, 3).join('\n\n')}`,
  );
});

test('the AsyncWorker entries resolve to the same results as the sync ones', async () => {
  const sample = kernels.filter((_, i) => i % 10 === 0);
  for (const k of sample) {
    const inputs = makeInputs(k, { n: 200, seed: 7 });
    const syncArgs = cloneArgs(inputs);
    const want = outputOf(k, syncArgs, addon[k.name]!(...syncArgs));
    const asyncArgs = cloneArgs(inputs);
    const got = outputOf(k, asyncArgs, await addon[`${k.name}Async`]!(...asyncArgs));
    const c = compareOutputs(want, got, k, { n: 200, reassociated: false, precision: 'f64', inputs });
    assert.ok(c.ok, `${k.name}Async: ${c.detail}`);
  }
});

test('an Async call runs off the JS thread: timers fire while it computes', async () => {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
  }, 1);
  const t0 = performance.now();
  const r = (await (addon.trap_slow_async ?? addon.trap_slowAsync)!(2500)) as number;
  const ms = performance.now() - t0;
  clearInterval(timer);
  assert.equal(r, (addon.trap_slow as Fn)(2500));
  assert.ok(ms > 20, `the call took ${ms.toFixed(1)} ms (long enough to observe)`);
  assert.ok(ticks >= 3, `a 1 ms interval fired ${ticks} times during a ${ms.toFixed(0)} ms call`);
});

test('bad arguments throw TypeErrors that name the argument, never crash', () => {
  const k = kernels.find((x) =>
    x.params.some((p) => p.kind === 'array' && p.container === 'typed' && p.dtype === 'f64'),
  )!;
  const fn = addon[k.name]!;
  const arrayIndex = k.params.findIndex(
    (p) => p.kind === 'array' && p.container === 'typed' && p.dtype === 'f64',
  );
  const good = makeInputs(k, { n: 8, seed: 1 });
  const name = k.params[arrayIndex]!.name;
  const withArg = (v: unknown): unknown[] => good.map((a, i) => (i === arrayIndex ? v : a));
  assert.throws(
    () => fn(),
    (e: unknown) => e instanceof TypeError && /expected \d+ arguments, got 0/.test(e.message),
  );
  for (const bad of [new Float32Array(8), [1, 2, 3], 'xs', 42, null, undefined, {}]) {
    assert.throws(
      () => (fn as (...a: unknown[]) => unknown)(...withArg(bad)),
      (e: unknown) => e instanceof TypeError && e.message.includes(`'${name}' must be a Float64Array`),
    );
  }
  const scalarIndex = k.params.findIndex((p) => p.kind === 'scalar');
  if (scalarIndex >= 0) {
    const args = good.map((a, i) => (i === scalarIndex ? '3' : a));
    assert.throws(
      () => (fn as (...a: unknown[]) => unknown)(...args),
      (e: unknown) => e instanceof TypeError && /must be a number/.test(e.message),
    );
  }
  const arrK = kernels.find((x) => x.params.some((p) => p.kind === 'array' && p.container === 'array'));
  if (arrK) {
    const ai = arrK.params.findIndex((p) => p.kind === 'array' && p.container === 'array');
    const args = makeInputs(arrK, { n: 8, seed: 2 }).map((a, i) => (i === ai ? [1, 'two', 3] : a));
    assert.throws(
      () => (addon[arrK.name] as (...a: unknown[]) => unknown)(...args),
      (e: unknown) => e instanceof TypeError && /element 1 .* is not a number/.test(e.message),
    );
  }
});

test('typed-array views are used in place: a subarray with a byteOffset is read and written where it lies', () => {
  const buf = new Float64Array(40).map((_, j) => j - 10);
  const xs = buf.subarray(3, 13);
  const out = new Float64Array(30).subarray(5, 15);
  (addon.trap_views as Fn)(xs, out);
  assert.ok(xs.byteOffset > 0 && out.byteOffset > 0);
  assert.deepEqual(
    Array.from(out),
    Array.from(xs, (x) => x * 2),
  );
  assert.equal(out.buffer.byteLength, 240, "the result is in the caller's buffer (no copy)");
  assert.deepEqual(
    Array.from(new Float64Array(out.buffer, 0, 5)),
    [0, 0, 0, 0, 0],
    'nothing written before the view',
  );
});

test('JS traps: Math.round half-up, NaN and −0 in min/max, 1 ** NaN, Int32 wrap, clamped rounding, %, number[] write-back', () => {
  const x = [0.5, -0.5, 2.5, -2.5, 0.49999999999999994, NaN, -0, 1 / 3, 1.5e9, -1.2, 1.002, 0.998];
  const check = (name: string, args: () => KernelArg[]): void => {
    const k = traps.find((t) => t.name === name)!;
    const want = args();
    runKernel(k, want);
    const got = args();
    (addon[name] as Fn)(...got);
    got.forEach((a, j) => {
      assert.deepEqual(
        Array.from(a as ArrayLike<number>),
        Array.from(want[j] as ArrayLike<number>),
        `${name} argument ${j}`,
      );
    });
  };
  check('trap_math', () => [Float64Array.from(x), new Float64Array(x.length * 4)]);
  check('trap_store', () => [
    Float64Array.from(x),
    new Int32Array(x.length),
    new Uint8ClampedArray(x.length),
    new Float64Array(x.length),
  ]);
  // Steps 2·0.5 = 1 and 4·0.5 (whole), 3·0.5 (fractional: xs[1.5] is undefined, the store dropped),
  // 0, -2 and NaN (the 64-pass break ends what JS would not), starts 0, 1.5, -1 and NaN.
  const k = traps.find((t) => t.name === 'trap_local_step')!;
  for (const s of [2, 4, 3, 0, -2, NaN])
    for (const i0 of [0, 1.5, -1, NaN]) {
      const xs = Float64Array.from({ length: 9 }, (_, j) => j * 0.25 - 1);
      const want = [xs, new Float64Array(9), s, i0];
      const wantR = runKernel(k, want).result;
      const got = [xs, new Float64Array(9), s, i0];
      const gotR = (addon.trap_local_step as Fn)(...got);
      assert.deepEqual(
        [gotR, Array.from(got[1] as Float64Array)],
        [wantR, Array.from(want[1] as Float64Array)],
        `s ${s}, i0 ${i0}`,
      );
    }
  const ys = [1, 2.5, -3];
  const r = (addon.trap_numbers as Fn)(ys);
  assert.equal(r, ys, 'returns the same array');
  assert.deepEqual(ys, [3, 6, -5]);
});

test('a number[] parameter also takes a Float64Array, zero-copy: a view is written where it lies, nothing copied back', () => {
  const buf = new Float64Array([9, 1, 2.5, -3, 9]);
  const ys = buf.subarray(1, 4);
  const r = (addon.trap_numbers as Fn)(ys);
  assert.equal(r, ys, 'returns the same typed array');
  assert.deepEqual(Array.from(buf), [9, 3, 6, -5, 9], "written in place in the caller's buffer");
  assert.throws(
    () => (addon.trap_numbers as Fn)(new Float32Array(3)),
    (e: unknown) => e instanceof TypeError && /Float64Array or number\[\]/.test(e.message),
  );
});

test('a number[] parameter takes any typed array the original takes: read (byteOffset honoured) and written back with JS conversion', () => {
  const js = (xs: ArrayLike<number>, out: { [i: number]: number }): void => {
    for (let i = 0; i < xs.length; i++) out[i] = xs[i]! * 2 + 0.1;
  };
  const inputs = (): ArrayLike<number>[] => [
    new Float32Array([7, 0.1, -2.5, 1e30, NaN, 3]).subarray(1, 5),
    Int16Array.from([-32768, 5, 32767]),
    Uint8Array.from([0, 255, 9]),
    [1.5, -0.25, Infinity],
  ];
  const outs = (n: number): { [i: number]: number; length: number }[] => [
    new Float32Array(n),
    new Int32Array(n),
    new Uint8ClampedArray(n),
    new Float64Array(n),
    new Array<number>(n).fill(0),
  ];
  for (const xs of inputs()) {
    for (const [k, out] of outs(xs.length).entries()) {
      const want = outs(xs.length)[k]!;
      js(xs, want);
      (addon.trap_any as Fn)(xs as KernelArg, out as KernelArg);
      assert.deepEqual(
        Array.from(out as ArrayLike<number>),
        Array.from(want as ArrayLike<number>),
        `${xs.constructor.name} → ${out.constructor.name}`,
      );
    }
  }
});

test('a Float32Array read in place for a number[] is summed in double precision, as JS sums its elements', () => {
  // Sums of floats that a float addition rounds: 1 + 2^-23·k, and magnitudes far apart.
  const xs = new Float32Array([1, 1.1920928955078125e-7, 16777216, 1, 0.1, 0.2, -3.4e38, 3.4e38, 1e-8, 3]);
  const want = new Float64Array(xs.length / 2);
  for (let i = 0; i < want.length; i++) want[i] = (xs[2 * i]! + xs[2 * i + 1]!) / 3;
  const out = new Float64Array(want.length);
  (addon.trap_f32_sum as Fn)(xs, out);
  assert.deepEqual(Array.from(out), Array.from(want));
});

test('versioned loops: the fast copy runs on in-range inputs (jammed where arrays are disjoint), the checked one otherwise, with the JS results', () => {
  const failures = versioningCases(addon);
  assert.deepEqual(failures, []);
});
