// f64 JavaScript references of bench/gpuKernels.ts, each with a per-output error bound for the f32
// kernel, and the comparison used by `bench:gpu` and its test.
// Inputs are f32-representable (Math.fround), so the f64 reference and the f32 kernel start from
// the same numbers and the error is the kernel's arithmetic, not the upload's rounding.
// Bounds (u = 2⁻²⁴): a sum of t terms in any order, f32 accumulation (FMA or not):
// 2(t+1)·u·Σ|terms| per output; saxpy 2u(|a·x| + |y|); nbody adds 64u·Σ|terms| for inverseSqrt
// (WGSL allows 2 ulp; software rasterisers are looser: 16 ulp assumed, × 3 for the cube) and the
// roundings of d, d·d + ε².

export const U32 = 2 ** -24;

export interface Ref {
  value: Float64Array;
  /** Absolute error the f32 kernel may have, per output. */
  bound: Float64Array;
}

/** Seeded f32-representable values in [lo, hi) (mulberry32). */
export function f32Values(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export function saxpyRef(a: number, x: Float32Array, y: Float32Array): Ref {
  const n = x.length;
  const value = new Float64Array(n);
  const bound = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    value[i] = a * x[i]! + y[i]!;
    bound[i] = 2 * U32 * (Math.abs(a * x[i]!) + Math.abs(y[i]!));
  }
  return { value, bound };
}

export function reduceRef(x: Float32Array, y?: Float32Array): Ref {
  let s = 0;
  let abs = 0;
  for (let i = 0; i < x.length; i++) {
    const t = y ? x[i]! * y[i]! : x[i]!;
    s += t;
    abs += Math.abs(t);
  }
  return { value: Float64Array.of(s), bound: Float64Array.of(2 * (x.length + 1) * U32 * abs) };
}

export function gemvRef(m: number, n: number, A: Float32Array, x: Float32Array): Ref {
  const value = new Float64Array(m);
  const bound = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let abs = 0;
    for (let j = 0; j < n; j++) {
      const t = A[i * n + j]! * x[j]!;
      s += t;
      abs += Math.abs(t);
    }
    value[i] = s;
    bound[i] = 2 * (n + 1) * U32 * abs;
  }
  return { value, bound };
}

/** i-k-j order (the fast JS loop); Σ|a·b| alongside for the bound. */
export function gemmRef(m: number, n: number, k: number, A: Float32Array, B: Float32Array): Ref {
  const value = new Float64Array(m * n);
  const abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let q = 0; q < k; q++) {
      const a = A[i * k + q]!;
      const aa = Math.abs(a);
      for (let j = 0; j < n; j++) {
        const b = B[q * n + j]!;
        value[i * n + j]! += a * b;
        abs[i * n + j]! += aa * Math.abs(b);
      }
    }
  const bound = abs.map((s) => 2 * (k + 1) * U32 * s);
  return { value, bound };
}

/** Accelerations of the first `count` bodies (all by default) from all n. */
export function nbodyRef(pos: Float32Array, eps2: number, count = pos.length / 4): Ref {
  const n = pos.length / 4;
  const value = new Float64Array(count * 4);
  const bound = new Float64Array(count * 4);
  for (let i = 0; i < count; i++) {
    const xi = pos[4 * i]!;
    const yi = pos[4 * i + 1]!;
    const zi = pos[4 * i + 2]!;
    let ax = 0;
    let ay = 0;
    let az = 0;
    let sx = 0;
    let sy = 0;
    let sz = 0;
    for (let j = 0; j < n; j++) {
      const dx = pos[4 * j]! - xi;
      const dy = pos[4 * j + 1]! - yi;
      const dz = pos[4 * j + 2]! - zi;
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const f = pos[4 * j + 3]! / (r2 * Math.sqrt(r2));
      ax += dx * f;
      ay += dy * f;
      az += dz * f;
      sx += Math.abs(dx * f);
      sy += Math.abs(dy * f);
      sz += Math.abs(dz * f);
    }
    value.set([ax, ay, az, 0], 4 * i);
    const c = (2 * (n + 1) + 64) * U32;
    bound.set([c * sx, c * sy, c * sz, 0], 4 * i);
  }
  return { value, bound };
}

export interface Check {
  /** max |gpu − ref| / max |ref| over the outputs (normwise relative error vs f64 JS). */
  max_rel_err: number;
  /** max bound / max |ref|: the same measure of what the bound allows. */
  tol: number;
  /** Every output within its own bound (stronger than max_rel_err ≤ tol). */
  ok: boolean;
  /** The first output outside its bound, if any. */
  worst?: string;
}

export function check(got: Float32Array, ref: Ref): Check {
  let err = 0;
  let scale = 0;
  let tol = 0;
  let worst: string | undefined;
  if (got.length < ref.value.length)
    return {
      max_rel_err: Infinity,
      tol: 0,
      ok: false,
      worst: `${got.length} outputs, want ${ref.value.length}`,
    };
  for (let i = 0; i < ref.value.length; i++) {
    const r = ref.value[i]!;
    const e = Math.abs(got[i]! - r);
    scale = Math.max(scale, Math.abs(r));
    tol = Math.max(tol, ref.bound[i]!);
    // NaN never passes; an exact match always does (bound 0 for exact zeros).
    if (!(e <= ref.bound[i]!) && worst === undefined)
      worst = `[${i}] = ${got[i]}, want ${r} ± ${ref.bound[i]!.toExponential(2)}`;
    err = Math.max(err, Number.isNaN(e) ? Infinity : e);
  }
  const s = scale > 0 ? scale : 1;
  return { max_rel_err: err / s, tol: tol / s, ok: worst === undefined, ...(worst ? { worst } : {}) };
}
