// Elementwise routines (axpy, scale, add/sub/mul/div, exp/log/sqrt/sin/cos/pow), the prefix sum
// and the histogram. Each output element depends on its inputs only, so threads split blocks freely.
#include "entry.h"
#include "jobs.h"

namespace hl {
namespace {

enum class M { Axpy, Scale, Add, Sub, Mul, Div, Exp, Log, Sqrt, Sin, Cos, Pow, Cumsum };

constexpr const char* mname(M k) {
  switch (k) {
    case M::Axpy: return "axpy";
    case M::Scale: return "scale";
    case M::Add: return "add";
    case M::Sub: return "sub";
    case M::Mul: return "mul";
    case M::Div: return "div";
    case M::Exp: return "exp";
    case M::Log: return "log";
    case M::Sqrt: return "sqrt";
    case M::Sin: return "sin";
    case M::Cos: return "cos";
    case M::Pow: return "pow";
    case M::Cumsum: return "cumsum";
  }
  return "?";
}

constexpr bool binary(M k) { return k == M::Add || k == M::Sub || k == M::Mul || k == M::Div; }
constexpr bool costly(M k) { return k == M::Exp || k == M::Log || k == M::Sin || k == M::Cos || k == M::Pow; }

template <M K>
class MapJob : public Job {
 public:
  MapJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, mname(K), keep());
    size_t optAt = 1;
    if (K == M::Axpy) {
      a_ = p.number(0, "a");
      x_ = p.array(1, "x");
      y_ = p.array(2, "y", false);
      sameShape(p, x_, y_, "x", "y");
      optAt = 3;
    } else if (K == M::Scale) {
      a_ = p.number(0, "a");
      x_ = p.array(1, "x");
      optAt = 2;
    } else {
      x_ = p.array(0, "x");
      if (binary(K)) {
        y_ = p.array(1, "y");
        sameShape(p, x_, y_, "x", "y");
        optAt = 2;
      } else if (K == M::Pow) {
        if (info[1].IsNumber()) {
          a_ = p.number(1, "p");
          scalarPow_ = true;
        } else {
          y_ = p.array(1, "p");
          sameShape(p, x_, y_, "x", "p");
        }
        optAt = 2;
      }
    }
    noInt(p, x_, mname(K));
    Opts o = p.opts(optAt);
    Napi::Object holder;
    if (K == M::Axpy) {
      if (o.hasOut) p.typeError("axpy updates y in place; options.out is not supported");
      out_ = y_;
      holder = info[2].As<Napi::Object>();
    } else {
      out_ = outputArray(p, o, x_.dt, x_.n, &holder);
      const bool inX = out_.orig == x_.orig, inY = y_.orig != nullptr && out_.orig == y_.orig;
      if (!(inX || inY) && (overlaps(out_, x_) || (y_.n && overlaps(out_, y_))))
        p.rangeError("options.out partially overlaps an input; pass the input itself (in place) or a separate array");
      // In place on an …Async call: one private copy serves as input and output.
      if (inX && x_.owned) out_.data = x_.data, out_.owned = x_.owned;
      else if (inY && y_.owned) out_.data = y_.data, out_.owned = y_.owned;
    }
    setOut(p, holder, out_);
    threads_ = pick(o, static_cast<double>(x_.bytes()) * (costly(K) ? 16 : 1));
  }

