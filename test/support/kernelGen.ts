// Random kernels within the IR's supported space, for the differential fuzz tests of every emitter.
// Statements: stores, `let` temporaries, if/else around stores and conditional accumulations.
// Patterns (map, reduce with 1–3 accumulators, map-reduce, scan, stencil 1-D/2-D, gemv, gemm,
// conv 1-D/2-D, nested outer products) × element types (f64, f32, i32 typed arrays, and f64
// `number[]`) × expression shapes (arithmetic, Math calls, select/comparisons, constants, scalar
// params, const tables). Deterministic in (seed, index).
//
// What the generator avoids, so that every emitter can reproduce the JS result (exactly, or within
// the derived tolerance of `compareOutputs`):
// - integer kernels use only +, −, * by a small constant, Math.imul by a small constant, & | ^ with
//   constant masks, >> by 1–3, Math.abs/min/max and select: no division or % (no i32 division by
//   zero, no fractional values to truncate), no >>> (uint32 results stored into Int32Array);
//   magnitudes stay below 2³¹ before every store (inputs within ±1000, depth ≤ 3);
// - accumulators are f64 locals (as in the JS), so integer sums are exact in any order;
// - products (prod reductions) multiply factors in [0.99, 1.01] so neither order overflows;
// - no out-of-bounds reads (`makeInputs` sizes arrays by probing), no booleans stored or returned,
//   no `&&`/`||` on numbers, no Math.round (JS rounds half up: a common porting trap, tested in
//   fixtures instead), no NaN/Infinity-dependent control flow in loop bounds;
// - with `allowDiscontinuous: false`: no floor/ceil/trunc/sign and no select/if on float values (a
//   GPU's f32 value may fall on the other side of a step); integer kernels keep them (ints are exact).
import type { ArrayParam, Expr, Kernel, Param, Pattern, Reduction, Stmt } from '../../src/core/ir/types.js';
import {
  add,
  arrayParam,
  assign,
  bin,
  call,
  div,
  for_,
  if_,
  kernel,
  len,
  let_,
  load,
  mul,
  num,
  ref,
  scalarParam,
  select,
  store,
  sub,
  un,
} from '../../src/core/ir/build.js';
import { Rng } from '../../src/core/ir/random.js';

/** Element type families of generated kernels: typed f64/f32/i32, or a `number[]` (f64). */
export type GenDType = 'f64' | 'f32' | 'i32' | 'array';

export interface GenerateOptions {
  readonly seed: number;
  readonly count: number;
  /** Patterns to draw from, round-robin (default: all). */
  readonly patterns?: readonly Pattern[];
  readonly dtypes?: readonly GenDType[];
  /** Allow floor/ceil/trunc/sign and select on float values (default true). */
  readonly allowDiscontinuous?: boolean;
}

export const ALL_PATTERNS: readonly Pattern[] = [
  'map',
  'reduce',
  'map-reduce',
  'scan',
  'stencil',
  'gemv',
  'gemm',
  'conv',
  'nested',
];
export const ALL_GEN_DTYPES: readonly GenDType[] = ['f64', 'f32', 'i32', 'array'];

/** Default seed of the fuzz tests; override with HOTLOOP_FUZZ_SEED. */
export const DEFAULT_FUZZ_SEED = 20261125;

/** Seed and count for a fuzz test: HOTLOOP_FUZZ_SEED / HOTLOOP_FUZZ_COUNT when set, else the defaults. */
export function fuzzConfig(defaultCount: number): { seed: number; count: number } {
  const parse = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
    return v;
  };
  return {
    seed: parse('HOTLOOP_FUZZ_SEED', DEFAULT_FUZZ_SEED),
    count: parse('HOTLOOP_FUZZ_COUNT', defaultCount),
  };
}

interface Ctx {
  readonly rng: Rng;
  readonly int: boolean;
  readonly disc: boolean;
  /** Leaves an expression may use (loads at the current index, scalars, the index itself). */
  readonly leaves: readonly Expr[];
}

