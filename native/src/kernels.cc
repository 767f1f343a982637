// One SIMD level of the kernels. Compiled once per level (see binding.gyp) with
//   -DHL_NS=<level> -DHL_VBYTES=<vector bytes, 0 = scalar> and that level's -m flags.
// Reductions use GCC/Clang vector extensions with 4 independent accumulators (reassociated:
// documented in native/README.md); elementwise loops are plain loops the compiler vectorises
// for the level's flags; gemm is packed and cache-blocked around a 6×(2·lanes) register tile.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "kernels.h"

#ifndef HL_NS
#error "HL_NS must name the SIMD level"
#endif
#ifndef HL_VBYTES
#error "HL_VBYTES must be 0 (scalar), 16, 32 or 64"
#endif

#define HL_CAT2(a, b) a##b
#define HL_CAT(a, b) HL_CAT2(a, b)
#define HL_STR2(a) #a
#define HL_STR(a) HL_STR2(a)

namespace hl {
namespace HL_NS {
namespace {

/** Lanes of a double accumulator vector. */
constexpr size_t LD = HL_VBYTES == 0 ? 1 : HL_VBYTES / 8;
typedef double vd __attribute__((vector_size(LD * 8)));

template <class T, size_t N>
struct Vec {
  typedef T type __attribute__((vector_size(N * sizeof(T))));
};

/** Loads LD elements of T (unaligned) widened to doubles. */
template <class T>
inline vd load_d(const T* p) {
  typename Vec<T, LD>::type t;
  std::memcpy(&t, p, sizeof t);
  return __builtin_convertvector(t, vd);
}

inline double hsum(vd v) {
  double r = 0;
  for (size_t l = 0; l < LD; ++l) r += v[l];
  return r;
}

inline vd splat(double x) {
  vd v;
  for (size_t l = 0; l < LD; ++l) v[l] = x;
  return v;
}

template <class T>
double sum(const T* x, size_t n) {
  vd a0 = {}, a1 = {}, a2 = {}, a3 = {};
  size_t i = 0;
  for (; i + 4 * LD <= n; i += 4 * LD) {
    a0 += load_d(x + i);
    a1 += load_d(x + i + LD);
    a2 += load_d(x + i + 2 * LD);
    a3 += load_d(x + i + 3 * LD);
  }
  for (; i + LD <= n; i += LD) a0 += load_d(x + i);
  double r = hsum((a0 + a1) + (a2 + a3));
  for (; i < n; ++i) r += static_cast<double>(x[i]);
  return r;
}

template <class T>
void devsums(const T* x, size_t n, double m, double* s1, double* s2) {
  const vd mv = splat(m);
  vd a0 = {}, a1 = {}, q0 = {}, q1 = {};
  size_t i = 0;
  for (; i + 2 * LD <= n; i += 2 * LD) {
    vd d0 = load_d(x + i) - mv, d1 = load_d(x + i + LD) - mv;
    a0 += d0;
    a1 += d1;
    q0 += d0 * d0;
    q1 += d1 * d1;
  }
  double r1 = hsum(a0 + a1), r2 = hsum(q0 + q1);
  for (; i < n; ++i) {
    double d = static_cast<double>(x[i]) - m;
    r1 += d;
    r2 += d * d;
  }
  *s1 = r1;
  *s2 = r2;
}

template <class T>
double dot(const T* x, const T* y, size_t n) {
  vd a0 = {}, a1 = {}, a2 = {}, a3 = {};
  size_t i = 0;
  for (; i + 4 * LD <= n; i += 4 * LD) {
    a0 += load_d(x + i) * load_d(y + i);
    a1 += load_d(x + i + LD) * load_d(y + i + LD);
    a2 += load_d(x + i + 2 * LD) * load_d(y + i + 2 * LD);
    a3 += load_d(x + i + 3 * LD) * load_d(y + i + 3 * LD);
  }
  for (; i + LD <= n; i += LD) a0 += load_d(x + i) * load_d(y + i);
  double r = hsum((a0 + a1) + (a2 + a3));
  for (; i < n; ++i) r += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  return r;
}

template <class T>
double sumsq_scaled(const T* x, size_t n, double s) {
  const vd sv = splat(s);
  vd a0 = {}, a1 = {};
  size_t i = 0;
  for (; i + 2 * LD <= n; i += 2 * LD) {
    vd u = load_d(x + i) * sv, v = load_d(x + i + LD) * sv;
    a0 += u * u;
    a1 += v * v;
  }
  double r = hsum(a0 + a1);
  for (; i < n; ++i) {
    double u = static_cast<double>(x[i]) * s;
    r += u * u;
  }
  return r;
}

template <class T>
void minmax(const T* x, size_t n, double* mn, double* mx, bool* nan) {
  const double inf = std::numeric_limits<double>::infinity();
  vd lo = splat(inf), hi = splat(-inf);
  vd bad = {};
  size_t i = 0;
  for (; i + LD <= n; i += LD) {
    vd v = load_d(x + i);
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    bad += v != v ? splat(1) : splat(0);
  }
  double l = inf, h = -inf, b = hsum(bad);
  for (size_t k = 0; k < LD; ++k) {
    l = lo[k] < l ? lo[k] : l;
    h = hi[k] > h ? hi[k] : h;
  }
  for (; i < n; ++i) {
    double v = static_cast<double>(x[i]);
    if (v != v) b += 1;
    l = v < l ? v : l;
    h = v > h ? v : h;
  }
  *mn = l;
  *mx = h;
  *nan = b > 0;
}

template <class T>
double amax(const T* x, size_t n) {
  vd m = {};
  size_t i = 0;
  for (; i + LD <= n; i += LD) {
    vd v = load_d(x + i);
    v = v < 0 ? -v : v;
    m = v > m ? v : m;
  }
  double r = 0;
  for (size_t k = 0; k < LD; ++k) r = m[k] > r ? m[k] : r;
  for (; i < n; ++i) {
    double v = std::fabs(static_cast<double>(x[i]));
    r = v > r ? v : r;
  }
  return r;
}

template <class T>
size_t find(const T* x, size_t n, double v) {
  if (v != v) {
    for (size_t i = 0; i < n; ++i)
      if (static_cast<double>(x[i]) != static_cast<double>(x[i])) return i;
    return n;
  }
  for (size_t i = 0; i < n; ++i)
    if (static_cast<double>(x[i]) == v) return i;
  return n;
}

template <class T>
void histogram(const T* x, size_t n, double lo, double hi, size_t bins, double* counts) {
  const double w = static_cast<double>(bins) / (hi - lo);
  for (size_t i = 0; i < n; ++i) {
    double v = static_cast<double>(x[i]);
    if (!(v >= lo && v <= hi)) continue;  // NaN and out of range are skipped
    size_t b = static_cast<size_t>((v - lo) * w);
    if (b >= bins) b = bins - 1;  // v == hi lands in the last bin (numpy's convention)
    counts[b] += 1;
  }
}

template <class T>
void cumsum(const T* x, size_t n, double offset, T* out) {
  double acc = offset;
  for (size_t i = 0; i < n; ++i) {
    acc += static_cast<double>(x[i]);
    out[i] = static_cast<T>(acc);
  }
}

template <class T>
void axpy(T a, const T* x, T* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = a * x[i] + y[i];
}
template <class T>
void scale(T a, const T* x, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = a * x[i];
}
template <class T>
void add(const T* x, const T* y, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] + y[i];
}
template <class T>
void sub(const T* x, const T* y, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] - y[i];
}
template <class T>
void mul(const T* x, const T* y, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] * y[i];
}
template <class T>
void div(const T* x, const T* y, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = x[i] / y[i];
}

