// One class per routine family. A job parses and validates its arguments on the JS thread (the
// constructor), computes with no N-API calls (run(), on the JS thread for sync entries or a libuv
// worker for …Async ones) and converts the result back on the JS thread (result()).
#pragma once
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <utility>
#include <vector>

#include "args.h"
#include "kernels.h"
#include "pool.h"

namespace hl {

const Table* currentTable();
/** Bytes of input from which a call uses every hardware thread by default (see README). */
size_t parallelThreshold();

constexpr size_t BLOCK = 1 << 16;  // elements per reduction block: partials combine in block order

template <class T>
const Ops<T>& opsOf(const Table* t);
template <>
inline const Ops<double>& opsOf<double>(const Table* t) { return t->f64; }
template <>
inline const Ops<float>& opsOf<float>(const Table* t) { return t->f32; }
template <>
inline const Ops<int32_t>& opsOf<int32_t>(const Table* t) { return t->i32; }

template <class F>
void withDType(DType dt, F&& f) {
  switch (dt) {
    case DType::F64: f(double{}); break;
    case DType::F32: f(float{}); break;
    case DType::I32: f(int32_t{}); break;
  }
}

/** Runs f(start, len) over BLOCK-sized pieces of [0, n) and returns the results in block order. */
template <class R, class F>
std::vector<R> perBlock(size_t n, size_t threads, size_t block, F f) {
  const size_t nb = n == 0 ? 0 : (n + block - 1) / block;
  std::vector<R> out(nb);
  Pool::instance().run(threads, nb, [&](size_t b) {
    const size_t s = b * block;
    out[b] = f(s, std::min(block, n - s));
  });
  return out;
}

/**
 * Output ranges of …Async calls still in flight (addresses in JS memory). A second call that would
 * write an overlapping range — sync or async — is rejected: it would race the first call's write-back
 * and lose updates (200 concurrent axpyAsync into one y gave 6 distinct values). Guarded by a mutex:
 * worker_threads load the addon in several environments of one process.
 */
class Inflight {
 public:
  static bool add(const void* p, size_t bytes) {
    std::lock_guard<std::mutex> lk(m());
    const auto b = reinterpret_cast<uintptr_t>(p);
    for (const auto& r : ranges())
      if (b < r.second && r.first < b + bytes) return false;
    ranges().emplace_back(b, b + bytes);
    return true;
  }
  static bool busy(const void* p, size_t bytes) {
    std::lock_guard<std::mutex> lk(m());
    const auto b = reinterpret_cast<uintptr_t>(p);
    for (const auto& r : ranges())
      if (b < r.second && r.first < b + bytes) return true;
    return false;
  }
  static void remove(const void* p) {
    std::lock_guard<std::mutex> lk(m());
    auto& v = ranges();
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i].first == reinterpret_cast<uintptr_t>(p)) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
  }

 private:
  static std::mutex& m() {
    static std::mutex* mu = new std::mutex();  // leaked: no destructor ordering at exit
    return *mu;
  }
  static std::vector<std::pair<uintptr_t, uintptr_t>>& ranges() {
    static auto* v = new std::vector<std::pair<uintptr_t, uintptr_t>>();
    return *v;
  }
};

/** Holds what an async job must keep alive until it resolves; a no-op for sync calls. */
class Job {
 public:
  explicit Job(bool async) : async_(async) {}
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;
  ~Job() {
    if (registered_) Inflight::remove(wb_->orig);
  }
  std::vector<Napi::ObjectReference>* keep() { return async_ ? &keep_ : nullptr; }

  /**
   * On the JS thread after an …Async run: copies the private result into the caller's output
   * (options.out, axpy's y), or throws when that array's buffer was detached meanwhile.
   */
  void finish(Napi::Env env, const char* fn) {
    if (!wb_ || wb_->n == 0 || wb_->data == wb_->orig) return;
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    napi_value buf;
    size_t off = 0;
    if (napi_get_typedarray_info(env, outRef_.Value(), &type, &len, &data, &buf, &off) != napi_ok || len != wb_->n ||
        data == nullptr)
      throw Napi::TypeError::New(env, std::string("hotloop kernels.") + fn +
                                          "Async: the output array's ArrayBuffer was detached (transferred) while "
                                          "the call ran; the result was discarded. Transfer it after the Promise settles");
    std::memcpy(data, wb_->data, wb_->bytes());
  }