const FLOAT_CONSTS = [0.5, 2, 3, -1.25, 0.1, 1.5, -0.75];
const SAFE_UNARY = ['abs', 'sin', 'cos', 'tanh', 'atan', 'sqrt', 'exp', 'log1p', 'cbrt', 'expm1'] as const;
const STEP_UNARY = ['floor', 'ceil', 'trunc', 'sign'] as const;
const CMP = ['<', '<=', '>', '>=', '===', '!=='] as const;

function leaf(c: Ctx): Expr {
  if (c.rng.chance(0.15)) return c.int ? num(c.rng.int(-5, 7)) : num(c.rng.pick(FLOAT_CONSTS));
  return c.rng.pick(c.leaves);
}

function floatExpr(c: Ctx, depth: number): Expr {
  const r = c.rng;
  if (depth <= 0 || r.chance(0.25)) return leaf(c);
  const sub1 = (): Expr => floatExpr(c, depth - 1);
  const roll = r.next();
  if (roll < 0.5) {
    const op = r.pick(['+', '-', '*', '*', '+'] as const);
    return bin(op, sub1(), sub1());
  }
  if (roll < 0.58) return div(sub1(), add(num(1), call('abs', sub1()))); // denominator ≥ 1
  if (roll < 0.75) {
    const fn = r.pick(SAFE_UNARY);
    // exp/expm1 of a damped argument keep results finite at these magnitudes; log1p of |x|.
    if (fn === 'exp' || fn === 'expm1') return call(fn, mul(num(0.25), sub1()));
    if (fn === 'log1p' || fn === 'sqrt') return call(fn, call('abs', sub1()));
    return call(fn, sub1());
  }
  if (roll < 0.85) return call(r.pick(['min', 'max', 'hypot', 'atan2'] as const), sub1(), sub1());
  if (roll < 0.9) return bin('**', sub1(), num(2));
  if (c.disc && roll < 0.95) return call(r.pick(STEP_UNARY), sub1());
  if (c.disc) return select(bin(r.pick(CMP.slice(0, 4)), sub1(), sub1()), sub1(), sub1());
  return bin('-', num(0), sub1());
}

function intExpr(c: Ctx, depth: number): Expr {
  const r = c.rng;
  if (depth <= 0 || r.chance(0.25)) return leaf(c);
  const sub1 = (): Expr => intExpr(c, depth - 1);
  const roll = r.next();
  if (roll < 0.4) return bin(r.pick(['+', '-'] as const), sub1(), sub1());
  if (roll < 0.5) return mul(sub1(), num(r.int(-7, 7)));
  if (roll < 0.55) return call('imul', sub1(), num(r.int(-7, 7)));
  if (roll < 0.68)
    return bin(r.pick(['&', '|', '^'] as const), sub1(), num(r.pick([0xff, 0x3f0, 0x7, 0xfff0, -16])));
  if (roll < 0.74) return bin('>>', sub1(), num(r.int(1, 3)));
  if (roll < 0.78) return call('abs', sub1());
  if (roll < 0.86) return call(r.pick(['min', 'max'] as const), sub1(), sub1());
  return select(bin(r.pick(CMP), sub1(), sub1()), sub1(), sub1());
}

const expr = (c: Ctx, depth = 3): Expr => (c.int ? intExpr(c, depth) : floatExpr(c, depth));

interface Shape {
  readonly dt: GenDType;
  readonly dtype: 'f64' | 'f32' | 'i32';
  readonly container: 'typed' | 'array';
  readonly int: boolean;
}

function shapeOf(dt: GenDType): Shape {
  return {
    dt,
    dtype: dt === 'array' ? 'f64' : dt,
    container: dt === 'array' ? 'array' : 'typed',
    int: dt === 'i32',
  };
}

const arr = (s: Shape, name: string, access: 'read' | 'write' | 'readwrite'): ArrayParam =>
  arrayParam(name, s.dtype, access, s.container);

/** Leaves for an expression at index `idx` over the given input arrays (plus scalar `alpha` for floats). */
function ctxFor(
  rng: Rng,
  s: Shape,
  disc: boolean,
  inputs: readonly string[],
  idx: Expr,
  extra: readonly Expr[] = [],
): Ctx {
  const leaves = [...inputs.map((a) => load(a, idx)), ...extra];
  return { rng, int: s.int, disc, leaves };
}

