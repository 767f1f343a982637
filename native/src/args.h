// Argument parsing and validation shared by every entry: wrong types throw TypeError, bad sizes
// and mismatched lengths RangeError, each message naming the routine, the parameter and what to do.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace hl {

enum class DType { F64, F32, I32 };

inline const char* dtypeName(DType d) {
  switch (d) {
    case DType::F64: return "Float64Array";
    case DType::F32: return "Float32Array";
    case DType::I32: return "Int32Array";
  }
  return "?";
}

inline size_t dtypeSize(DType d) { return d == DType::F64 ? 8 : 4; }

/** A validated array argument: a zero-copy view of a typed array, or a converted number[]. */
struct Arr {
  DType dt = DType::F64;
  void* data = nullptr;
  size_t n = 0;
  bool typed = false;
  /** A typed array passed by JS (not a new result array): a possible write-back target. */
  bool fromJs = false;
  /** Where the elements live in JS memory (overlap checks compare this, never the copy). */
  const void* orig = nullptr;
  /** number[] converted element by element, or (…Async) a private copy of a typed array. */
  std::shared_ptr<std::vector<double>> owned;
  template <class T>
  T* ptr() const { return static_cast<T*>(data); }
  size_t bytes() const { return n * dtypeSize(dt); }
};

/** Per-call options: `{ threads, out, alpha, beta, ddof }`. */
struct Opts {
  size_t threads = 0;  // 0 = automatic
  bool hasOut = false;
  Napi::Object out;
  double alpha = 1, beta = 0, ddof = 0;
};

class Parser {
 public:
  /** keep is non-null for …Async calls: typed arrays are then copied (see copyForAsync). */
  Parser(const Napi::CallbackInfo& info, const char* fn, std::vector<Napi::ObjectReference>* keep)
      : info_(info), env_(info.Env()), fn_(fn), keep_(keep) {}

  Napi::Env env() const { return env_; }
  size_t length() const { return info_.Length(); }

  [[noreturn]] void typeError(const std::string& msg) const {
    throw Napi::TypeError::New(env_, std::string("hotloop kernels.") + fn_ + ": " + msg);
  }
  [[noreturn]] void rangeError(const std::string& msg) const {
    throw Napi::RangeError::New(env_, std::string("hotloop kernels.") + fn_ + ": " + msg);
  }

  static std::string describe(const Napi::Value& v) {
    if (v.IsUndefined()) return "undefined";
    if (v.IsNull()) return "null";
    if (v.IsNumber()) return "a number";
    if (v.IsString()) return "a string";
    if (v.IsBoolean()) return "a boolean";
    if (v.IsBigInt()) return "a bigint";
    if (v.IsFunction()) return "a function";
    if (v.IsArrayBuffer()) return "an ArrayBuffer (wrap it in a Float64Array view)";
    if (v.IsDataView()) return "a DataView";
    if (v.IsTypedArray()) {
      switch (v.As<Napi::TypedArray>().TypedArrayType()) {
        case napi_int8_array: return "an Int8Array";
        case napi_uint8_array: return "a Uint8Array";
        case napi_uint8_clamped_array: return "a Uint8ClampedArray";
        case napi_int16_array: return "an Int16Array";
        case napi_uint16_array: return "a Uint16Array";
        case napi_uint32_array: return "a Uint32Array";
        case napi_bigint64_array: return "a BigInt64Array";
        case napi_biguint64_array: return "a BigUint64Array";
        default: return "a typed array of an unsupported kind";
      }
    }
    if (v.IsArray()) return "an array";
    return "an object";
  }

  /** A typed array (Float64Array, Float32Array, Int32Array) or, when allowed, a number[]. */
  Arr array(size_t i, const char* name, bool allowList = true) { return arrayOf(info_[i], name, allowList); }

