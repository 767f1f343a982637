// Matrix and neighbourhood routines: gemv, gemm (packed, cache-blocked, SIMD register tile),
// conv1d ('valid' correlation) and the 3×3 / 5×5 2-D stencil. All row-major.
#include "entry.h"
#include "jobs.h"

namespace hl {
namespace {

/** Product of sizes, rejected when it is not a safe array length. */
size_t product(Parser& p, size_t a, size_t b, const char* what) {
  if (a != 0 && b > (size_t(1) << 40) / a) p.rangeError(std::string(what) + " is too large");
  return a * b;
}

void lengthIs(Parser& p, const Arr& a, size_t want, const char* name, const std::string& shape) {
  if (a.n != want)
    p.rangeError(std::string(name) + " has length " + std::to_string(a.n) + " but " + shape + " needs " +
                 std::to_string(want));
}

void disjoint(Parser& p, const Arr& out, const Arr& in, const char* name) {
  if (overlaps(out, in)) p.rangeError(std::string("options.out overlaps ") + name + "; pass a separate output array");
}

class GemvJob : public Job {
 public:
  GemvJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "gemv", keep());
    m_ = p.size(0, "m");
    n_ = p.size(1, "n");
    A_ = p.array(2, "A");
    x_ = p.array(3, "x");
    noInt(p, A_, "gemv");
    if (A_.dt != x_.dt) sameShape(p, A_, x_, "A", "x");
    lengthIs(p, A_, product(p, m_, n_, "m × n"), "A", "m × n = " + std::to_string(m_) + " × " + std::to_string(n_));
    lengthIs(p, x_, n_, "x", "n = " + std::to_string(n_));
    Opts o = p.opts(4);
    alpha_ = o.alpha;
    beta_ = o.hasOut ? o.beta : 0;
    Napi::Object holder;
    y_ = outputArray(p, o, A_.dt, m_, &holder);
    disjoint(p, y_, A_, "A");
    disjoint(p, y_, x_, "x");
    setOut(p, holder, y_);
    threads_ = pick(o, static_cast<double>(A_.bytes()));
  }
  void run() {
    if (A_.dt == DType::F64) runT<double>();
    else runT<float>();
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  template <class T>
  void runT() {
    const Ops<T>& o = opsOf<T>(table_);
    const size_t rows = std::max<size_t>(1, BLOCK / std::max<size_t>(1, n_));
    perBlock<char>(m_, threads_, rows, [&](size_t r0, size_t len) {
      o.gemv(r0, r0 + len, n_, static_cast<T>(alpha_), A_.ptr<T>(), x_.ptr<T>(), static_cast<T>(beta_), y_.ptr<T>());
      return char(0);
    });
  }
  size_t m_ = 0, n_ = 0;
  double alpha_ = 1, beta_ = 0;
  Arr A_, x_, y_;
};

class GemmJob : public Job {
 public:
  GemmJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "gemm", keep());
    m_ = p.size(0, "m");
    n_ = p.size(1, "n");
    k_ = p.size(2, "k");
    A_ = p.array(3, "A");
    B_ = p.array(4, "B");
    noInt(p, A_, "gemm");
    if (A_.dt != B_.dt) sameShape(p, A_, B_, "A", "B");
    lengthIs(p, A_, product(p, m_, k_, "m × k"), "A", "m × k = " + std::to_string(m_) + " × " + std::to_string(k_));
    lengthIs(p, B_, product(p, k_, n_, "k × n"), "B", "k × n = " + std::to_string(k_) + " × " + std::to_string(n_));
    Opts o = p.opts(5);
    alpha_ = o.alpha;
    beta_ = o.hasOut ? o.beta : 0;
    Napi::Object holder;
    C_ = outputArray(p, o, A_.dt, product(p, m_, n_, "m × n"), &holder);
    disjoint(p, C_, A_, "A");
    disjoint(p, C_, B_, "B");
    setOut(p, holder, C_);
    threads_ = pick(o, 2.0 * static_cast<double>(m_) * static_cast<double>(n_) * static_cast<double>(k_) / 8);
  }
  void run() {
    if (A_.dt == DType::F64) runT<double>();
    else runT<float>();
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  template <class T>
  void runT() {
    T* C = C_.ptr<T>();
    const size_t mn = m_ * n_;
    if (beta_ == 0) std::fill(C, C + mn, T(0));
    else if (beta_ != 1)
      for (size_t i = 0; i < mn; ++i) C[i] *= static_cast<T>(beta_);
    if (m_ == 0 || n_ == 0 || k_ == 0) return;
    const Ops<T>& o = opsOf<T>(table_);
    // One row band per thread; every C element sees the same k-blocking whatever the split.
    const size_t band = (m_ + threads_ - 1) / threads_;
    perBlock<char>(m_, threads_, std::max<size_t>(band, 1), [&](size_t r0, size_t len) {
      o.gemm(len, n_, k_, static_cast<T>(alpha_), A_.ptr<T>() + r0 * k_, k_, B_.ptr<T>(), n_, C + r0 * n_, n_);
      return char(0);
    });
  }
  size_t m_ = 0, n_ = 0, k_ = 0;
  double alpha_ = 1, beta_ = 0;
  Arr A_, B_, C_;
};