type Gen = (rng: Rng, s: Shape, disc: boolean) => Omit<Kernel, 'irVersion' | 'name' | 'inlined'>;

const i = ref('i');
const n = ref('n');
/** `e + d` written the way a person would (`i - 1`, `i`, `i + 2`). */
const offset = (e: Expr, d: number): Expr => (d < 0 ? sub(e, num(-d)) : d === 0 ? e : add(e, num(d)));

/** A comparison of two small expressions (branch conditions; only where steps are allowed or data is integer). */
const condition = (c: Ctx): Expr => bin(c.rng.pick(CMP.slice(0, 4)), expr(c, 1), expr(c, 1));

/** A map body: a plain store, a temporary then a store, or an if/else of stores. */
function mapBody(c: Ctx, target: string): Stmt[] {
  const roll = c.rng.next();
  if (roll < 0.25) {
    const withT: Ctx = { ...c, leaves: [...c.leaves, ref('t'), ref('t')] };
    return [let_('t', expr(c, 2)), store(target, i, expr(withT))];
  }
  if (roll < 0.45 && (c.disc || c.int)) {
    return [
      if_(condition(c), [store(target, i, expr(c))], c.rng.chance(0.7) ? [store(target, i, expr(c))] : []),
    ];
  }
  return [store(target, i, expr(c))];
}

const genMap: Gen = (rng, s, disc) => {
  const inPlace = rng.chance(0.25);
  const useLen = rng.chance(0.4);
  const inputs = rng.chance(0.5) ? ['a', 'b'] : ['a'];
  const params: Param[] = inputs.map((a) => arr(s, a, inPlace && a === 'a' ? 'readwrite' : 'read'));
  if (!inPlace) params.push(arr(s, 'out', 'write'));
  const extra: Expr[] = [];
  if (!s.int && rng.chance(0.5)) {
    params.push(scalarParam('alpha', 'f64'));
    extra.push(ref('alpha'));
  }
  if (!useLen) params.push(scalarParam('n'));
  const c = ctxFor(rng, s, disc, inputs, i, extra);
  const target = inPlace ? 'a' : 'out';
  const body = [for_('i', num(0), useLen ? len('a') : n, mapBody(c, target), { parallel: [] })];
  return {
    params,
    consts: [],
    body,
    result: rng.chance(0.5) ? { kind: 'array', name: target } : { kind: 'void' },
    pattern: 'map',
    orderSensitive: false,
  };
};

const REDUCTION_INIT: Record<Reduction['op'], number | '-Infinity' | 'Infinity'> = {
  sum: 0,
  prod: 1,
  min: 'Infinity',
  max: '-Infinity',
};

function reductionStep(r: Reduction, term: Expr): Stmt {
  const acc = ref(r.name);
  switch (r.op) {
    case 'sum':
      return assign(r.name, add(acc, term));
    // Factors in [0.99, 1.01]: the product stays finite in every order.
    case 'prod':
      return assign(r.name, mul(acc, add(num(1), mul(num(0.01), call('tanh', term)))));
    case 'min':
      return assign(r.name, call('min', acc, term));
    case 'max':
      return assign(r.name, call('max', acc, term));
  }
}

const genReduce: Gen = (rng, s, disc) => {
  const inputs = rng.chance(0.5) ? ['a', 'b'] : ['a'];
  const useLen = rng.chance(0.4);
  const params: Param[] = inputs.map((a) => arr(s, a, 'read'));
  if (!useLen) params.push(scalarParam('n'));
  const count = rng.int(1, 3);
  const ops: Reduction['op'][] = s.int ? ['sum', 'min', 'max'] : ['sum', 'sum', 'prod', 'min', 'max'];
  const reds: Reduction[] = Array.from({ length: count }, (_, k) => ({ name: `s${k}`, op: rng.pick(ops) }));
  const c = ctxFor(rng, s, disc, inputs, i);
  const body: Stmt[] = [
    ...reds.map((r) => let_(r.name, num(REDUCTION_INIT[r.op]))),
    for_(
      'i',
      num(0),
      useLen ? len('a') : n,
      reds.map((r) => {
        const step = reductionStep(r, expr(c));
        // A conditional accumulation (count-above, sum of positives) is still a reduction.
        return (disc || s.int) && rng.chance(0.2) ? if_(condition(c), [step]) : step;
      }),
      { parallel: reds },
    ),
  ];
  let result: Expr = ref('s0');
  if (count > 1) result = reds.slice(1).reduce<Expr>((e, r) => add(e, ref(r.name)), ref('s0'));
  const floatSum = !s.int && reds.some((r) => r.op === 'sum' || r.op === 'prod');
  return {
    params,
    consts: [],
    body,
    result: { kind: 'scalar', expr: result },
    pattern: 'reduce',
    orderSensitive: floatSum,
  };
};

