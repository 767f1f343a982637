// The TypeScript reference implementations: the oracle of the property tests and the last
// fallback backend. Plain left-to-right loops in f64 (JS numbers); Float32Array results are
// rounded once per element on store. Semantics (empty inputs, NaN, bins, borders) match the addon.
import type { CallOptions, FloatArray, NumArray, Routines } from './types.js';
import { Check, type Checked, type DType } from './validate.js';

type Out = Float64Array | Float32Array;

export function refSum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** Corrected two-pass variance (Chan, Golub & LeVeque 1983): Σd² − (Σd)²/n with d = x − mean. */
export function refVariance(x: ArrayLike<number>, ddof: number): number {
  const n = x.length;
  if (n === 0 || n <= ddof) return NaN;
  const m = refSum(x) / n;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    s1 += d;
    s2 += d * d;
  }
  const v = (s2 - (s1 * s1) / n) / (n - ddof);
  return v < 0 ? 0 : v;
}

function minmax(x: ArrayLike<number>): { mn: number; mx: number; nan: boolean } {
  let mn = Infinity;
  let mx = -Infinity;
  let nan = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) nan = true;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  return { mn, mx, nan };
}

function argext(x: ArrayLike<number>, wantMin: boolean): number {
  if (x.length === 0) return -1;
  const { mn, mx, nan } = minmax(x);
  const t = wantMin ? mn : mx;
  for (let i = 0; i < x.length; i++) if (nan ? x[i] !== x[i] : x[i] === t) return i;
  return -1;
}

/** LAPACK-style scaled sum of squares: no overflow or underflow. */
export function refNrm2(x: ArrayLike<number>): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) return NaN;
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a === Infinity) scale = Infinity;
    else if (scale < a) {
      ssq = 1 + ssq * (scale / a) ** 2;
      scale = a;
    } else ssq += (a / scale) ** 2;
  }
  return scale === Infinity ? Infinity : scale * Math.sqrt(ssq);
}

function dotOf(x: ArrayLike<number>, y: ArrayLike<number>, xo = 0, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[xo + i]! * y[i]!;
  return s;
}

const resultDt = (c: Checked): DType => (c.dt === 'f32' ? 'f32' : 'f64');

type Unary = (v: number) => number;
function unary(fn: string, f: Unary) {
  return (x: unknown, o?: unknown): Out => {
    const c = new Check(fn);
    const X = c.array(x, 'x');
    c.noInt(X);
    const out = c.output(c.opts(o), resultDt(X), X.a.length);
    c.disjoint(out, [[X, 'x']], 'exact');
    for (let i = 0; i < out.length; i++) out[i] = f(X.a[i]!);
    return out;
  };
}
function binary(fn: string, f: (a: number, b: number) => number) {
  return (x: unknown, y: unknown, o?: unknown): Out => {
    const c = new Check(fn);
    const X = c.array(x, 'x');
    const Y = c.array(y, 'y');
    c.same(X, Y, 'x', 'y');
    c.noInt(X);
    const out = c.output(c.opts(o), resultDt(X), X.a.length);
    c.disjoint(
      out,
      [
        [X, 'x'],
        [Y, 'y'],
      ],
      'exact',
    );
    for (let i = 0; i < out.length; i++) out[i] = f(X.a[i]!, Y.a[i]!);
    return out;
  };
}
function reduce(fn: string, f: (x: ArrayLike<number>, ddof: number) => number) {
  return (x: unknown, o?: unknown): number => {
    const c = new Check(fn);
    const X = c.array(x, 'x');
    return f(X.a, c.opts(o).ddof);
  };
}

function checkedLen(c: Check, a: Checked, want: number, name: string, shape: string): void {
  if (a.a.length !== want) c.range(`${name} has length ${a.a.length} but ${shape} needs ${want}`);
}