class Conv1dJob : public Job {
 public:
  Conv1dJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "conv1d", keep());
    x_ = p.array(0, "x");
    w_ = p.array(1, "w");
    noInt(p, x_, "conv1d");
    if (x_.dt != w_.dt) sameShape(p, x_, w_, "x", "w");
    if (w_.n == 0) p.rangeError("w is empty; pass at least one weight");
    if (w_.n > x_.n)
      p.rangeError("w has length " + std::to_string(w_.n) + " but x only " + std::to_string(x_.n) +
                   "; 'valid' correlation needs w no longer than x");
    Opts o = p.opts(2);
    Napi::Object holder;
    out_ = outputArray(p, o, x_.dt, x_.n - w_.n + 1, &holder);
    disjoint(p, out_, x_, "x");
    disjoint(p, out_, w_, "w");
    setOut(p, holder, out_);
    threads_ = pick(o, static_cast<double>(x_.bytes()) * static_cast<double>(w_.n) / 4);
  }
  void run() {
    if (x_.dt == DType::F64) runT<double>();
    else runT<float>();
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  template <class T>
  void runT() {
    const Ops<T>& o = opsOf<T>(table_);
    perBlock<char>(out_.n, threads_, BLOCK, [&](size_t s, size_t len) {
      o.conv1d(x_.ptr<T>(), w_.ptr<T>(), w_.n, s, s + len, out_.ptr<T>());
      return char(0);
    });
  }
  Arr x_, w_, out_;
};

class StencilJob : public Job {
 public:
  StencilJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "stencil2d", keep());
    src_ = p.array(0, "src");
    rows_ = p.size(1, "rows");
    cols_ = p.size(2, "cols");
    w_ = p.array(3, "weights");
    noInt(p, src_, "stencil2d");
    if (src_.dt != w_.dt) sameShape(p, src_, w_, "src", "weights");
    lengthIs(p, src_, product(p, rows_, cols_, "rows × cols"), "src",
             "rows × cols = " + std::to_string(rows_) + " × " + std::to_string(cols_));
    if (w_.n != 9 && w_.n != 25)
      p.rangeError("weights has length " + std::to_string(w_.n) + "; pass 9 (3×3) or 25 (5×5) weights, row-major");
    r_ = w_.n == 9 ? 1 : 2;
    Opts o = p.opts(4);
    Napi::Object holder;
    out_ = outputArray(p, o, src_.dt, src_.n, &holder);
    disjoint(p, out_, src_, "src");
    disjoint(p, out_, w_, "weights");
    setOut(p, holder, out_);
    threads_ = pick(o, static_cast<double>(src_.bytes()) * static_cast<double>(w_.n) / 4);
  }
  void run() {
    if (src_.n == 0) return;
    if (src_.dt == DType::F64) runT<double>();
    else runT<float>();
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  template <class T>
  void runT() {
    const Ops<T>& o = opsOf<T>(table_);
    const size_t rows = std::max<size_t>(1, BLOCK / std::max<size_t>(1, cols_));
    perBlock<char>(rows_, threads_, rows, [&](size_t r0, size_t len) {
      o.stencil(src_.ptr<T>(), rows_, cols_, w_.ptr<T>(), r_, r0, r0 + len, out_.ptr<T>());
      return char(0);
    });
  }
  Arr src_, w_, out_;
  size_t rows_ = 0, cols_ = 0;
  int r_ = 1;
};

}  // namespace

void registerMatrix(Napi::Env env, Napi::Object exports) {
  entry<GemvJob>(env, exports, "gemv");
  entry<GemmJob>(env, exports, "gemm");
  entry<Conv1dJob>(env, exports, "conv1d");
  entry<StencilJob>(env, exports, "stencil2d");
}

}  // namespace hl
