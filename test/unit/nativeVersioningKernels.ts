// Kernels for the native target's loop versioning (src/core/scaffold/native/versioning.ts; the cases
// that run them are in nativeVersioningCases.ts), built into the native fuzz addon: which copy of a
// versioned nest runs (counted through -DHOTLOOP_COUNT_PATHS) and that every copy gives the original
// JS's results exactly — in range, out of range, non-integral sizes, the same array passed twice,
// overlapping subarray views, gathers and scatters through index arrays (their indexed access checked
// inside the fast copy).
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
import type { NativeKernelSource } from '../../src/core/scaffold/native/glue.js';

export type Fn = (...args: KernelArg[]) => unknown;
const i = ref('i');
const j = ref('j');
const p = ref('p');

/** Dot-form gemm, as in examples/src/matmul.ts: the j loop is unrolled-and-jammed. */
export const gemm = kernel({
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
export const gemv = kernel({
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
export const shift = kernel({
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
export const convert = kernel({
  name: 'ver_convert',
  pattern: 'map',
  result: { kind: 'void' },
  params: [arrayParam('xs', 'f32', 'read'), arrayParam('out', 'i32', 'write'), scalarParam('n', 'f64')],
  body: [for_('i', num(0), ref('n'), [store('out', i, mul(load('xs', i), num(3e9)))])],
});
/** out[i] = buf[perm[i]] (dsp.js's FFT.forward bit reversal): perm and out proven, buf[…] checked. */
export const gather = kernel({
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
export const scatter = kernel({
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
export const viaLocal = kernel({
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
export const butterfly = kernel({
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
export const stage = kernel({
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

/** The butterflies of {@link complexStage}: `ik = i + k`, a rotation by `c`, both arrays updated. */
export const complexButterfly: readonly Stmt[] = [
  assign('ik', add(i, ref('k'))),
  {
    kind: 'let',
    name: 't',
    dtype: 'f64',
    init: add(mul(ref('c'), load('re', ref('ik'))), mul(load('im', ref('ik')), num(-1))),
  },
  store('re', ref('ik'), add(load('re', i), mul(ref('t'), num(-1)))),
  store('re', i, add(load('re', i), ref('t'))),
  store('im', ref('ik'), add(load('im', i), mul(ref('c'), ref('t')))),
  store('im', i, add(load('im', i), mul(ref('t'), num(-1)))),
];

/**
 * `for (j = 0; j < k; j++) { c = tw[h]; for (i = j; i < n; i += k2) body; h += 1 }` with k2 = |s| + 1,
 * then `after`: a complex FFT stage of fili's shape (nativeNestShapes.test.ts varies its body).
 */
export function complexStage(name: string, body: readonly Stmt[], after: readonly Stmt[] = []): Kernel {
  return kernel({
    name,
    pattern: 'nested',
    result: { kind: 'void' },
    params: [
      arrayParam('re', 'f64', 'readwrite'),
      arrayParam('im', 'f64', 'readwrite'),
      arrayParam('tw', 'f64', 'read'),
      scalarParam('n', 'f64'),
      scalarParam('s', 'f64'),
      scalarParam('k', 'f64'),
    ],
    body: [
      { kind: 'let', name: 'ik', dtype: 'f64', init: num(0) },
      { kind: 'let', name: 'c', dtype: 'f64', init: num(0) },
      { kind: 'let', name: 'h', dtype: 'f64', init: num(0) },
      stepFromS('k2'),
      for_('j', num(0), ref('k'), [
        assign('c', load('tw', ref('h'))),
        { kind: 'let', name: 'i_0', dtype: 'f64', init: j },
        for_('i', ref('i_0'), ref('n'), [...body], { stepExpr: ref('k2') }),
        assign('h', add(ref('h'), num(1))),
      ]),
      ...after,
    ],
  });
}

/**
 * A complex FFT stage: the interchange needs re, im and tw apart in memory (checked at run time:
 * overlapping views run the plain fast nest).
 */
export const stage2 = complexStage('ver_stage2', complexButterfly);

/**
 * dsp.js's calculateSpectrum: `mag = sqrt(re² + im²) * scale; if (mag > peak) { band = i; peak = mag }
 * spectrum[i] = mag` — split by fission into the map and a running arg-max over the stored values.
 */
export const peak = kernel({
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
  stage2,
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
