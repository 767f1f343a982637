// Kernels and cases for the native target's loop versioning (src/core/scaffold/native/versioning.ts),
// built into the native fuzz addon: which copy of a versioned nest runs (counted through
// -DHOTLOOP_COUNT_PATHS) and that every copy gives the original JS's results exactly — in range,
// out of range, non-integral sizes, the same array passed twice, overlapping subarray views, gathers
// and scatters through index arrays (their indexed access checked inside the fast copy).
import type { Expr, Kernel, KernelArg, Stmt } from '../../src/core/ir/types.js';
import {
  add,
  arrayParam,
  assign,
  for_,
  kernel,
  let_,
  load,
  mul,
  num,
  ref,
  scalarParam,
  store,
} from '../../src/core/ir/build.js';
import { runKernel } from '../../src/core/ir/interpret.js';
import { kernelToJs } from '../../src/core/ir/toJs.js';
import type { NativeKernelSource } from '../../src/core/scaffold/native/glue.js';
import { loadJs } from '../support/loadJs.js';

type Fn = (...args: KernelArg[]) => unknown;
const i = ref('i');
const j = ref('j');
const p = ref('p');

/** Dot-form gemm, as in examples/src/matmul.ts: the j loop is unrolled-and-jammed. */
const gemm = kernel({
  name: 'ver_gemm',
  pattern: 'gemm',
  result: { kind: 'void' },
  orderSensitive: true,
  params: [
    arrayParam('a', 'f64', 'read'),
    arrayParam('b', 'f64', 'read'),
    arrayParam('c', 'f64', 'write'),
    scalarParam('n', 'f64'),
    scalarParam('m', 'f64'),
    scalarParam('k', 'f64'),
  ],
  body: [
    for_('i', num(0), ref('n'), [
      for_('j', num(0), ref('m'), [
        let_('acc', num(0)),
        for_('p', num(0), ref('k'), [
          assign(
            'acc',
            add(ref('acc'), mul(load('a', add(mul(i, ref('k')), p)), load('b', add(mul(p, ref('m')), j)))),
          ),
        ]),
        store('c', add(mul(i, ref('m')), j), ref('acc')),
      ]),
    ]),
  ],
});
/** gemv: the row loop is unrolled-and-jammed. */
const gemv = kernel({
  name: 'ver_gemv',
  pattern: 'gemv',
  result: { kind: 'void' },
  orderSensitive: true,
  params: [
    arrayParam('a', 'f64', 'read'),
    arrayParam('x', 'f64', 'read'),
    arrayParam('y', 'f64', 'write'),
    scalarParam('rows', 'f64'),
    scalarParam('cols', 'f64'),
  ],
  body: [
    for_('i', num(0), ref('rows'), [
      let_('acc', num(0)),
      for_('j', num(0), ref('cols'), [
        assign('acc', add(ref('acc'), mul(load('a', add(mul(i, ref('cols')), j)), load('x', j)))),
      ]),
      store('y', i, ref('acc')),
    ]),
  ],
});
/** out[i] = 2·xs[i] + xs[i + 1]: vectorisable, wrong if overlapping views were assumed apart. */
const shift = kernel({
  name: 'ver_shift',
  pattern: 'map',
  result: { kind: 'void' },
  params: [arrayParam('xs', 'f64', 'read'), arrayParam('out', 'f64', 'write'), scalarParam('n', 'f64')],
  body: [
    for_('i', num(0), ref('n'), [
      store('out', i, add(mul(load('xs', i), num(2)), load('xs', add(i, num(1))))),
    ]),
  ],
});
/** A Float32 map into an Int32 view: the stores convert (ToInt32) in the fast copy too. */
const convert = kernel({
  name: 'ver_convert',
  pattern: 'map',
  result: { kind: 'void' },
  params: [arrayParam('xs', 'f32', 'read'), arrayParam('out', 'i32', 'write'), scalarParam('n', 'f64')],
  body: [for_('i', num(0), ref('n'), [store('out', i, mul(load('xs', i), num(3e9)))])],
});
/** out[i] = buf[perm[i]] (dsp.js's FFT.forward bit reversal): perm and out proven, buf[…] checked. */
const gather = kernel({
  name: 'ver_gather',
  pattern: 'map',
  result: { kind: 'void' },
  params: [
    arrayParam('buf', 'f64', 'read'),
    arrayParam('perm', 'u32', 'read'),
    arrayParam('out', 'f64', 'write'),
    scalarParam('n', 'f64'),
  ],
  body: [for_('i', num(0), ref('n'), [store('out', i, load('buf', load('perm', i)))])],
});
/** out[perm[i]] = xs[i] through an f64 index array (fractions, negatives, NaN read and write nothing). */
const scatter = kernel({
  name: 'ver_scatter',
  pattern: 'map',
  result: { kind: 'void' },
  params: [
    arrayParam('xs', 'f64', 'read'),
    arrayParam('perm', 'f64', 'read'),
    arrayParam('out', 'f64', 'write'),
    scalarParam('n', 'f64'),
  ],
  body: [for_('i', num(0), ref('n'), [store('out', load('perm', i), load('xs', i))])],
});
/** j = perm[i]; out[i] = buf[j]; half[i] = buf[i / 2] (fili's Fft.inverse; a fraction reads undefined). */
const viaLocal = kernel({
  name: 'ver_via_local',
  pattern: 'map',
  result: { kind: 'void' },
  params: [
    arrayParam('buf', 'f64', 'read'),
    arrayParam('perm', 'i32', 'read'),
    arrayParam('out', 'f64', 'write'),
    arrayParam('half', 'f64', 'write'),
    scalarParam('n', 'f64'),
  ],
  body: [
    { kind: 'let', name: 'j', dtype: 'f64', init: num(0) },
    for_('i', num(0), ref('n'), [
      assign('j', load('perm', i)),
      store('out', i, load('buf', ref('j'))),
      store('half', i, load('buf', { kind: 'bin', op: '/', left: i, right: num(2) })),
    ]),
  ],
});

