// The streaming reductions of one SIMD level (sum, dot, Σx²), textually part of kernels.cc like
// gemm.inc.h: included inside its namespaces after the vector helpers (vd, LD, load_d, hsum).
// ---- memory-bound reductions ------------------------------------------------------------------
// Each reads its input once, so at large n only memory bandwidth bounds it. Two things get there
// (measured against STREAM triad by `npm run bench:kernels`, see native/README.md):
//  - ACC independent vector accumulators (ACC × LD partial sums): enough loads in flight that the
//    adds' latency never stalls the stream;
//  - a software prefetch PF bytes ahead of the loads, one per 64-byte line. The L2 stream
//    prefetchers stop at 4 KiB page boundaries and V8's typed arrays live on 4 KiB pages, so every
//    new page would otherwise begin with demand misses.
// Reassociation: the partial sums are combined pairwise, then across lanes; the result differs from
// a left-to-right sum in the last bits (bound in native/README.md, tested), not with the thread count.

constexpr size_t ACC = 8;
#ifndef HL_PF_BYTES
#define HL_PF_BYTES 2048
#endif
constexpr size_t PF_BYTES = HL_PF_BYTES;
constexpr size_t LINE = 64;

/** Prefetches the `Bytes` bytes that lie `Ahead` bytes past p (never dereferenced: cannot fault). */
template <size_t Ahead, size_t Bytes>
inline void prefetchAhead(const void* p) {
  if (Ahead == 0) return;
  // Integer arithmetic: the address may lie past the end of the array, which a pointer must not.
  const uintptr_t a = reinterpret_cast<uintptr_t>(p) + Ahead;
  for (size_t b = 0; b < Bytes; b += LINE) __builtin_prefetch(reinterpret_cast<const void*>(a + b), 0, 3);
}

/** ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)): the accumulators' fixed combining order. */
inline vd combine(const vd* a) { return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])); }
static_assert(ACC == 8, "combine() adds exactly 8 accumulators");

/**
 * Σx over two streams at once: the first and second halves of x (each a whole number of steps) are
 * read side by side, ACC/2 accumulators each, then the rest from 2h on. One core keeps more misses in
 * flight over two streams than over one (measured: a single stream reached 0.44–0.79 of STREAM
 * triad while dot, two streams, reached 0.91–0.94). The order depends on n only, never on threads.
 */
template <class T, size_t PF = PF_BYTES>
double sum(const T* x, size_t n) {
  constexpr size_t HALF = ACC / 2, STEP = HALF * LD;
  vd a[ACC] = {};
  const size_t h = n / (2 * STEP) * STEP;
  const T* y = x + h;
  for (size_t i = 0; i < h; i += STEP) {
    prefetchAhead<PF, STEP * sizeof(T)>(x + i);
    prefetchAhead<PF, STEP * sizeof(T)>(y + i);
    for (size_t k = 0; k < HALF; ++k) {
      a[k] += load_d(x + i + k * LD);
      a[HALF + k] += load_d(y + i + k * LD);
    }
  }
  size_t i = 2 * h;
  for (; i + LD <= n; i += LD) a[0] += load_d(x + i);
  double r = hsum(combine(a));
  for (; i < n; ++i) r += static_cast<double>(x[i]);
  return r;
}

/** Σx²: one stream (dot(x, x) would issue every load and prefetch twice). */
template <class T, size_t PF = PF_BYTES>
double sumsq(const T* x, size_t n) {
  constexpr size_t STEP = ACC * LD;
  vd a[ACC] = {};
  size_t i = 0;
  for (; i + STEP <= n; i += STEP) {
    prefetchAhead<PF, STEP * sizeof(T)>(x + i);
    for (size_t k = 0; k < ACC; ++k) {
      const vd v = load_d(x + i + k * LD);
      a[k] += v * v;
    }
  }
  for (; i + LD <= n; i += LD) {
    const vd v = load_d(x + i);
    a[0] += v * v;
  }
  double r = hsum(combine(a));
  for (; i < n; ++i) r += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  return r;
}

template <class T, size_t PF = PF_BYTES>
double dot(const T* x, const T* y, size_t n) {
  if (x == y) return sumsq<T, PF>(x, n);  // nrm2 and dot(x, x): same sums, one stream
  constexpr size_t STEP = ACC * LD;
  vd a[ACC] = {};
  size_t i = 0;
  for (; i + STEP <= n; i += STEP) {
    prefetchAhead<PF, STEP * sizeof(T)>(x + i);
    prefetchAhead<PF, STEP * sizeof(T)>(y + i);
    for (size_t k = 0; k < ACC; ++k) a[k] += load_d(x + i + k * LD) * load_d(y + i + k * LD);
  }
  for (; i + LD <= n; i += LD) a[0] += load_d(x + i) * load_d(y + i);
  double r = hsum(combine(a));
  for (; i < n; ++i) r += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  return r;
}
