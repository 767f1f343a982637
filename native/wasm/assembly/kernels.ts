// AssemblyScript build of the kernel library (the loader's wasm fallback). Pointer-based: the host
// (native/wasm.ts) copies inputs into linear memory from heapBase() up and reads results back.
// f64 sum/dot/variance use v128 (f64x2, two accumulators: reassociated like the native build).

@inline function at<T>(p: usize, i: i32): usize { return p + (<usize>i << alignof<T>()); }
@inline function ld<T>(p: usize, i: i32): f64 { return <f64>load<T>(at<T>(p, i)); }
@inline function st<T>(p: usize, i: i32, v: f64): void { store<T>(at<T>(p, i), <T>v); }

export function heapBase(): usize { return __heap_base; }

function sumT<T>(p: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += ld<T>(p, i);
  return s;
}
function sumF64(p: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a = f64x2.add(a, v128.load(p + (<usize>i << 3)));
    b = f64x2.add(b, v128.load(p + (<usize>i << 3) + 16));
  }
  const c = f64x2.add(a, b);
  let s = f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
  for (; i < n; i++) s += load<f64>(p + (<usize>i << 3));
  return s;
}
function sumAny<T>(p: usize, n: i32): f64 { return sizeof<T>() == 8 ? sumF64(p, n) : sumT<T>(p, n); }

function varT<T>(p: usize, n: i32, ddof: f64): f64 {
  if (n == 0 || <f64>n <= ddof) return NaN;
  const m = sumAny<T>(p, n) / <f64>n;
  let s1: f64 = 0, s2: f64 = 0;
  let i = 0;
  if (sizeof<T>() == 8) {
    const mv = f64x2.splat(m);
    let a = f64x2.splat(0), q = f64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const d = f64x2.sub(v128.load(p + (<usize>i << 3)), mv);
      a = f64x2.add(a, d);
      q = f64x2.add(q, f64x2.mul(d, d));
    }
    s1 = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    s2 = f64x2.extract_lane(q, 0) + f64x2.extract_lane(q, 1);
  }
  for (; i < n; i++) {
    const d = ld<T>(p, i) - m;
    s1 += d;
    s2 += d * d;
  }
  const v = (s2 - (s1 * s1) / <f64>n) / (<f64>n - ddof);
  return v < 0 ? 0 : v;
}

function dotT<T>(x: usize, y: usize, n: i32): f64 {
  let i = 0;
  let s: f64 = 0;
  if (sizeof<T>() == 8) {
    let a = f64x2.splat(0), b = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      a = f64x2.add(a, f64x2.mul(v128.load(x + o), v128.load(y + o)));
      b = f64x2.add(b, f64x2.mul(v128.load(x + o + 16), v128.load(y + o + 16)));
    }
    const c = f64x2.add(a, b);
    s = f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
  }
  for (; i < n; i++) s += ld<T>(x, i) * ld<T>(y, i);
  return s;
}

/** which: 0 min, 1 max, 2 argmin, 3 argmax (NaN / first NaN index win; -1 for empty). */
function extT<T>(p: usize, n: i32, which: i32): f64 {
  let mn = Infinity, mx = -Infinity, nan = -1;
  for (let i = 0; i < n; i++) {
    const v = ld<T>(p, i);
    if (v != v) { if (nan < 0) nan = i; continue; }
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (which < 2) return nan >= 0 ? NaN : which == 0 ? mn : mx;
  if (n == 0) return -1;
  if (nan >= 0) return <f64>nan;
  const t = which == 2 ? mn : mx;
  for (let i = 0; i < n; i++) if (ld<T>(p, i) == t) return <f64>i;
  return -1;
}

function nrm2T<T>(p: usize, n: i32): f64 {
  let scale: f64 = 0, ssq: f64 = 1;
  for (let i = 0; i < n; i++) {
    const v = ld<T>(p, i);
    if (v != v) return NaN;
    if (v == 0) continue;
    const a = Math.abs(v);
    if (a == Infinity) scale = Infinity;
    else if (scale < a) { const r = scale / a; ssq = 1 + ssq * r * r; scale = a; }
    else { const r = a / scale; ssq += r * r; }
  }
  return scale == Infinity ? Infinity : scale * Math.sqrt(ssq);
}

function axpyT<T>(a: f64, x: usize, y: usize, n: i32): void { for (let i = 0; i < n; i++) st<T>(y, i, a * ld<T>(x, i) + ld<T>(y, i)); }
function axpyF64(a: f64, x: usize, y: usize, n: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(f64x2.mul(av, v128.load(x + o)), v128.load(y + o)));
  }
  for (; i < n; i++) st<f64>(y, i, a * ld<f64>(x, i) + ld<f64>(y, i));
}
function scaleT<T>(a: f64, x: usize, out: usize, n: i32): void { for (let i = 0; i < n; i++) st<T>(out, i, a * ld<T>(x, i)); }