 protected:
  /**
   * The output array (allocated, or given by options.out / axpy's y), kept alive across threads.
   * A caller's array must not be the target of an …Async call still in flight.
   */
  void setOut(Parser& p, Napi::Object o, const Arr& a) {
    if (async_) outRef_ = Napi::Persistent(o);
    else out_ = o;
    if (!a.fromJs || a.n == 0) return;
    const char* busy =
        "the output array overlaps the output of an …Async call still in flight; await that call first "
        "(concurrent writes to one buffer would lose updates)";
    if (!async_) {
      if (Inflight::busy(a.orig, a.bytes())) p.rangeError(busy);
      return;
    }
    if (!Inflight::add(a.orig, a.bytes())) p.rangeError(busy);
    wb_ = &a;
    registered_ = true;
  }
  Napi::Value out() const { return async_ ? outRef_.Value() : out_; }
  size_t pick(const Opts& o, double bytes) const {
    return o.threads ? o.threads : bytes >= static_cast<double>(parallelThreshold()) ? Pool::hardware() : 1;
  }
  const Table* table_ = currentTable();
  size_t threads_ = 1;

 private:
  bool async_;
  bool registered_ = false;
  const Arr* wb_ = nullptr;  // the caller's output (a member of the derived job) to write back
  std::vector<Napi::ObjectReference> keep_;
  Napi::Object out_;
  Napi::ObjectReference outRef_;
};

/** Whether two arrays share bytes in JS memory (the originals, not an …Async call's copies). */
inline bool overlaps(const Arr& a, const Arr& b) {
  auto a0 = static_cast<const char*>(a.orig), b0 = static_cast<const char*>(b.orig);
  return a.n && b.n && a0 < b0 + b.bytes() && b0 < a0 + a.bytes();
}

/** A new typed array of `dt` and n elements, or options.out checked against them. */
inline Arr outputArray(Parser& p, const Opts& o, DType dt, size_t n, Napi::Object* holder) {
  if (o.hasOut) {
    Arr a = p.arrayOf(o.out, "options.out", false);
    if (a.dt != dt)
      p.typeError(std::string("options.out is a ") + dtypeName(a.dt) + " but the result is a " + dtypeName(dt) +
                  "; pass a " + dtypeName(dt));
    if (a.n != n)
      p.rangeError("options.out has length " + std::to_string(a.n) + " but the result needs " + std::to_string(n));
    *holder = o.out;
    return a;
  }
  // Through the JS constructor: a failed allocation is a catchable RangeError there, while
  // napi_create_arraybuffer (v8::ArrayBuffer::New) ends the process with "FATAL ERROR".
  Napi::Env env = p.env();
  const double bytes = static_cast<double>(n) * static_cast<double>(dtypeSize(dt));
  Napi::Value made;
  try {
    made = env.Global().Get(dtypeName(dt)).As<Napi::Function>().New({Napi::Number::New(env, static_cast<double>(n))});
  } catch (const Napi::Error& e) {
    p.rangeError("could not allocate the result (" + std::to_string(n) + " elements, " +
                 std::to_string(static_cast<long long>(bytes / 1e6)) + " MB): " + e.Message());
  }
  Arr a;
  napi_typedarray_type type;
  size_t len = 0;
  void* data = nullptr;
  napi_value buf;
  size_t off = 0;
  if (!made.IsTypedArray() || napi_get_typedarray_info(env, made, &type, &len, &data, &buf, &off) != napi_ok ||
      len != n)
    p.typeError(std::string("globalThis.") + dtypeName(dt) + " did not make a " + dtypeName(dt) + " of length " +
                std::to_string(n) + "; do not replace the built-in typed array constructors");
  *holder = made.As<Napi::Object>();
  a.dt = dt;
  a.n = n;
  a.typed = true;
  a.data = data;
  a.orig = data;
  return a;
}

/** Checks that y matches x in element type and (unless len is given) length. */
inline void sameShape(Parser& p, const Arr& x, const Arr& y, const char* xn, const char* yn) {
  if (x.dt != y.dt)
    p.typeError(std::string(xn) + " is a " + dtypeName(x.dt) + " but " + yn + " is a " + dtypeName(y.dt) +
                "; both must have the same element type (a number[] counts as Float64Array)");
  if (x.n != y.n)
    p.rangeError(std::string(xn) + " has length " + std::to_string(x.n) + " but " + yn + " has length " +
                 std::to_string(y.n) + "; they must match");
}

inline void noInt(Parser& p, const Arr& x, const char* fn) {
  if (x.dt == DType::I32)
    p.typeError(std::string(fn) + " does not support Int32Array input; convert with Float64Array.from(x)");
}

}  // namespace hl
