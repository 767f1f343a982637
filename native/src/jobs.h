// One class per routine family. A job parses and validates its arguments on the JS thread (the
// constructor), computes with no N-API calls (run(), on the JS thread for sync entries or a libuv
// worker for …Async ones) and converts the result back on the JS thread (result()).
#pragma once
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <limits>
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

/** Holds what an async job must keep alive until it resolves; a no-op for sync calls. */
class Job {
 public:
  explicit Job(bool async) : async_(async) {}
  std::vector<Napi::ObjectReference>* keep() { return async_ ? &keep_ : nullptr; }

 protected:
  /** The output array (allocated or given by options.out), kept alive across threads. */
  void setOut(Napi::Object o) {
    if (async_) outRef_ = Napi::Persistent(o);
    else out_ = o;
  }
  Napi::Value out() const { return async_ ? outRef_.Value() : out_; }
  size_t pick(const Opts& o, double bytes) const {
    return o.threads ? o.threads : bytes >= static_cast<double>(parallelThreshold()) ? Pool::hardware() : 1;
  }
  const Table* table_ = currentTable();
  size_t threads_ = 1;

 private:
  bool async_;
  std::vector<Napi::ObjectReference> keep_;
  Napi::Object out_;
  Napi::ObjectReference outRef_;
};

inline bool overlaps(const Arr& a, const Arr& b) {
  auto a0 = static_cast<const char*>(a.data), b0 = static_cast<const char*>(b.data);
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
  Napi::Env env = p.env();
  Napi::TypedArray ta;
  switch (dt) {
    case DType::F64: ta = Napi::Float64Array::New(env, n); break;
    case DType::F32: ta = Napi::Float32Array::New(env, n); break;
    case DType::I32: ta = Napi::Int32Array::New(env, n); break;
  }
  *holder = ta;
  Arr a;
  a.dt = dt;
  a.n = n;
  a.typed = true;
  a.data = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
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
