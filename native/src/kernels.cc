// One SIMD level of the kernels. Compiled once per level (see binding.gyp) with
//   -DHL_NS=<level> -DHL_VBYTES=<vector bytes, 0 = scalar> and that level's -m flags.
// Reductions use GCC/Clang vector extensions with independent accumulators (reassociated:
// documented in native/README.md; sum/dot/Σx² in stream.inc.h); elementwise loops are plain loops the compiler vectorises
// for the level's flags; gemm is packed and cache-blocked around a 6×(2·lanes) register tile.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

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

#include "stream.inc.h"  // sum, dot, Σx²: the memory-bound reductions (accumulators + prefetch)

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

#include "gemm.inc.h"  // packed, cache-blocked gemm (split out to keep this file readable)

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