/** `let name = |s| + 1`: a step of at least 1 the kernel computes, so the fuzz's random inputs end too. */
const stepFromS = (name: string): Stmt => ({
  kind: 'let',
  name,
  dtype: 'f64',
  init: add({ kind: 'call', fn: 'abs', args: [ref('s')] }, num(1)),
});

/** `for (i = i_0; i < n; i += step) { ik = i + k; t = re[ik] * scale; re[ik] = re[i] - t; re[i] += t; }` */
const butterflies = (step: string, scale: Expr): Stmt =>
  for_(
    'i',
    ref('i_0'),
    ref('n'),
    [
      assign('ik', add(i, ref('k'))),
      { kind: 'let', name: 't', dtype: 'f64', init: mul(load('re', ref('ik')), scale) },
      store('re', ref('ik'), add(load('re', i), mul(ref('t'), num(-1)))),
      store('re', i, add(load('re', i), ref('t'))),
    ],
    { stepExpr: ref(step) },
  );

/**
 * fili's butterflies: `for (i = j0; i < n; i += st) { ik = i + k; … re[ik] … re[i] … }` with a step the
 * kernel computes (`st = |s| + 1`: no wrapper can check it) and `ik` an outer variable set at the top
 * of the body before its reads: versioned with the step read at entry and `ik` as `i + k`.
 */
const butterfly = kernel({
  name: 'ver_butterfly',
  pattern: 'nested',
  result: { kind: 'void' },
  params: [
    arrayParam('re', 'f64', 'readwrite'),
    scalarParam('j0', 'f64'),
    scalarParam('n', 'f64'),
    scalarParam('s', 'f64'),
    scalarParam('k', 'f64'),
  ],
  body: [
    { kind: 'let', name: 'ik', dtype: 'f64', init: num(0) },
    stepFromS('st'),
    { kind: 'let', name: 'i_0', dtype: 'f64', init: ref('j0') },
    butterflies('st', num(0.5)),
  ],
});

/**
 * A whole FFT stage of fili: `for (j = 0; j < k; j++) for (i = j; i < n; i += k2) { ik = i + k; … }`,
 * k2 = |s| + 1 read once before the nest: one guard for the stage, the inner loop's last index
 * bounded over every j (`ivLoopStep` with an interval start).
 */
const stage = kernel({
  name: 'ver_stage',
  pattern: 'nested',
  result: { kind: 'void' },
  params: [
    arrayParam('re', 'f64', 'readwrite'),
    scalarParam('n', 'f64'),
    scalarParam('s', 'f64'),
    scalarParam('k', 'f64'),
  ],
  body: [
    { kind: 'let', name: 'ik', dtype: 'f64', init: num(0) },
    stepFromS('k2'),
    for_('j', num(0), ref('k'), [
      { kind: 'let', name: 'i_0', dtype: 'f64', init: j },
      butterflies('k2', add(j, num(0.5))),
    ]),
  ],
});

/**
 * dsp.js's calculateSpectrum: `mag = sqrt(re² + im²) * scale; if (mag > peak) { band = i; peak = mag }
 * spectrum[i] = mag` — split by fission into the map and a running arg-max over the stored values.
 */