// Math functions: libm per element (correctly rounded to ~1 ulp), in the dtype's precision.
#define HL_UNARY(name, fn)                                                      \
  template <class T>                                                            \
  void name(const T* x, T* out, size_t n) {                                     \
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(std::fn(x[i]));      \
  }
HL_UNARY(exp_, exp)
HL_UNARY(log_, log)
HL_UNARY(sqrt_, sqrt)
HL_UNARY(sin_, sin)
HL_UNARY(cos_, cos)
#undef HL_UNARY

template <class T>
void pow_(const T* x, const T* y, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(std::pow(x[i], y[i]));
}
template <class T>
void pows(const T* x, T p, T* out, size_t n) {
  if (p == T(2)) {
    for (size_t i = 0; i < n; ++i) out[i] = x[i] * x[i];
    return;
  }
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(std::pow(x[i], p));
}

// ---- gemm ------------------------------------------------------------------------------------
// Goto/BLIS structure: B packed in KC×NR panels, A in MR×KC panels, an MR×NR register tile
// (MR = 6 rows × 2 vectors: 12 accumulators, the AVX-512 6×16 design for f64).

template <class T>
struct GemmShape {
  static constexpr size_t L = HL_VBYTES == 0 ? 1 : HL_VBYTES / sizeof(T);
  static constexpr size_t MR = 6, NR = 2 * L;
  static constexpr size_t KC = 256, MC = 96 * 8 / sizeof(T) * 1, NC = 2048;
  typedef typename Vec<T, L>::type v;
};