const genMapReduce: Gen = (rng, s, disc) => {
  // A two-pass variance-like kernel: mean, then a reduction of a function of the deviation.
  const params: Param[] = [arr(s, 'a', 'read'), scalarParam('n')];
  const writeDev = rng.chance(0.4);
  if (writeDev) params.push(arrayParam('dev', s.int ? 'f64' : s.dtype, 'write', s.container));
  const c = ctxFor(rng, s, disc, ['a'], i);
  const d = ref('d');
  const c2: Ctx = { rng, int: false, disc, leaves: [d, d, load('a', i)] };
  const body: Stmt[] = [
    let_('s', num(0)),
    for_('i', num(0), n, [assign('s', add(ref('s'), s.int ? load('a', i) : expr(c, 2)))], {
      parallel: [{ name: 's', op: 'sum' }],
    }),
    let_('mean', div(ref('s'), n)),
    let_('ss', num(0)),
    for_(
      'i',
      num(0),
      n,
      [
        let_('d', sub(load('a', i), ref('mean'))),
        ...(writeDev ? [store('dev', i, d)] : []),
        assign('ss', add(ref('ss'), rng.chance(0.5) ? mul(d, d) : floatExpr(c2, 2))),
      ],
      { parallel: [{ name: 'ss', op: 'sum' }] },
    ),
  ];
  const result = rng.chance(0.5) ? div(ref('ss'), n) : call('sqrt', div(ref('ss'), n));
  return {
    params,
    consts: [],
    body,
    result: { kind: 'scalar', expr: result },
    pattern: 'map-reduce',
    orderSensitive: true,
  };
};

const genScan: Gen = (rng, s, disc) => {
  if (rng.chance(0.3)) {
    // In place: a[i] = a[i - 1] + f(a[i]) (f never sees a[i - 1]: no exponential growth).
    const c: Ctx = { rng, int: s.int, disc, leaves: [load('a', i)] };
    const combine = s.int
      ? add(load('a', sub(i, num(1))), load('a', i))
      : add(load('a', sub(i, num(1))), expr(c, 1));
    return {
      params: [arr(s, 'a', 'readwrite'), scalarParam('n')],
      consts: [],
      body: [for_('i', num(1), n, [store('a', i, combine)])],
      result: { kind: 'void' },
      pattern: 'scan',
      orderSensitive: !s.int,
    };
  }
  const op = rng.pick(['sum', 'sum', 'max', 'min'] as const);
  const c = ctxFor(rng, s, disc, ['a'], i);
  const step = reductionStep({ name: 'acc', op }, s.int ? load('a', i) : expr(c, 2));
  return {
    params: [arr(s, 'a', 'read'), arr(s, 'out', 'write'), scalarParam('n')],
    consts: [],
    body: [let_('acc', num(REDUCTION_INIT[op])), for_('i', num(0), n, [step, store('out', i, ref('acc'))])],
    result: rng.chance(0.5) ? { kind: 'scalar', expr: ref('acc') } : { kind: 'array', name: 'out' },
    pattern: 'scan',
    orderSensitive: !s.int && op === 'sum',
  };
};

function weights(rng: Rng, s: Shape, k: number): number[] {
  return Array.from({ length: k }, () =>
    s.int ? rng.int(-3, 3) : rng.pick([0.25, 0.5, -1, 0.125, 1, 2, -0.5]),
  );
}