  Arr arrayOf(Napi::Value v, const char* name, bool allowList) {
    Arr a;
    if (v.IsTypedArray()) {
      // One napi_get_typedarray_info call: type, length and data (offset applied) of the view.
      napi_typedarray_type type;
      size_t len = 0;
      void* data = nullptr;
      napi_value buf;
      size_t off = 0;
      if (napi_get_typedarray_info(env_, v, &type, &len, &data, &buf, &off) != napi_ok)
        typeError(std::string(name) + " could not be read as a typed array");
      switch (type) {
        case napi_float64_array: a.dt = DType::F64; break;
        case napi_float32_array: a.dt = DType::F32; break;
        case napi_int32_array: a.dt = DType::I32; break;
        default:
          typeError(std::string(name) + " is " + describe(v) +
                    "; pass a Float64Array, Float32Array or Int32Array (convert with Float64Array.from(x))");
      }
      // A detached buffer reads as length 0, so only empty views need the (slower) check.
      if (len == 0) {
        bool detached = false;
        napi_is_detached_arraybuffer(env_, buf, &detached);
        if (detached)
          typeError(std::string(name) +
                    "'s ArrayBuffer is detached (it was transferred to a worker or structuredClone'd with "
                    "transfer); pass an array whose buffer is still owned by this thread");
      }
      a.n = len;
      a.data = data;
      a.orig = data;
      a.typed = true;
      a.fromJs = true;
      seen_.push_back({v, data, len, name});
      if (keep_) {
        keep_->push_back(Napi::Persistent(v.As<Napi::Object>()));
        copyForAsync(a, name);
      }
      return a;
    }
    if (v.IsArray() && allowList) {
      auto arr = v.As<Napi::Array>();
      a.n = arr.Length();
      if (a.n > 0 && !arr.Get(uint32_t(0)).IsNumber())  // fail before allocating for a hostile length
        typeError(std::string(name) + "[0] is " + describe(arr.Get(uint32_t(0))) +
                  "; every element of a number[] must be a number");
      a.owned = allocate(0, name);
      try {
        a.owned->reserve(a.n);  // reserved, not touched: a sparse [x, <2**31 holes>] fails at [1]
      } catch (const std::exception&) {
        rangeError(std::string("out of memory converting ") + name + " (" + std::to_string(a.n) +
                   " elements); pass a typed array");
      }
      for (uint32_t k = 0; k < a.n; ++k) {
        Napi::Value e = arr.Get(k);
        if (!e.IsNumber())
          typeError(std::string(name) + "[" + std::to_string(k) + "] is " + describe(e) +
                    "; every element of a number[] must be a number");
        a.owned->push_back(e.As<Napi::Number>().DoubleValue());
      }
      a.data = a.owned->data();
      a.orig = a.data;
      return a;
    }
    typeError(std::string(name) + " is " + describe(v) +
              (allowList ? "; pass a Float64Array, Float32Array, Int32Array or number[]"
                         : "; pass a Float64Array or Float32Array (it is written in place)"));
  }

  double number(size_t i, const char* name) {
    Napi::Value v = info_[i];
    if (!v.IsNumber()) typeError(std::string(name) + " is " + describe(v) + "; pass a number");
    return v.As<Napi::Number>().DoubleValue();
  }

  double finite(size_t i, const char* name) {
    double d = number(i, name);
    if (!std::isfinite(d)) rangeError(std::string(name) + " must be finite, got " + fmt(d));
    return d;
  }

  /** A non-negative integer size (rejects NaN, ±Infinity, fractions, negatives, > 2^40). */
  size_t size(size_t i, const char* name) {
    double d = number(i, name);
    if (!(d >= 0) || d != std::floor(d) || d > 1099511627776.0)
      rangeError(std::string(name) + " must be a non-negative integer, got " + fmt(d));
    return static_cast<size_t>(d);
  }