const peak = kernel({
  name: 'ver_peak',
  pattern: 'map',
  result: { kind: 'void' },
  params: [
    arrayParam('re', 'f64', 'read'),
    arrayParam('im', 'f64', 'read'),
    arrayParam('spectrum', 'f64', 'readwrite'),
    arrayParam('res', 'f64', 'write'),
    scalarParam('n', 'f64'),
    scalarParam('scale', 'f64'),
  ],
  body: [
    { kind: 'let', name: 'mag', dtype: 'f64', init: num(0) },
    { kind: 'let', name: 'peak', dtype: 'f64', init: load('res', num(0)) },
    { kind: 'let', name: 'band', dtype: 'f64', init: num(-1) },
    for_('i', num(0), ref('n'), [
      assign(
        'mag',
        mul(ref('scale'), {
          kind: 'call',
          fn: 'sqrt',
          args: [add(mul(load('re', i), load('re', i)), mul(load('im', i), load('im', i)))],
        }),
      ),
      {
        kind: 'if',
        cond: { kind: 'bin', op: '>', left: ref('mag'), right: ref('peak') },
        then: [assign('band', i), assign('peak', ref('mag'))],
        else: [],
      },
      store('spectrum', i, ref('mag')),
    ]),
    store('res', num(0), ref('peak')),
    store('res', num(1), ref('band')),
    store('res', num(2), ref('mag')),
  ],
});

export const versioningKernels: readonly Kernel[] = [
  peak,
  stage,
  gemm,
  gemv,
  shift,
  convert,
  gather,
  scatter,
  viaLocal,
  butterfly,
];

/** The counters export and the gyp define that turns the counting on. */
export const pathCounter = {
  source: {
    source: [
      'namespace hl_paths {',
      'static Napi::Value Get(const Napi::CallbackInfo& info) {',
      '  Napi::Array a = Napi::Array::New(info.Env(), 4);',
      '  for (uint32_t i = 0; i < 4; i++) a.Set(i, Napi::Number::New(info.Env(), static_cast<double>(hotloop::pathCount[i].load())));',
      '  return a;',
      '}',
      '}  // namespace hl_paths',
    ].join('\n'),
    registrations: ['exports.Set("hotloopPaths", Napi::Function::New(env, hl_paths::Get, "hotloopPaths"));'],
  } satisfies NativeKernelSource,
  gyp(bindingGyp: string): string {
    const g = JSON.parse(bindingGyp) as { targets: { defines: string[] }[] };
    g.targets[0]!.defines.push('HOTLOOP_COUNT_PATHS');
    return JSON.stringify(g, null, 2);
  },
  /** [checked, fast, jammed, interchanged] runs so far. */
  read(addon: Record<string, Fn>): number[] {
    return addon.hotloopPaths!() as number[];
  },
};

const seq = (n: number, f: (k: number) => number): Float64Array =>
  Float64Array.from({ length: n }, (_, k) => f(k));

interface Case {
  readonly what: string;
  readonly kernel: Kernel;
  /** Fresh arguments (called once per implementation). */
  readonly args: () => KernelArg[];
  /** Expected [checked, fast] runs of the nest, and whether the jammed loop runs. */
  readonly path: 'checked' | 'fast' | 'jam' | 'interchange';
}