const impl = {
  sum: reduce('sum', (x) => refSum(x)),
  mean: reduce('mean', (x) => (x.length ? refSum(x) / x.length : NaN)),
  variance: reduce('variance', refVariance),
  std: reduce('std', (x, d) => Math.sqrt(refVariance(x, d))),
  min: reduce('min', (x) => {
    const r = minmax(x);
    return r.nan ? NaN : r.mn;
  }),
  max: reduce('max', (x) => {
    const r = minmax(x);
    return r.nan ? NaN : r.mx;
  }),
  argmin: reduce('argmin', (x) => argext(x, true)),
  argmax: reduce('argmax', (x) => argext(x, false)),
  nrm2: reduce('nrm2', refNrm2),
  dot(x: unknown, y: unknown, o?: unknown): number {
    const c = new Check('dot');
    const X = c.array(x, 'x');
    const Y = c.array(y, 'y');
    c.same(X, Y, 'x', 'y');
    c.opts(o);
    return dotOf(X.a, Y.a);
  },
  axpy(a: unknown, x: unknown, y: unknown, o?: unknown): Out {
    const c = new Check('axpy');
    const av = c.number(a, 'a');
    const X = c.array(x, 'x');
    const Y = c.array(y, 'y', false);
    c.same(X, Y, 'x', 'y');
    c.noInt(X);
    if (c.opts(o).out) c.type('axpy updates y in place; options.out is not supported');
    const out = y as Out;
    for (let i = 0; i < out.length; i++) out[i] = av * X.a[i]! + out[i]!;
    return out;
  },
  scale(a: unknown, x: unknown, o?: unknown): Out {
    const c = new Check('scale');
    const av = c.number(a, 'a');
    const X = c.array(x, 'x');
    c.noInt(X);
    const out = c.output(c.opts(o), resultDt(X), X.a.length);
    c.disjoint(out, [[X, 'x']], 'exact');
    for (let i = 0; i < out.length; i++) out[i] = av * X.a[i]!;
    return out;
  },
  add: binary('add', (a, b) => a + b),
  sub: binary('sub', (a, b) => a - b),
  mul: binary('mul', (a, b) => a * b),
  div: binary('div', (a, b) => a / b),
  exp: unary('exp', Math.exp),
  log: unary('log', Math.log),
  sqrt: unary('sqrt', Math.sqrt),
  sin: unary('sin', Math.sin),
  cos: unary('cos', Math.cos),
  pow(x: unknown, p: unknown, o?: unknown): Out {
    const c = new Check('pow');
    const X = c.array(x, 'x');
    let P: Checked | undefined;
    if (typeof p !== 'number') {
      P = c.array(p, 'p');
      c.same(X, P, 'x', 'p');
    }
    c.noInt(X);
    const out = c.output(c.opts(o), resultDt(X), X.a.length);
    c.disjoint(
      out,
      P
        ? [
            [X, 'x'],
            [P, 'p'],
          ]
        : [[X, 'x']],
      'exact',
    );
    for (let i = 0; i < out.length; i++) out[i] = Math.pow(X.a[i]!, P ? P.a[i]! : (p as number));
    return out;
  },
  cumsum(x: unknown, o?: unknown): Out {
    const c = new Check('cumsum');
    const X = c.array(x, 'x');
    c.noInt(X);
    const out = c.output(c.opts(o), resultDt(X), X.a.length);
    c.disjoint(out, [[X, 'x']], 'exact');
    let acc = 0;
    for (let i = 0; i < out.length; i++) out[i] = acc += X.a[i]!;
    return out;
  },
  histogram(x: unknown, bins: unknown, lo: unknown, hi: unknown, o?: unknown): Float64Array {
    const c = new Check('histogram');
    const X = c.array(x, 'x');
    const nb = c.size(bins, 'bins');
    if (nb < 1 || nb > 2 ** 24) c.range(`bins must be from 1 to 16777216, got ${nb}`);
    const l = c.finite(lo, 'lo');
    const h = c.finite(hi, 'hi');
    if (!(l < h)) c.range(`lo must be less than hi, got lo = ${l}, hi = ${h}`);
    const counts = c.output(c.opts(o), 'f64', nb) as Float64Array;
    c.disjoint(counts, [[X, 'x']], 'none');
    counts.fill(0);
    const w = nb / (h - l);
    for (let i = 0; i < X.a.length; i++) {
      const v = X.a[i]!;
      if (!(v >= l && v <= h)) continue;
      const b = Math.min(Math.floor((v - l) * w), nb - 1);
      counts[b]! += 1;
    }
    return counts;
  },
  gemv(m: unknown, n: unknown, A: unknown, x: unknown, o?: unknown): Out {
    const c = new Check('gemv');
    const M = c.size(m, 'm');
    const N = c.size(n, 'n');
    const a = c.array(A, 'A');
    const X = c.array(x, 'x');
    c.noInt(a);
    c.same(a, X, 'A', 'x', false);
    checkedLen(c, a, M * N, 'A', `m × n = ${M} × ${N}`);
    checkedLen(c, X, N, 'x', `n = ${N}`);
    const op = c.opts(o);
    const y = c.output(op, resultDt(a), M);
    c.disjoint(
      y,
      [
        [a, 'A'],
        [X, 'x'],
      ],
      'none',
    );
    const beta = op.out ? op.beta : 0;
    for (let i = 0; i < M; i++) {
      const d = op.alpha * dotOf(a.a, X.a, i * N, N);
      y[i] = beta === 0 ? d : d + beta * y[i]!;
    }
    return y;
  },
  gemm(m: unknown, n: unknown, k: unknown, A: unknown, B: unknown, o?: unknown): Out {
    const c = new Check('gemm');
    const M = c.size(m, 'm');
    const N = c.size(n, 'n');
    const K = c.size(k, 'k');
    const a = c.array(A, 'A');
    const b = c.array(B, 'B');
    c.noInt(a);
    c.same(a, b, 'A', 'B', false);
    checkedLen(c, a, M * K, 'A', `m × k = ${M} × ${K}`);
    checkedLen(c, b, K * N, 'B', `k × n = ${K} × ${N}`);
    const op = c.opts(o);
    const C = c.output(op, resultDt(a), M * N);
    c.disjoint(
      C,
      [
        [a, 'A'],
        [b, 'B'],
      ],
      'none',
    );
    const beta = op.out ? op.beta : 0;
    const row = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      row.fill(0);
      for (let p = 0; p < K; p++) {
        const aip = op.alpha * a.a[i * K + p]!;
        for (let j = 0; j < N; j++) row[j]! += aip * b.a[p * N + j]!;
      }
      for (let j = 0; j < N; j++) C[i * N + j] = beta === 0 ? row[j]! : row[j]! + beta * C[i * N + j]!;
    }
    return C;
  },
  conv1d(x: unknown, w: unknown, o?: unknown): Out {
    const c = new Check('conv1d');
    const X = c.array(x, 'x');
    const W = c.array(w, 'w');
    c.noInt(X);
    c.same(X, W, 'x', 'w', false);
    const k = W.a.length;
    if (k === 0) c.range('w is empty; pass at least one weight');
    if (k > X.a.length)
      c.range(`w has length ${k} but x only ${X.a.length}; 'valid' correlation needs w no longer than x`);
    const out = c.output(c.opts(o), resultDt(X), X.a.length - k + 1);
    c.disjoint(
      out,
      [
        [X, 'x'],
        [W, 'w'],
      ],
      'none',
    );
    for (let i = 0; i < out.length; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += W.a[j]! * X.a[i + j]!;
      out[i] = s;
    }
    return out;
  },
  stencil2d(src: unknown, rows: unknown, cols: unknown, weights: unknown, o?: unknown): Out {
    const c = new Check('stencil2d');
    const S = c.array(src, 'src');
    const R = c.size(rows, 'rows');
    const C = c.size(cols, 'cols');
    const W = c.array(weights, 'weights');
    c.noInt(S);
    c.same(S, W, 'src', 'weights', false);
    checkedLen(c, S, R * C, 'src', `rows × cols = ${R} × ${C}`);
    if (W.a.length !== 9 && W.a.length !== 25)
      c.range(`weights has length ${W.a.length}; pass 9 (3×3) or 25 (5×5) weights, row-major`);
    const r = W.a.length === 9 ? 1 : 2;
    const D = 2 * r + 1;
    const out = c.output(c.opts(o), resultDt(S), S.a.length);
    c.disjoint(
      out,
      [
        [S, 'src'],
        [W, 'weights'],
      ],
      'none',
    );
    for (let i = 0; i < R; i++)
      for (let j = 0; j < C; j++) {
        if (i < r || i + r >= R || j < r || j + r >= C) {
          out[i * C + j] = S.a[i * C + j]!;
          continue;
        }
        let s = 0;
        for (let di = 0; di < D; di++)
          for (let dj = 0; dj < D; dj++) s += W.a[di * D + dj]! * S.a[(i + di - r) * C + (j + dj - r)]!;
        out[i * C + j] = s;
      }
    return out;
  },
};

/** The reference routines, typed as the public API (the runtime checks make the casts sound). */
export const reference = impl as unknown as Routines;

export type { CallOptions, FloatArray, NumArray };