  Opts opts(size_t i) {
    Opts o;
    if (i >= info_.Length() || info_[i].IsUndefined()) return o;
    Napi::Value v = info_[i];
    if (!v.IsObject() || v.IsArray() || v.IsTypedArray() || v.IsFunction())
      typeError("options is " + describe(v) + "; pass an object like { threads: 2 } or leave it out");
    auto obj = v.As<Napi::Object>();
    Napi::Value t = obj.Get("threads");
    if (!t.IsUndefined()) {
      if (!t.IsNumber()) typeError("options.threads is " + describe(t) + "; pass an integer from 1 to 256");
      double d = t.As<Napi::Number>().DoubleValue();
      if (!(d >= 1 && d <= 256) || d != std::floor(d))
        rangeError("options.threads must be an integer from 1 to 256, got " + fmt(d));
      o.threads = static_cast<size_t>(d);
    }
    Napi::Value out = obj.Get("out");
    if (!out.IsUndefined()) {
      if (!out.IsTypedArray()) typeError("options.out is " + describe(out) + "; pass a typed array to write into");
      o.hasOut = true;
      o.out = out.As<Napi::Object>();
    }
    o.alpha = optNumber(obj, "alpha", 1);
    o.beta = optNumber(obj, "beta", 0);
    o.ddof = optNumber(obj, "ddof", 0);
    if (o.ddof < 0 || o.ddof != std::floor(o.ddof))
      rangeError("options.ddof must be a non-negative integer, got " + fmt(o.ddof));
    recheck();
    return o;
  }

  /**
   * Options are read after the arrays, and reading them runs JS (getters) that may detach an array
   * already taken: its pointer would then be freed memory. Every typed array is checked again.
   */
  void recheck() {
    for (const Seen& s : seen_) {
      napi_typedarray_type type;
      size_t len = 0;
      void* data = nullptr;
      napi_value buf;
      size_t off = 0;
      if (napi_get_typedarray_info(env_, s.v, &type, &len, &data, &buf, &off) != napi_ok || len != s.len ||
          data != s.data)
        typeError(std::string(s.name) +
                  "'s ArrayBuffer was detached or resized while the arguments were read (by an options getter?); "
                  "pass arrays that stay attached for the whole call");
    }
  }

  static std::string fmt(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    return buf;
  }

  /** n doubles, or a RangeError naming the parameter when the allocation fails. */
  std::shared_ptr<std::vector<double>> allocate(size_t n, const char* name) const {
    try {
      return std::make_shared<std::vector<double>>(n);
    } catch (const std::exception&) {  // std::bad_alloc, std::length_error
      rangeError(std::string("out of memory copying ") + name + " (" + std::to_string(n) +
                 " elements); pass a smaller array or a typed array");
    }
  }

 private:
  /**
   * …Async calls compute on a private copy of every typed array: a Napi::Reference keeps the view
   * from being collected but not its ArrayBuffer from being detached (transferred) while a libuv
   * worker reads it, and a detached buffer's memory is freed with the transfer's receiver. Outputs
   * given by the caller are written back on the JS thread when the call completes (Job::finish).
   */
  void copyForAsync(Arr& a, const char* name) const {
    if (a.n == 0) return;
    const size_t bytes = a.bytes();
    a.owned = allocate((bytes + 7) / 8, name);
    std::memcpy(a.owned->data(), a.orig, bytes);
    a.data = a.owned->data();
  }

  double optNumber(const Napi::Object& obj, const char* key, double dflt) {
    Napi::Value v = obj.Get(key);
    if (v.IsUndefined()) return dflt;
    if (!v.IsNumber()) typeError(std::string("options.") + key + " is " + describe(v) + "; pass a finite number");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d)) rangeError(std::string("options.") + key + " must be finite, got " + fmt(d));
    return d;
  }

  const Napi::CallbackInfo& info_;
  Napi::Env env_;
  const char* fn_;
  std::vector<Napi::ObjectReference>* keep_;
  struct Seen {
    napi_value v;
    void* data;
    size_t len;
    const char* name;
  };
  std::vector<Seen> seen_;
};

}  // namespace hl