const cases: Case[] = [
  {
    what: 'FFT stage: n = 16, k = 2, step 4 (every i + k below n)',
    kernel: stage,
    path: 'fast',
    args: () => [seq(16, (k) => k * 0.5 - 3), 16, 3, 2],
  },
  {
    what: 'FFT stage: n = 64, k = 4, step 8 (interchanged: offsets {0, 4} within 8)',
    kernel: stage,
    path: 'interchange',
    args: () => [seq(64, (k) => Math.sin(k) * 3), 64, 7, 4],
  },
  {
    what: 'FFT stage: n = 60, k = 8, step 16 (interchanged; the last block is cut short)',
    kernel: stage,
    path: 'interchange',
    args: () => [seq(60, (k) => k * 0.25 - 5), 52, 15, 8],
  },
  {
    what: 'FFT stage: k = 4, step 6 (re[i + 4] of one j is re[i] of another: no interchange)',
    kernel: stage,
    path: 'fast',
    args: () => [seq(64, (k) => k * 0.5 - 3), 60, 5, 4],
  },
  {
    what: 'peak: ties, NaN, -0 and Infinity in the spectrum (fission: the first of equal maxima wins)',
    kernel: peak,
    path: 'fast',
    args: () => [
      Float64Array.from([3, -3, NaN, 0, -0, 4, 4, Infinity, 1, -4, 2, 2, 5, 0.5, 5, -Infinity, 7]),
      Float64Array.from([4, 4, 1, 0, -0, 3, -3, 0, 1, 3, 2, -2, 0, 0.5, 0, 0, 0]),
      new Float64Array(17),
      Float64Array.from([-Infinity, 0, 0]),
      17,
      0.5,
    ],
  },
  {
    what: 'peak: spectrum is re (written in place), a starting peak above every value',
    kernel: peak,
    path: 'fast',
    args: () => {
      const re = seq(40, (k) => Math.sin(k) * 9);
      return [re, seq(40, (k) => k % 3), re, Float64Array.from([100, 0, 0]), 40, 2];
    },
  },
  {
    what: 'peak: spectrum shorter than n (checked copy)',
    kernel: peak,
    path: 'checked',
    args: () => [seq(40, (k) => k), seq(40, (k) => -k), new Float64Array(30), new Float64Array(3), 40, 1],
  },
  {
    what: 'FFT stage: n = 18 (i + k reaches 19 for j = 1)',
    kernel: stage,
    path: 'checked',
    args: () => [seq(18, (k) => k * 0.5 - 3), 18, 3, 2],
  },
  {
    what: 'FFT stage: a fractional step',
    kernel: stage,
    path: 'checked',
    args: () => [seq(16, (k) => k), 16, 1.5, 2],
  },
  {
    what: 'butterfly: a whole step of the kernel, in range, 16 trips',
    kernel: butterfly,
    path: 'fast',
    args: () => [seq(64, (k) => k * 0.75 - 9), 1, 64, 3, 2],
  },
  {
    what: 'butterfly: 4 trips (the guard is skipped)',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k * 0.75 - 9), 1, 64, 15, 2],
  },
  {
    what: 'butterfly: re[i + k] past the end on the last trip',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k * 0.75 - 9), 3, 64, 3, 2],
  },
  {
    what: 'butterfly: a fractional step (re[1.5] reads undefined, its store is dropped)',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0, 40, 0.5, 2],
  },
  {
    what: 'butterfly: a fractional start',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0.5, 60, 3, 2],
  },
  {
    what: 'butterfly: NaN bound',
    kernel: butterfly,
    path: 'checked',
    args: () => [seq(64, (k) => k), 0, NaN, 3, 2],
  },
  {
    what: 'gemm in range',
    kernel: gemm,
    path: 'jam',
    args: () => [seq(35, (k) => k / 7 - 2), seq(42, (k) => 1 - k / 5), new Float64Array(30), 5, 6, 7],
  },
  {
    what: 'gemm, k past the end of a and b (undefined → NaN)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k / 7), seq(42, (k) => k), new Float64Array(30), 5, 6, 8],
  },
  {
    what: 'gemm, c shorter than n·m (stores dropped)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(20), 5, 6, 7],
  },
  {
    what: 'gemm, non-integral m (fractional indices read undefined)',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(30), 5, 5.5, 7],
  },
  {
    what: 'gemm, NaN size',
    kernel: gemm,
    path: 'checked',
    args: () => [seq(35, (k) => k), seq(42, (k) => k), new Float64Array(30), NaN, 6, 7],
  },
  {
    what: 'gemm, c is a (the same array twice: no jam, same order)',
    kernel: gemm,
    path: 'fast',
    args: () => {
      const a = seq(64, (k) => (k % 5) - 1.5);
      return [a, seq(64, (k) => k / 3), a, 8, 8, 8];
    },
  },
  {
    what: 'gemv in range',
    kernel: gemv,
    path: 'jam',
    args: () => [seq(90, (k) => Math.sin(k)), seq(9, (k) => k - 4), new Float64Array(10), 10, 9],
  },
  {
    what: 'gemv, y overlaps x (no jam)',
    kernel: gemv,
    path: 'fast',
    args: () => {
      const buf = seq(30, (k) => k * 0.25);
      return [seq(100, (k) => k % 7), buf.subarray(0, 10), buf.subarray(5, 15), 10, 10];
    },
  },
  {
    what: 'gemv, rows past y (stores dropped)',
    kernel: gemv,
    path: 'checked',
    args: () => [seq(90, (k) => k), seq(9, (k) => k), new Float64Array(4), 10, 9],
  },
  {
    what: 'shift, out one element after xs in one buffer',
    kernel: shift,
    path: 'fast',
    args: () => {
      const buf = seq(300, (k) => k * 1.5 - 7);
      return [buf.subarray(0, 257), buf.subarray(1, 257), 256];
    },
  },
  {
    what: 'shift, out one element before xs in one buffer',
    kernel: shift,
    path: 'fast',
    args: () => {
      const buf = seq(300, (k) => k * 1.5 - 7);
      return [buf.subarray(1, 258), buf.subarray(0, 257), 256];
    },
  },
  {
    what: 'shift, xs[n] out of range',
    kernel: shift,
    path: 'checked',
    args: () => [seq(256, (k) => k), new Float64Array(256), 256],
  },
  {
    what: 'convert, Float32 → Int32 (wrapping)',
    kernel: convert,
    path: 'fast',
    args: () => [Float32Array.from({ length: 99 }, (_, k) => k / 9 - 5), new Int32Array(99), 99],
  },
  {
    what: 'convert, Int32 view over the Float32 input buffer',
    kernel: convert,
    path: 'fast',
    args: () => {
      const xs = Float32Array.from({ length: 64 }, (_, k) => k / 9 - 3);
      return [xs, new Int32Array(xs.buffer, 8, 40), 40];
    },
  },
  {
    what: 'gather, a permutation in range',
    kernel: gather,
    path: 'fast',
    args: () => [
      seq(16, (k) => k * 1.25 - 3),
      Uint32Array.from({ length: 16 }, (_, k) => (k * 5) % 16),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather, indices past buf (undefined → NaN), through the fast copy',
    kernel: gather,
    path: 'fast',
    args: () => [
      seq(8, (k) => k),
      Uint32Array.from({ length: 16 }, (_, k) => k * 3),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather through a local the loop assigns, and a fractional index: the fast copy',
    kernel: viaLocal,
    path: 'fast',
    args: () => [
      seq(12, (k) => k * 0.5 - 2),
      Int32Array.from({ length: 16 }, (_, k) => (k % 3 === 0 ? -k : k * 7) % 20),
      new Float64Array(16),
      new Float64Array(16),
      16,
    ],
  },
  {
    what: 'gather, n past perm: the checked copy',
    kernel: gather,
    path: 'checked',
    args: () => [seq(16, (k) => k), Uint32Array.from({ length: 8 }, (_, k) => k), new Float64Array(16), 16],
  },
  {
    what: 'scatter, f64 indices with fractions, negatives, NaN and ones past out',
    kernel: scatter,
    path: 'fast',
    args: () => [
      seq(12, (k) => k + 0.5),
      Float64Array.from([3, 0.5, -1, NaN, 11, 2, 40, -0, 7, 1.999, Infinity, 5]),
      new Float64Array(12),
      12,
    ],
  },
];

function snapshot(args: readonly KernelArg[], result: unknown): unknown {
  return { result, args: args.map((a) => (typeof a === 'number' ? a : Array.from(a as ArrayLike<number>))) };
}

/** Runs every case; returns the failures (empty when all give the JS result through the expected copy). */
export function versioningCases(addon: Record<string, Fn>): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    const jsArgs = c.args();
    const want = snapshot(jsArgs, loadJs(kernelToJs(c.kernel), c.kernel.name)(...jsArgs));
    const interpArgs = c.args();
    const interp = runKernel(c.kernel, interpArgs);
    const before = pathCounter.read(addon);
    const args = c.args();
    const got = snapshot(args, addon[c.kernel.name]!(...args));
    const d = pathCounter.read(addon).map((x, k) => x - before[k]!);
    const path =
      d[3]! > 0 ? 'interchange' : d[2]! > 0 ? 'jam' : d[1]! > 0 ? 'fast' : d[0]! > 0 ? 'checked' : 'none';
    if (path !== c.path)
      failures.push(`${c.what}: ran the ${path} copy, expected ${c.path} (${d.join(', ')})`);
    try {
      assertSame(got, want);
      assertSame(snapshot(interpArgs, interp.result), want);
    } catch (err) {
      failures.push(
        `${c.what}: ${err instanceof Error ? err.message.split('\n').slice(0, 12).join('\n') : String(err)}`,
      );
    }
  }
  return failures;
}

function assertSame(a: unknown, b: unknown): void {
  // Exact (SameValue: NaN equals NaN, −0 differs from +0): the fast copy reorders nothing.
  const ja = JSON.stringify(a, (_, v: unknown) =>
    typeof v === 'number' ? (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v) : v,
  );
  const jb = JSON.stringify(b, (_, v: unknown) =>
    typeof v === 'number' ? (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v) : v,
  );
  if (ja !== jb)
    throw new Error(`differs from the original JS:\n got ${ja.slice(0, 400)}\nwant ${jb.slice(0, 400)}`);
}
