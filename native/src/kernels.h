// Serial kernels for one SIMD level. Each level is the same source (kernels.cc) compiled with
// different target flags into its own static library; addon.cc picks a table at load time.
// Everything here works on one block of data and never touches N-API or threads.
#pragma once
#include <cstddef>
#include <cstdint>

namespace hl {

/** Per-dtype routines. Reductions accumulate in double whatever T is. Unused entries are null. */
template <class T>
struct Ops {
  double (*sum)(const T* x, size_t n);
  /** s1 = Σ(x-m), s2 = Σ(x-m)²: the corrected two-pass variance's second pass. */
  void (*devsums)(const T* x, size_t n, double m, double* s1, double* s2);
  double (*dot)(const T* x, const T* y, size_t n);
  /** Σ(x·s)², used by nrm2's overflow-safe second pass. */
  double (*sumsq_scaled)(const T* x, size_t n, double s);
  /** min and max ignoring NaN; *nan set when any element is NaN. */
  void (*minmax)(const T* x, size_t n, double* mn, double* mx, bool* nan);
  double (*amax)(const T* x, size_t n);
  /** First index i with x[i] == v (or x[i] NaN when v is NaN); n when none. */
  size_t (*find)(const T* x, size_t n, double v);
  void (*histogram)(const T* x, size_t n, double lo, double hi, size_t bins, double* counts);
  /** out[i] = offset + Σ_{j≤i} x[j], accumulated in double. */
  void (*cumsum)(const T* x, size_t n, double offset, T* out);
  void (*axpy)(T a, const T* x, T* y, size_t n);
  void (*scale)(T a, const T* x, T* out, size_t n);
  void (*add)(const T* x, const T* y, T* out, size_t n);
  void (*sub)(const T* x, const T* y, T* out, size_t n);
  void (*mul)(const T* x, const T* y, T* out, size_t n);
  void (*div)(const T* x, const T* y, T* out, size_t n);
  void (*exp)(const T* x, T* out, size_t n);
  void (*log)(const T* x, T* out, size_t n);
  void (*sqrt)(const T* x, T* out, size_t n);
  void (*sin)(const T* x, T* out, size_t n);
  void (*cos)(const T* x, T* out, size_t n);
  void (*pow)(const T* x, const T* y, T* out, size_t n);
  void (*pows)(const T* x, T p, T* out, size_t n);
  /** C[m×n] += alpha·A[m×k]·B[k×n], row-major with leading dimensions; packed + blocked. */
  void (*gemm)(size_t m, size_t n, size_t k, T alpha, const T* A, size_t lda, const T* B, size_t ldb, T* C,
               size_t ldc);
  /** y[i] = alpha·(A x)[i] + beta·y[i] for rows [r0, r1) (beta == 0 ignores y's old value). */
  void (*gemv)(size_t r0, size_t r1, size_t n, T alpha, const T* A, const T* x, T beta, T* y);
  /** out[i] = Σ_j w[j]·x[i+j] for i in [i0, i1) ('valid' correlation). */
  void (*conv1d)(const T* x, const T* w, size_t k, size_t i0, size_t i1, T* out);
  /** Rows [r0, r1) of a (2r+1)² stencil; border cells (within r of an edge) copy src. */
  void (*stencil)(const T* src, size_t rows, size_t cols, const T* w, int r, size_t r0, size_t r1, T* out);
};

struct Table {
  const char* name;
  Ops<double> f64;
  Ops<float> f32;
  Ops<int32_t> i32;
};

const Table* table_scalar();
#if defined(__x86_64__) || defined(_M_X64)
const Table* table_sse2();
const Table* table_avx2();
const Table* table_avx512();
#endif
#if defined(__aarch64__)
const Table* table_neon();
#endif

}  // namespace hl