/** op: 0 add, 1 sub, 2 mul, 3 div, 4 pow. */
function binT<T>(op: i32, x: usize, y: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const a = ld<T>(x, i), b = ld<T>(y, i);
    st<T>(out, i, op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : op == 3 ? a / b : Math.pow(a, b));
  }
}
/** op: 0 exp, 1 log, 2 sqrt, 3 sin, 4 cos, 5 pow by scalar p. */
function unT<T>(op: i32, x: usize, out: usize, n: i32, p: f64): void {
  for (let i = 0; i < n; i++) {
    const a = ld<T>(x, i);
    st<T>(out, i, op == 0 ? Math.exp(a) : op == 1 ? Math.log(a) : op == 2 ? Math.sqrt(a) : op == 3 ? Math.sin(a) : op == 4 ? Math.cos(a) : Math.pow(a, p));
  }
}
function cumsumT<T>(x: usize, out: usize, n: i32): void {
  let acc: f64 = 0;
  for (let i = 0; i < n; i++) { acc += ld<T>(x, i); st<T>(out, i, acc); }
}
function histT<T>(x: usize, n: i32, lo: f64, hi: f64, bins: i32, out: usize): void {
  const w = <f64>bins / (hi - lo);
  for (let i = 0; i < bins; i++) store<f64>(out + (<usize>i << 3), 0);
  for (let i = 0; i < n; i++) {
    const v = ld<T>(x, i);
    if (!(v >= lo && v <= hi)) continue;
    let b = <i32>Math.floor((v - lo) * w);
    if (b >= bins) b = bins - 1;
    const q = out + (<usize>b << 3);
    store<f64>(q, load<f64>(q) + 1);
  }
}
function gemvT<T>(m: i32, n: i32, alpha: f64, A: usize, x: usize, beta: f64, y: usize): void {
  for (let i = 0; i < m; i++) {
    const d = alpha * dotT<T>(at<T>(A, i * n), x, n);
    st<T>(y, i, beta == 0 ? d : d + beta * ld<T>(y, i));
  }
}
/** C = alpha·A·B + beta·C, i-p-j order with a row accumulator in f64 scratch at `row`. */
function gemmT<T>(m: i32, n: i32, k: i32, alpha: f64, A: usize, B: usize, beta: f64, C: usize, row: usize): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) store<f64>(row + (<usize>j << 3), 0);
    for (let p = 0; p < k; p++) {
      const a = alpha * ld<T>(A, i * k + p);
      const b = at<T>(B, p * n);
      for (let j = 0; j < n; j++) { const q = row + (<usize>j << 3); store<f64>(q, load<f64>(q) + a * ld<T>(b, j)); }
    }
    for (let j = 0; j < n; j++) {
      const r = load<f64>(row + (<usize>j << 3));
      st<T>(C, i * n + j, beta == 0 ? r : r + beta * ld<T>(C, i * n + j));
    }
  }
}
function conv1dT<T>(x: usize, n: i32, w: usize, k: i32, out: usize): void {
  for (let i = 0; i + k <= n; i++) {
    let s: f64 = 0;
    for (let j = 0; j < k; j++) s += ld<T>(w, j) * ld<T>(x, i + j);
    st<T>(out, i, s);
  }
}
function stencilT<T>(src: usize, rows: i32, cols: i32, w: usize, r: i32, out: usize): void {
  const D = 2 * r + 1;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      if (i < r || i + r >= rows || j < r || j + r >= cols) { st<T>(out, i * cols + j, ld<T>(src, i * cols + j)); continue; }
      let s: f64 = 0;
      for (let di = 0; di < D; di++)
        for (let dj = 0; dj < D; dj++) s += ld<T>(w, di * D + dj) * ld<T>(src, (i + di - r) * cols + (j + dj - r));
      st<T>(out, i * cols + j, s);
    }
}