template <class T>
inline typename GemmShape<T>::v vload(const T* p) {
  typename GemmShape<T>::v r;
  std::memcpy(&r, p, sizeof r);
  return r;
}

template <class T>
void micro(size_t kc, const T* __restrict a, const T* __restrict b, T* c, size_t ldc, size_t mr, size_t nr) {
  typedef GemmShape<T> S;
  typedef typename S::v v;
  v c00 = {}, c01 = {}, c10 = {}, c11 = {}, c20 = {}, c21 = {}, c30 = {}, c31 = {}, c40 = {}, c41 = {}, c50 = {},
    c51 = {};
  for (size_t p = 0; p < kc; ++p) {
    v b0 = vload(b), b1 = vload(b + S::L);
    T a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
    c00 += a0 * b0; c01 += a0 * b1;
    c10 += a1 * b0; c11 += a1 * b1;
    c20 += a2 * b0; c21 += a2 * b1;
    c30 += a3 * b0; c31 += a3 * b1;
    c40 += a4 * b0; c41 += a4 * b1;
    c50 += a5 * b0; c51 += a5 * b1;
    a += S::MR;
    b += S::NR;
  }
  alignas(64) T tile[S::MR][S::NR];
  std::memcpy(tile[0], &c00, sizeof c00); std::memcpy(tile[0] + S::L, &c01, sizeof c01);
  std::memcpy(tile[1], &c10, sizeof c10); std::memcpy(tile[1] + S::L, &c11, sizeof c11);
  std::memcpy(tile[2], &c20, sizeof c20); std::memcpy(tile[2] + S::L, &c21, sizeof c21);
  std::memcpy(tile[3], &c30, sizeof c30); std::memcpy(tile[3] + S::L, &c31, sizeof c31);
  std::memcpy(tile[4], &c40, sizeof c40); std::memcpy(tile[4] + S::L, &c41, sizeof c41);
  std::memcpy(tile[5], &c50, sizeof c50); std::memcpy(tile[5] + S::L, &c51, sizeof c51);
  for (size_t i = 0; i < mr; ++i)
    for (size_t j = 0; j < nr; ++j) c[i * ldc + j] += tile[i][j];
}

template <class T>
void gemm(size_t m, size_t n, size_t k, T alpha, const T* A, size_t lda, const T* B, size_t ldb, T* C,
          size_t ldc) {
  typedef GemmShape<T> S;
  if (m == 0 || n == 0 || k == 0) return;
  const size_t ncmax = std::min(S::NC, (n + S::NR - 1) / S::NR * S::NR);
  const size_t mcmax = std::min(S::MC, (m + S::MR - 1) / S::MR * S::MR);
  const size_t kcmax = std::min(S::KC, k);
  T* Bp = static_cast<T*>(std::aligned_alloc(64, (kcmax * ncmax * sizeof(T) + 63) / 64 * 64));
  T* Ap = static_cast<T*>(std::aligned_alloc(64, (kcmax * mcmax * sizeof(T) + 63) / 64 * 64));
  for (size_t jc = 0; jc < n; jc += S::NC) {
    const size_t nc = std::min(S::NC, n - jc);
    for (size_t pc = 0; pc < k; pc += S::KC) {
      const size_t kc = std::min(S::KC, k - pc);
      // Pack B[pc:pc+kc, jc:jc+nc] into NR-wide panels, zero-padded.
      for (size_t jr = 0; jr < nc; jr += S::NR) {
        T* dst = Bp + jr * kc;
        const size_t w = std::min(S::NR, nc - jr);
        for (size_t p = 0; p < kc; ++p) {
          const T* src = B + (pc + p) * ldb + jc + jr;
          size_t j = 0;
          for (; j < w; ++j) dst[p * S::NR + j] = src[j];
          for (; j < S::NR; ++j) dst[p * S::NR + j] = T(0);
        }
      }
      for (size_t ic = 0; ic < m; ic += S::MC) {
        const size_t mc = std::min(S::MC, m - ic);
        // Pack alpha·A[ic:ic+mc, pc:pc+kc] into MR-tall panels, zero-padded.
        for (size_t ir = 0; ir < mc; ir += S::MR) {
          T* dst = Ap + ir * kc;
          const size_t h = std::min(S::MR, mc - ir);
          for (size_t p = 0; p < kc; ++p) {
            size_t i = 0;
            for (; i < h; ++i) dst[p * S::MR + i] = alpha * A[(ic + ir + i) * lda + pc + p];
            for (; i < S::MR; ++i) dst[p * S::MR + i] = T(0);
          }
        }
        for (size_t jr = 0; jr < nc; jr += S::NR)
          for (size_t ir = 0; ir < mc; ir += S::MR)
            micro<T>(kc, Ap + ir * kc, Bp + jr * kc, C + (ic + ir) * ldc + jc + jr, ldc, std::min(S::MR, mc - ir),
                     std::min(S::NR, nc - jr));
      }
    }
  }
  std::free(Ap);
  std::free(Bp);
}

