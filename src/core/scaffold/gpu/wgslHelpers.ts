// The WGSL helpers every GPU shader starts with.

/** JS semantics in f32 where WGSL's builtins differ (rounding half up, NaN in min/max, tanh overflow); expm1/log1p by Kahan's and Goldberg's tricks, which stay accurate near 0. */
export const WGSL_HELPERS = `// NaN and Infinity are not WGSL constants: made at run time from their bits.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f() -> f32 { return bitcast<f32>(INF_BITS); }
fn truthy(x: f32) -> bool { return x != 0.0 && x == x; }
fn idx_f(x: f32) -> i32 { if (x >= 0.0 && x < 16777216.0 && floor(x) == x) { return i32(x); } return -1; }
fn js_round(x: f32) -> f32 { return floor(x + 0.5); }
fn js_min(a: f32, b: f32) -> f32 { if (a != a || b != b) { return nan_f(); } return min(a, b); }
fn js_max(a: f32, b: f32) -> f32 { if (a != a || b != b) { return nan_f(); } return max(a, b); }
fn js_tanh(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
fn js_cbrt(x: f32) -> f32 { if (x == 0.0) { return x; } return sign(x) * exp2(log2(abs(x)) / 3.0); }
fn js_expm1(x: f32) -> f32 { let u = exp(x); if (u == 1.0) { return x; } let um1 = u - 1.0; if (um1 == -1.0) { return -1.0; } return um1 * x / log(u); }
fn js_log1p(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } return log(u) * x / (u - 1.0); }
fn js_hypot(a: f32, b: f32) -> f32 { let m = max(abs(a), abs(b)); if (m == 0.0) { return 0.0; } let x = a / m; let y = b / m; return m * sqrt(x * x + y * y); }
// WGSL allows atan/atan2 an error of 4096 ulp: Cephes' atanf (≈ 2e-7 relative) instead.
fn js_atan(v: f32) -> f32 {
  var x = abs(v);
  var y: f32 = 0.0;
  if (x > 2.414213562373095) { y = 1.5707963267948966; x = -1.0 / x; }
  else if (x > 0.4142135623730950) { y = 0.7853981633974483; x = (x - 1.0) / (x + 1.0); }
  let z = x * x;
  y = y + ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * x + x);
  if (v != v) { return v; }
  return select(y, -y, v < 0.0);
}
fn js_atan2(y: f32, x: f32) -> f32 {
  if (x != x || y != y) { return nan_f(); }
  if (x == 0.0) {
    if (y > 0.0) { return 1.5707963267948966; }
    if (y < 0.0) { return -1.5707963267948966; }
    return 0.0;
  }
  let a = js_atan(y / x);
  if (x > 0.0) { return a; }
  if (y >= 0.0) { return a + 3.141592653589793; }
  return a - 3.141592653589793;
}
// b ** k for 1 ≤ k ≤ 8, without a loop (a loop would count against llvmpipe's loop limiter).
fn pow_i(b: f32, k: i32) -> f32 {
  var r: f32 = b;
  if (k >= 2) { r = r * b; } if (k >= 3) { r = r * b; } if (k >= 4) { r = r * b; } if (k >= 5) { r = r * b; }
  if (k >= 6) { r = r * b; } if (k >= 7) { r = r * b; } if (k >= 8) { r = r * b; }
  return r;
}
`;

/** A number as a WGSL f32 expression (NaN and ±Infinity through the helpers). */
export function f32Literal(v: number): string {
  if (Number.isNaN(v)) return 'nan_f()';
  if (v === Infinity) return 'inf_f()';
  if (v === -Infinity) return '(-inf_f())';
  const s = Math.fround(v) === 0 && v !== 0 ? '0.0' : String(Math.fround(v));
  const t = /[.e]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${t})` : t;
}