// ---- exports: <routine>_<dtype> ----
export function sum_f64(p: usize, n: i32): f64 { return sumF64(p, n); }
export function sum_f32(p: usize, n: i32): f64 { return sumT<f32>(p, n); }
export function sum_i32(p: usize, n: i32): f64 { return sumT<i32>(p, n); }
export function var_f64(p: usize, n: i32, d: f64): f64 { return varT<f64>(p, n, d); }
export function var_f32(p: usize, n: i32, d: f64): f64 { return varT<f32>(p, n, d); }
export function var_i32(p: usize, n: i32, d: f64): f64 { return varT<i32>(p, n, d); }
export function dot_f64(x: usize, y: usize, n: i32): f64 { return dotT<f64>(x, y, n); }
export function dot_f32(x: usize, y: usize, n: i32): f64 { return dotT<f32>(x, y, n); }
export function dot_i32(x: usize, y: usize, n: i32): f64 { return dotT<i32>(x, y, n); }
export function ext_f64(p: usize, n: i32, w: i32): f64 { return extT<f64>(p, n, w); }
export function ext_f32(p: usize, n: i32, w: i32): f64 { return extT<f32>(p, n, w); }
export function ext_i32(p: usize, n: i32, w: i32): f64 { return extT<i32>(p, n, w); }
export function nrm2_f64(p: usize, n: i32): f64 { return nrm2T<f64>(p, n); }
export function nrm2_f32(p: usize, n: i32): f64 { return nrm2T<f32>(p, n); }
export function nrm2_i32(p: usize, n: i32): f64 { return nrm2T<i32>(p, n); }
export function hist_f64(x: usize, n: i32, lo: f64, hi: f64, b: i32, o: usize): void { histT<f64>(x, n, lo, hi, b, o); }
export function hist_f32(x: usize, n: i32, lo: f64, hi: f64, b: i32, o: usize): void { histT<f32>(x, n, lo, hi, b, o); }
export function hist_i32(x: usize, n: i32, lo: f64, hi: f64, b: i32, o: usize): void { histT<i32>(x, n, lo, hi, b, o); }
export function axpy_f64(a: f64, x: usize, y: usize, n: i32): void { axpyF64(a, x, y, n); }
export function axpy_f32(a: f64, x: usize, y: usize, n: i32): void { axpyT<f32>(a, x, y, n); }
export function scale_f64(a: f64, x: usize, o: usize, n: i32): void { scaleT<f64>(a, x, o, n); }
export function scale_f32(a: f64, x: usize, o: usize, n: i32): void { scaleT<f32>(a, x, o, n); }
export function bin_f64(op: i32, x: usize, y: usize, o: usize, n: i32): void { binT<f64>(op, x, y, o, n); }
export function bin_f32(op: i32, x: usize, y: usize, o: usize, n: i32): void { binT<f32>(op, x, y, o, n); }
export function un_f64(op: i32, x: usize, o: usize, n: i32, p: f64): void { unT<f64>(op, x, o, n, p); }
export function un_f32(op: i32, x: usize, o: usize, n: i32, p: f64): void { unT<f32>(op, x, o, n, p); }
export function cumsum_f64(x: usize, o: usize, n: i32): void { cumsumT<f64>(x, o, n); }
export function cumsum_f32(x: usize, o: usize, n: i32): void { cumsumT<f32>(x, o, n); }
export function gemv_f64(m: i32, n: i32, al: f64, A: usize, x: usize, be: f64, y: usize): void { gemvT<f64>(m, n, al, A, x, be, y); }
export function gemv_f32(m: i32, n: i32, al: f64, A: usize, x: usize, be: f64, y: usize): void { gemvT<f32>(m, n, al, A, x, be, y); }
export function gemm_f64(m: i32, n: i32, k: i32, al: f64, A: usize, B: usize, be: f64, C: usize, row: usize): void { gemmT<f64>(m, n, k, al, A, B, be, C, row); }
export function gemm_f32(m: i32, n: i32, k: i32, al: f64, A: usize, B: usize, be: f64, C: usize, row: usize): void { gemmT<f32>(m, n, k, al, A, B, be, C, row); }
export function conv1d_f64(x: usize, n: i32, w: usize, k: i32, o: usize): void { conv1dT<f64>(x, n, w, k, o); }
export function conv1d_f32(x: usize, n: i32, w: usize, k: i32, o: usize): void { conv1dT<f32>(x, n, w, k, o); }
export function stencil_f64(s: usize, r: i32, c: i32, w: usize, rad: i32, o: usize): void { stencilT<f64>(s, r, c, w, rad, o); }
export function stencil_f32(s: usize, r: i32, c: i32, w: usize, rad: i32, o: usize): void { stencilT<f32>(s, r, c, w, rad, o); }
export function noop(): void {}