  void run() {
    if (x_.n == 0) return;
    if (x_.dt == DType::F64) runT<double>();
    else runT<float>();
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  template <class T>
  void runT() {
    const Ops<T>& o = opsOf<T>(table_);
    const T* x = x_.ptr<T>();
    const T* y = y_.ptr<T>();
    T* out = out_.ptr<T>();
    const T a = static_cast<T>(a_);
    if (K == M::Cumsum) return cumsum(o, x, out);
    perBlock<char>(x_.n, threads_, BLOCK, [&](size_t s, size_t len) {
      switch (K) {
        case M::Axpy: o.axpy(a, x + s, out + s, len); break;
        case M::Scale: o.scale(a, x + s, out + s, len); break;
        case M::Add: o.add(x + s, y + s, out + s, len); break;
        case M::Sub: o.sub(x + s, y + s, out + s, len); break;
        case M::Mul: o.mul(x + s, y + s, out + s, len); break;
        case M::Div: o.div(x + s, y + s, out + s, len); break;
        case M::Exp: o.exp(x + s, out + s, len); break;
        case M::Log: o.log(x + s, out + s, len); break;
        case M::Sqrt: o.sqrt(x + s, out + s, len); break;
        case M::Sin: o.sin(x + s, out + s, len); break;
        case M::Cos: o.cos(x + s, out + s, len); break;
        case M::Pow:
          if (scalarPow_) o.pows(x + s, a, out + s, len);
          else o.pow(x + s, y + s, out + s, len);
          break;
        case M::Cumsum: break;
      }
      return char(0);
    });
  }

  /** Two passes over blocks: block totals, then each block's scan from its offset. */
  template <class T>
  void cumsum(const Ops<T>& o, const T* x, T* out) {
    const size_t n = x_.n;
    if (n <= BLOCK) return o.cumsum(x, n, 0, out);
    std::vector<double> tot = perBlock<double>(n, threads_, BLOCK, [&](size_t s, size_t len) { return o.sum(x + s, len); });
    std::vector<double> off(tot.size());
    double acc = 0;
    for (size_t b = 0; b < tot.size(); ++b) off[b] = acc, acc += tot[b];
    perBlock<char>(n, threads_, BLOCK, [&](size_t s, size_t len) {
      o.cumsum(x + s, len, off[s / BLOCK], out + s);
      return char(0);
    });
  }

  Arr x_, y_, out_;
  double a_ = 0;
  bool scalarPow_ = false;
};

class HistogramJob : public Job {
 public:
  HistogramJob(const Napi::CallbackInfo& info, bool async) : Job(async) {
    Parser p(info, "histogram", keep());
    x_ = p.array(0, "x");
    bins_ = p.size(1, "bins");
    if (bins_ < 1 || bins_ > (1u << 24)) p.rangeError("bins must be from 1 to 16777216, got " + std::to_string(bins_));
    lo_ = p.finite(2, "lo");
    hi_ = p.finite(3, "hi");
    if (!(lo_ < hi_)) p.rangeError("lo must be less than hi, got lo = " + Parser::fmt(lo_) + ", hi = " + Parser::fmt(hi_));
    Opts o = p.opts(4);
    Napi::Object holder;
    out_ = outputArray(p, o, DType::F64, bins_, &holder);
    if (overlaps(out_, x_)) p.rangeError("options.out overlaps x; pass a separate output array");
    setOut(p, holder, out_);
    threads_ = pick(o, static_cast<double>(x_.bytes()));
  }
  void run() {
    double* counts = out_.ptr<double>();
    std::fill(counts, counts + bins_, 0.0);
    withDType(x_.dt, [&](auto tag) {
      using T = decltype(tag);
      const Ops<T>& o = opsOf<T>(table_);
      const T* x = x_.ptr<T>();
      const size_t n = x_.n;
      if (threads_ <= 1 || n < BLOCK) return o.histogram(x, n, lo_, hi_, bins_, counts);
      // One private histogram per thread-sized chunk; counts are exact integers, so any order adds up the same.
      const size_t chunk = (n + threads_ - 1) / threads_;
      auto parts = perBlock<std::vector<double>>(n, threads_, chunk, [&](size_t s, size_t len) {
        std::vector<double> h(bins_, 0.0);
        o.histogram(x + s, len, lo_, hi_, bins_, h.data());
        return h;
      });
      for (const auto& h : parts)
        for (size_t b = 0; b < bins_; ++b) counts[b] += h[b];
    });
  }
  Napi::Value result(Napi::Env) { return out(); }

 private:
  Arr x_, out_;
  size_t bins_ = 0;
  double lo_ = 0, hi_ = 0;
};

}  // namespace

void registerElementwise(Napi::Env env, Napi::Object exports) {
  entry<MapJob<M::Axpy>>(env, exports, "axpy");
  entry<MapJob<M::Scale>>(env, exports, "scale");
  entry<MapJob<M::Add>>(env, exports, "add");
  entry<MapJob<M::Sub>>(env, exports, "sub");
  entry<MapJob<M::Mul>>(env, exports, "mul");
  entry<MapJob<M::Div>>(env, exports, "div");
  entry<MapJob<M::Exp>>(env, exports, "exp");
  entry<MapJob<M::Log>>(env, exports, "log");
  entry<MapJob<M::Sqrt>>(env, exports, "sqrt");
  entry<MapJob<M::Sin>>(env, exports, "sin");
  entry<MapJob<M::Cos>>(env, exports, "cos");
  entry<MapJob<M::Pow>>(env, exports, "pow");
  entry<MapJob<M::Cumsum>>(env, exports, "cumsum");
  entry<HistogramJob>(env, exports, "histogram");
}

}  // namespace hl
