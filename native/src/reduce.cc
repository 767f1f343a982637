// Reductions: sum, mean, variance, std, min, max, argmin, argmax, nrm2, dot.
// Sums are reassociated (SIMD lanes × 4 accumulators inside a block of 2^16 elements, block
// partials added in block order), so results depend on the SIMD level but not on the thread count.
#include "entry.h"
#include "jobs.h"

namespace hl {
namespace {

enum class R { Sum, Mean, Var, Std, Min, Max, Argmin, Argmax, Nrm2 };

constexpr const char* rname(R k) {
  switch (k) {
    case R::Sum: return "sum";
    case R::Mean: return "mean";
    case R::Var: return "variance";
    case R::Std: return "std";
    case R::Min: return "min";
    case R::Max: return "max";
    case R::Argmin: return "argmin";
    case R::Argmax: return "argmax";
    case R::Nrm2: return "nrm2";
  }
  return "?";
}

struct MinMax {
  double mn, mx;
  bool nan;
};

template <class T>
double blockedSum(const Ops<T>& o, const T* x, size_t n, size_t threads) {
  if (n <= BLOCK) return o.sum(x, n);
  double s = 0;
  for (double p : perBlock<double>(n, threads, BLOCK, [&](size_t s0, size_t len) { return o.sum(x + s0, len); })) s += p;
  return s;
}

template <class T>
double variance(const Ops<T>& o, const T* x, size_t n, size_t threads, double ddof) {
  if (n == 0 || static_cast<double>(n) <= ddof) return std::numeric_limits<double>::quiet_NaN();
  // Corrected two-pass algorithm (Chan, Golub & LeVeque): Σ(x-m)² - (Σ(x-m))²/n.
  const double m = blockedSum(o, x, n, threads) / static_cast<double>(n);
  struct S {
    double s1, s2;
  };
  double s1 = 0, s2 = 0;
  for (const S& p : perBlock<S>(n, threads, BLOCK, [&](size_t s0, size_t len) {
         S r;
         o.devsums(x + s0, len, m, &r.s1, &r.s2);
         return r;
       })) {
    s1 += p.s1;
    s2 += p.s2;
  }
  double v = (s2 - s1 * s1 / static_cast<double>(n)) / (static_cast<double>(n) - ddof);
  return v < 0 ? 0 : v;
}

template <class T>
MinMax minmax(const Ops<T>& o, const T* x, size_t n, size_t threads) {
  MinMax r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), false};
  for (const MinMax& p : perBlock<MinMax>(n, threads, BLOCK, [&](size_t s0, size_t len) {
         MinMax q;
         o.minmax(x + s0, len, &q.mn, &q.mx, &q.nan);
         return q;
       })) {
    r.mn = p.mn < r.mn ? p.mn : r.mn;
    r.mx = p.mx > r.mx ? p.mx : r.mx;
    r.nan = r.nan || p.nan;
  }
  return r;
}

template <class T>
double nrm2(const Ops<T>& o, const T* x, size_t n, size_t threads) {
  double ss = 0;
  for (double p : perBlock<double>(n, threads, BLOCK, [&](size_t s0, size_t len) { return o.dot(x + s0, x + s0, len); }))
    ss += p;
  if (std::isnan(ss)) return ss;
  // Fast path unless Σx² overflowed or may have underflowed; then rescale by a power of two.
  if (std::isfinite(ss) && ss > 1e-280) return std::sqrt(ss);
  double amax = 0;
  for (double p : perBlock<double>(n, threads, BLOCK, [&](size_t s0, size_t len) { return o.amax(x + s0, len); }))
    amax = p > amax ? p : amax;
  if (amax == 0 || std::isinf(amax)) return amax;
  int e = 0;
  std::frexp(amax, &e);
  const double s = std::ldexp(1.0, std::max(-1000, std::min(1000, -e)));
  double q = 0;
  for (double p : perBlock<double>(n, threads, BLOCK, [&](size_t s0, size_t len) { return o.sumsq_scaled(x + s0, len, s); }))
    q += p;
  return std::sqrt(q) / s;
}

template <R K>
class ReduceJob : public Job {
 public:
  ReduceJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, rname(K), keep());
    x_ = p.array(0, "x");
    Opts o = p.opts(1);
    ddof_ = o.ddof;
    threads_ = pick(o, static_cast<double>(x_.bytes()));
  }
  void run() {
    withDType(x_.dt, [&](auto tag) {
      using T = decltype(tag);
      const Ops<T>& o = opsOf<T>(table_);
      const T* x = x_.ptr<T>();
      const size_t n = x_.n;
      switch (K) {
        case R::Sum: res_ = blockedSum(o, x, n, threads_); break;
        case R::Mean:
          res_ = n ? blockedSum(o, x, n, threads_) / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
          break;
        case R::Var: res_ = variance(o, x, n, threads_, ddof_); break;
        case R::Std: res_ = std::sqrt(variance(o, x, n, threads_, ddof_)); break;
        case R::Min:
        case R::Max: {
          MinMax m = minmax(o, x, n, threads_);
          res_ = m.nan ? std::numeric_limits<double>::quiet_NaN() : K == R::Min ? m.mn : m.mx;
          break;
        }
        case R::Argmin:
        case R::Argmax: {
          if (n == 0) {
            res_ = -1;
            break;
          }
          MinMax m = minmax(o, x, n, threads_);
          double target = m.nan ? std::numeric_limits<double>::quiet_NaN() : K == R::Argmin ? m.mn : m.mx;
          res_ = static_cast<double>(o.find(x, n, target));
          break;
        }
        case R::Nrm2: res_ = nrm2(o, x, n, threads_); break;
      }
    });
  }
  Napi::Value result(Napi::Env env) { return Napi::Number::New(env, res_); }

 private:
  Arr x_;
  double ddof_ = 0;
  double res_ = 0;
};

class DotJob : public Job {
 public:
  DotJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "dot", keep());
    x_ = p.array(0, "x");
    y_ = p.array(1, "y");
    sameShape(p, x_, y_, "x", "y");
    threads_ = pick(p.opts(2), 2.0 * static_cast<double>(x_.bytes()));
  }
  void run() {
    withDType(x_.dt, [&](auto tag) {
      using T = decltype(tag);
      const Ops<T>& o = opsOf<T>(table_);
      const T *x = x_.ptr<T>(), *y = y_.ptr<T>();
      res_ = 0;
      for (double p : perBlock<double>(x_.n, threads_, BLOCK,
                                       [&](size_t s0, size_t len) { return o.dot(x + s0, y + s0, len); }))
        res_ += p;
    });
  }
  Napi::Value result(Napi::Env env) { return Napi::Number::New(env, res_); }

 private:
  Arr x_, y_;
  double res_ = 0;
};

}  // namespace

void registerReductions(Napi::Env env, Napi::Object exports) {
  entry<ReduceJob<R::Sum>>(env, exports, "sum");
  entry<ReduceJob<R::Mean>>(env, exports, "mean");
  entry<ReduceJob<R::Var>>(env, exports, "variance");
  entry<ReduceJob<R::Std>>(env, exports, "std");
  entry<ReduceJob<R::Min>>(env, exports, "min");
  entry<ReduceJob<R::Max>>(env, exports, "max");
  entry<ReduceJob<R::Argmin>>(env, exports, "argmin");
  entry<ReduceJob<R::Argmax>>(env, exports, "argmax");
  entry<ReduceJob<R::Nrm2>>(env, exports, "nrm2");
  entry<DotJob>(env, exports, "dot");
}

}  // namespace hl