const genStencil: Gen = (rng, s, disc) => {
  if (rng.chance(0.5)) {
    const r = rng.int(1, 2);
    const w = weights(rng, s, 2 * r + 1);
    let sum: Expr = mul(num(w[0]!), load('a', offset(i, -r)));
    for (let k = 1; k < w.length; k++) sum = add(sum, mul(num(w[k]!), load('a', offset(i, k - r))));
    if (rng.chance(0.3)) sum = add(sum, expr(ctxFor(rng, s, disc, ['a'], i), 1));
    return {
      params: [arr(s, 'a', 'read'), arr(s, 'out', 'write'), scalarParam('n')],
      consts: [],
      body: [for_('i', num(r), sub(n, num(r)), [store('out', i, sum)], { parallel: [] })],
      result: { kind: 'void' },
      pattern: 'stencil',
      orderSensitive: false,
    };
  }
  // 2-D 3×3 (or 5-point) stencil over a w×h row-major image, weights from a const table.
  const at = (dy: number, dx: number): Expr =>
    load('img', add(mul(offset(ref('y'), dy), ref('w')), offset(ref('x'), dx)));
  const five = rng.chance(0.3);
  const taps = five
    ? [
        [0, -1],
        [-1, 0],
        [0, 0],
        [1, 0],
        [0, 1],
      ]
    : [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx]));
  const useTable = rng.chance(0.6);
  const w = weights(rng, s, taps.length);
  let sum: Expr | undefined;
  taps.forEach(([dy, dx], k) => {
    const term = mul(useTable ? load('K', num(k)) : num(w[k]!), at(dy!, dx!));
    sum = sum ? add(sum, term) : term;
  });
  return {
    params: [arr(s, 'img', 'read'), arr(s, 'out', 'write'), scalarParam('w'), scalarParam('h')],
    consts: useTable ? [{ kind: 'const-array', name: 'K', dtype: 'f64', values: w }] : [],
    body: [
      for_(
        'y',
        num(1),
        sub(ref('h'), num(1)),
        [
          for_('x', num(1), sub(ref('w'), num(1)), [
            store('out', add(mul(ref('y'), ref('w')), ref('x')), sum!),
          ]),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'stencil',
    orderSensitive: false,
  };
};

const genGemv: Gen = (rng, s) => {
  const scaled = !s.int && rng.chance(0.5);
  const j = ref('j');
  const dot = assign('s', add(ref('s'), mul(load('A', add(mul(i, ref('n')), j)), load('x', j))));
  const out = scaled ? add(mul(ref('alpha'), ref('s')), mul(ref('beta'), load('y', i))) : ref('s');
  return {
    params: [
      arr(s, 'A', 'read'),
      arr(s, 'x', 'read'),
      arr(s, 'y', scaled ? 'readwrite' : 'write'),
      scalarParam('m'),
      scalarParam('n'),
      ...(scaled ? [scalarParam('alpha', 'f64'), scalarParam('beta', 'f64')] : []),
    ],
    consts: [],
    body: [
      for_(
        'i',
        num(0),
        ref('m'),
        [
          let_('s', num(0)),
          for_('j', num(0), n, [dot], { parallel: [{ name: 's', op: 'sum' }] }),
          store('y', i, out),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'gemv',
    orderSensitive: !s.int,
  };
};

const genGemm: Gen = (rng, s) => {
  const [I, J, K] = [ref('i'), ref('j'), ref('k')];
  const scaled = !s.int && rng.chance(0.4);
  const out = scaled
    ? add(mul(ref('alpha'), ref('s')), mul(ref('beta'), load('C', add(mul(I, ref('p')), J))))
    : ref('s');
  return {
    params: [
      arr(s, 'A', 'read'),
      arr(s, 'B', 'read'),
      arr(s, 'C', scaled ? 'readwrite' : 'write'),
      scalarParam('m'),
      scalarParam('p'),
      scalarParam('q'),
      ...(scaled ? [scalarParam('alpha', 'f64'), scalarParam('beta', 'f64')] : []),
    ],
    consts: [],
    body: [
      for_(
        'i',
        num(0),
        ref('m'),
        [
          for_('j', num(0), ref('p'), [
            let_('s', num(0)),
            for_(
              'k',
              num(0),
              ref('q'),
              [
                assign(
                  's',
                  add(
                    ref('s'),
                    mul(load('A', add(mul(I, ref('q')), K)), load('B', add(mul(K, ref('p')), J))),
                  ),
                ),
              ],
              { parallel: [{ name: 's', op: 'sum' }] },
            ),
            store('C', add(mul(I, ref('p')), J), out),
          ]),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'gemm',
    orderSensitive: !s.int,
  };
};

const genConv: Gen = (rng, s) => {
  const j = ref('j');
  if (rng.chance(0.6)) {
    // 1-D valid convolution of x (length n) with a short filter w of `taps` coefficients.
    const taps = rng.int(2, 7);
    return {
      params: [arr(s, 'x', 'read'), arr(s, 'w', 'read'), arr(s, 'out', 'write'), scalarParam('n')],
      consts: [],
      body: [
        for_(
          'i',
          num(0),
          sub(n, num(taps - 1)),
          [
            let_('s', num(0)),
            for_(
              'j',
              num(0),
              num(taps),
              [assign('s', add(ref('s'), mul(load('x', add(i, j)), load('w', j))))],
              { parallel: [{ name: 's', op: 'sum' }] },
            ),
            store('out', i, ref('s')),
          ],
          { parallel: [] },
        ),
      ],
      result: { kind: 'void' },
      pattern: 'conv',
      orderSensitive: !s.int,
    };
  }
  // 2-D valid 3×3 convolution with a const kernel table.
  const [y, x, ky, kx] = [ref('y'), ref('x'), ref('ky'), ref('kx')];
  const ow = sub(ref('w'), num(2));
  return {
    params: [arr(s, 'img', 'read'), arr(s, 'out', 'write'), scalarParam('w'), scalarParam('h')],
    consts: [{ kind: 'const-array', name: 'K', dtype: 'f64', values: weights(rng, s, 9) }],
    body: [
      for_(
        'y',
        num(0),
        sub(ref('h'), num(2)),
        [
          for_('x', num(0), ow, [
            let_('s', num(0)),
            for_('ky', num(0), num(3), [
              for_('kx', num(0), num(3), [
                assign(
                  's',
                  add(
                    ref('s'),
                    mul(
                      load('img', add(mul(add(y, ky), ref('w')), add(x, kx))),
                      load('K', add(mul(ky, num(3)), kx)),
                    ),
                  ),
                ),
              ]),
            ]),
            store('out', add(mul(y, ow), x), ref('s')),
          ]),
        ],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'conv',
    orderSensitive: !s.int,
  };
};

const genNested: Gen = (rng, s, disc) => {
  // Outer product / pairwise map: out[i*m + j] = f(a[i], b[j]).
  const c: Ctx = { rng, int: s.int, disc, leaves: [load('a', i), load('b', ref('j'))] };
  return {
    params: [
      arr(s, 'a', 'read'),
      arr(s, 'b', 'read'),
      arr(s, 'out', 'write'),
      scalarParam('n'),
      scalarParam('m'),
    ],
    consts: [],
    body: [
      for_(
        'i',
        num(0),
        n,
        [for_('j', num(0), ref('m'), [store('out', add(mul(i, ref('m')), ref('j')), expr(c))])],
        { parallel: [] },
      ),
    ],
    result: { kind: 'void' },
    pattern: 'nested',
    orderSensitive: false,
  };
};

/** A threshold test on the data that holds for a few elements of a random input (or none). */
const rare = (rng: Rng, s: Shape, at: Expr): Expr =>
  bin('>', load('a', at), num(s.int ? rng.pick([900, 980, 999]) : rng.pick([3.5, 3.9, 3.99])));

const genExit: Gen = (rng, s, disc) => {
  const c = ctxFor(rng, s, disc, ['a'], i);
  const roll = rng.next();
  const params: Param[] = [arr(s, 'a', 'read'), scalarParam('n')];
  if (roll < 0.3) {
    // First index where a condition holds (a search), with `return i` or `r = i; break`.
    const viaBreak = rng.chance(0.5);
    const hit: Stmt[] = viaBreak ? [assign('r', i), { kind: 'break' }] : [{ kind: 'return', value: i }];
    return {
      params,
      consts: [],
      pattern: 'reduce',
      orderSensitive: false,
      body: [let_('r', num(-1), 'i32'), for_('i', num(0), n, [if_(rare(rng, s, i), hit)])],
      result: { kind: 'scalar', expr: ref('r') },
    };
  }
  if (roll < 0.6) {
    // A sum that skips some elements (`continue`) and may stop early (`break`).
    const body: Stmt[] = [if_(bin('<', load('a', i), num(0)), [{ kind: 'continue' }])];
    if (rng.chance(0.5)) body.push(if_(rare(rng, s, i), [{ kind: 'break' }]));
    body.push(assign('s', add(ref('s'), s.int ? load('a', i) : expr(c, 2))));
    return {
      params,
      consts: [],
      pattern: 'reduce',
      orderSensitive: !s.int,
      body: [let_('s', num(0)), for_('i', num(0), n, body)],
      result: { kind: 'scalar', expr: ref('s') },
    };
  }
  if (roll < 0.8) {
    // A map that stops at a sentinel (`return` in a void/array kernel).
    return {
      params: [...params, arr(s, 'out', 'write')],
      consts: [],
      pattern: 'map',
      orderSensitive: false,
      body: [for_('i', num(0), n, [if_(rare(rng, s, i), [{ kind: 'return' }]), store('out', i, expr(c))])],
      result: rng.chance(0.5) ? { kind: 'array', name: 'out' } : { kind: 'void' },
    };
  }
  // Rows of a matrix summed until a sentinel: `break` in the inner loop only.
  const j = ref('j');
  const at = add(mul(i, ref('m')), j);
  return {
    params: [arr(s, 'a', 'read'), arr(s, 'out', 'write'), scalarParam('n'), scalarParam('m')],
    consts: [],
    pattern: 'nested',
    orderSensitive: !s.int,
    body: [
      for_('i', num(0), n, [
        let_('s', num(0)),
        for_('j', num(0), ref('m'), [
          if_(rare(rng, s, at), [{ kind: 'break' }]),
          assign('s', add(ref('s'), load('a', at))),
        ]),
        store('out', i, ref('s')),
      ]),
    ],
    result: { kind: 'void' },
  };
};

const genThrow: Gen = (rng, s, disc) => {
  const c = ctxFor(rng, s, disc, ['a'], i);
  const error = rng.pick(['Error', 'RangeError', 'TypeError'] as const);
  const guard = if_(rare(rng, s, i), [{ kind: 'throw', error, message: `a[i] must be small (${error})` }]);
  const before = rng.chance(0.5);
  const params: Param[] = [arr(s, 'a', 'read'), arr(s, 'out', 'write'), scalarParam('n')];
  const body: Stmt[] = before ? [guard, store('out', i, expr(c))] : [store('out', i, expr(c)), guard];
  return {
    params,
    consts: [],
    pattern: 'map',
    orderSensitive: false,
    body: [for_('i', num(0), n, body)],
    result: { kind: 'void' },
  };
};

const genStep: Gen = (rng, s, disc) => {
  const c = ctxFor(rng, s, disc, ['a'], i);
  const params: Param[] = [arr(s, 'a', 'read'), arr(s, 'out', 'write'), scalarParam('n')];
  const roll = rng.next();
  let loop: Stmt;
  if (roll < 0.35) {
    // Descending by a constant: for (let i = n - 1; i > -1; i -= k).
    const k = rng.int(1, 3);
    loop = for_('i', sub(n, num(1)), num(-1), [store('out', i, expr(c))], { step: -k });
  } else {
    // A run-time stride (`i += stride + 1`, or descending `i -= stride + 1`), evaluated once.
    params.push(scalarParam('stride'));
    const down = roll > 0.7;
    const stride = add(ref('stride'), num(1));
    loop = down
      ? for_('i', sub(n, num(1)), num(-1), [store('out', i, expr(c))], {
          step: -1,
          stepExpr: un('-', stride),
        })
      : for_('i', num(0), n, [store('out', i, expr(c))], { stepExpr: stride });
  }
  return {
    params,
    consts: [],
    pattern: 'map',
    orderSensitive: false,
    body: [loop],
    result: { kind: 'void' },
  };
};

const genRank2: Gen = (rng, s) => {
  // Row sums (or a scaled copy) of an array of rows: m[i][j], m[i].length.
  const rows: Param = { ...arr(s, 'm', 'read'), rank: 2 };
  const j = ref('j');
  const cell: Expr = { kind: 'load', array: 'm', index: i, col: j };
  const rowLen: Expr = { kind: 'len', array: 'm', row: i };
  if (rng.chance(0.5)) {
    return {
      params: [rows, arr(s, 'out', 'write')],
      consts: [],
      pattern: 'nested',
      orderSensitive: !s.int,
      body: [
        for_('i', num(0), len('m'), [
          let_('s', num(0)),
          for_('j', num(0), rowLen, [assign('s', add(ref('s'), cell))]),
          store('out', i, ref('s')),
        ]),
      ],
      result: { kind: 'void' },
    };
  }
  const out: Param = { ...arr(s, 'o', 'write'), rank: 2 };
  return {
    params: [rows, out],
    consts: [],
    pattern: 'nested',
    orderSensitive: false,
    body: [
      for_('i', num(0), len('m'), [
        for_('j', num(0), rowLen, [
          {
            kind: 'store',
            array: 'o',
            index: i,
            col: j,
            value: s.int ? mul(cell, num(3)) : add(mul(cell, num(0.5)), num(1)),
          },
        ]),
      ]),
    ],
    result: { kind: 'void' },
  };
};

const FORM_GENERATORS: Record<GenForm, Gen> = {
  exit: genExit,
  throw: genThrow,
  step: genStep,
  rank2: genRank2,
};

const GENERATORS: Record<Pattern, Gen> = {
  map: genMap,
  reduce: genReduce,
  'map-reduce': genMapReduce,
  scan: genScan,
  stencil: genStencil,
  gemv: genGemv,
  gemm: genGemm,
  conv: genConv,
  nested: genNested,
};

/** One kernel: deterministic in (seed, index). */
export function generateKernel(
  seed: number,
  index: number,
  opts: Omit<GenerateOptions, 'seed' | 'count'> = {},
): Kernel {
  const rng = new Rng((seed * 1000003 + index * 7919) >>> 0);
  const patterns = opts.patterns ?? ALL_PATTERNS;
  const pattern = patterns[index % patterns.length]!;
  const dt = rng.pick(opts.dtypes ?? ALL_GEN_DTYPES);
  const k = GENERATORS[pattern](rng, shapeOf(dt), opts.allowDiscontinuous ?? true);
  return kernel({ ...k, name: `k${index}_${pattern.replace('-', '_')}_${dt}` });
}

/** The newer IR forms, generated apart so the kernels of the patterns above stay what they were. */
export type GenForm = 'exit' | 'throw' | 'step' | 'rank2';
export const ALL_FORMS: readonly GenForm[] = ['exit', 'throw', 'step', 'rank2'];

/** One kernel of an IR form (early exits, throw guards, descending and run-time steps, rows): deterministic in (seed, index). */
export function generateFormKernel(
  seed: number,
  index: number,
  forms: readonly GenForm[] = ALL_FORMS,
  dtypes: readonly GenDType[] = ALL_GEN_DTYPES,
): Kernel {
  const rng = new Rng((seed * 1000033 + index * 7907) >>> 0);
  const form = forms[index % forms.length]!;
  const dt = rng.pick(dtypes);
  const k = FORM_GENERATORS[form](rng, shapeOf(dt), true);
  return kernel({ ...k, name: `f${index}_${form}_${dt}` });
}

/** `count` kernels of the newer IR forms, round-robin. */
export function generateFormKernels(opts: {
  seed: number;
  count: number;
  forms?: readonly GenForm[];
  dtypes?: readonly GenDType[];
}): Kernel[] {
  return Array.from({ length: opts.count }, (_, index) =>
    generateFormKernel(opts.seed, index, opts.forms, opts.dtypes),
  );
}

/** `count` random valid kernels, patterns round-robin, from `seed`. */
export function generateKernels(opts: GenerateOptions): Kernel[] {
  return Array.from({ length: opts.count }, (_, index) => generateKernel(opts.seed, index, opts));
}
