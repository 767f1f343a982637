// The gemm of one SIMD level, textually part of kernels.cc: included inside its namespaces (HL_NS,
// anonymous) after the vector helpers, so it is compiled once per level like the rest. Not a
// standalone header: it relies on kernels.cc's includes and definitions.
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
  if (!Ap || !Bp) {  // the pool rethrows on the calling thread; the entry turns it into a RangeError
    std::free(Ap);
    std::free(Bp);
    throw std::bad_alloc();
  }
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