template <class T>
void gemv(size_t r0, size_t r1, size_t n, T alpha, const T* A, const T* x, T beta, T* y) {
  for (size_t i = r0; i < r1; ++i) {
    double d = dot<T>(A + i * n, x, n);
    y[i] = beta == T(0) ? static_cast<T>(alpha * d) : static_cast<T>(alpha * d + beta * y[i]);
  }
}

constexpr size_t CHUNK = 512;

template <class T>
void conv1d(const T* x, const T* w, size_t k, size_t i0, size_t i1, T* out) {
  T acc[CHUNK];
  for (size_t i = i0; i < i1; i += CHUNK) {
    const size_t len = std::min(CHUNK, i1 - i);
    for (size_t t = 0; t < len; ++t) acc[t] = T(0);
    for (size_t j = 0; j < k; ++j) {
      const T wj = w[j];
      const T* xs = x + i + j;
      for (size_t t = 0; t < len; ++t) acc[t] += wj * xs[t];
    }
    std::memcpy(out + i, acc, len * sizeof(T));
  }
}

template <class T>
void stencil(const T* src, size_t rows, size_t cols, const T* w, int r, size_t r0, size_t r1, T* out) {
  const size_t R = static_cast<size_t>(r), D = 2 * R + 1;
  T acc[CHUNK];
  for (size_t i = r0; i < r1; ++i) {
    const T* srow = src + i * cols;
    T* orow = out + i * cols;
    if (i < R || i + R >= rows || cols <= 2 * R) {
      std::memcpy(orow, srow, cols * sizeof(T));
      continue;
    }
    for (size_t j = 0; j < R; ++j) orow[j] = srow[j], orow[cols - 1 - j] = srow[cols - 1 - j];
    for (size_t j = R; j < cols - R; j += CHUNK) {
      const size_t len = std::min(CHUNK, cols - R - j);
      for (size_t t = 0; t < len; ++t) acc[t] = T(0);
      for (size_t di = 0; di < D; ++di)
        for (size_t dj = 0; dj < D; ++dj) {
          const T wv = w[di * D + dj];
          const T* s = src + (i + di - R) * cols + (j + dj - R);
          for (size_t t = 0; t < len; ++t) acc[t] += wv * s[t];
        }
      std::memcpy(orow + j, acc, len * sizeof(T));
    }
  }
}

template <class T>
Ops<T> reductions() {
  Ops<T> o{};
  o.sum = sum<T>;
  o.devsums = devsums<T>;
  o.dot = dot<T>;
  o.sumsq_scaled = sumsq_scaled<T>;
  o.minmax = minmax<T>;
  o.amax = amax<T>;
  o.find = find<T>;
  o.histogram = histogram<T>;
  o.cumsum = cumsum<T>;
  return o;
}

template <class T>
Ops<T> reals() {
  Ops<T> o = reductions<T>();
  o.axpy = axpy<T>;
  o.scale = scale<T>;
  o.add = add<T>;
  o.sub = sub<T>;
  o.mul = mul<T>;
  o.div = div<T>;
  o.exp = exp_<T>;
  o.log = log_<T>;
  o.sqrt = sqrt_<T>;
  o.sin = sin_<T>;
  o.cos = cos_<T>;
  o.pow = pow_<T>;
  o.pows = pows<T>;
  o.gemm = gemm<T>;
  o.gemv = gemv<T>;
  o.conv1d = conv1d<T>;
  o.stencil = stencil<T>;
  return o;
}

}  // namespace
}  // namespace HL_NS

const Table* HL_CAT(table_, HL_NS)() {
  static const Table t = {HL_STR(HL_NS), HL_NS::reals<double>(), HL_NS::reals<float>(),
                          HL_NS::reductions<int32_t>()};
  return &t;
}

}  // namespace hl
