// The C++ helpers every native scaffold shares: JS number semantics that C++ does not give for free
// (ToInt32 and the typed-array store conversions, Math.min/max/round/sign/pow edge cases, truthiness)
// and bounds-checked element access (an out-of-bounds read is `undefined` in JS, NaN in arithmetic;
// an out-of-bounds store to a typed array is dropped), plus the interval helpers of the loop-versioning
// guard (versioning.ts) that lets proven-in-range loops skip those checks. Compiled with -ffp-contract=off and without
// -ffast-math so that + − × ÷ round exactly as V8 does.
export const CPP_PRELUDE = String.raw`#include <napi.h>

#include <cmath>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

// Which copy of a versioned loop nest ran (0 checked, 1 fast, 2 unroll-and-jam, 3 interchanged): counted only when
// built with -DHOTLOOP_COUNT_PATHS (tests); a no-op otherwise.
#ifdef HOTLOOP_COUNT_PATHS
#include <atomic>
namespace hotloop {
inline std::atomic<uint64_t> pathCount[4];
}
#define HOTLOOP_PATH(k) static_cast<void>(hotloop::pathCount[k].fetch_add(1, std::memory_order_relaxed))
#else
#define HOTLOOP_PATH(k) static_cast<void>(0)
#endif

// A kernel's compute function is built twice by GCC on x86-64 Linux: for x86-64-v3 (AVX2: four
// double lanes; floor, ceil and trunc one roundsd each instead of a compare-and-convert sequence)
// and for the baseline, and the loader picks one for the CPU (an ifunc), so an addon built here
// still runs on an older x86-64. The same operations in the same order: results do not change.
// Elsewhere (clang, macOS, Windows, musl, nvcc), or with -DHOTLOOP_NO_CLONES, it is built once.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__CUDACC__) && !defined(HOTLOOP_NO_CLONES) && defined(__GLIBC__)
#define HOTLOOP_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HOTLOOP_CLONES
#endif

namespace hotloop {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/** A view of an array's elements: zero-copy on a typed array (honouring its byteOffset), or a converted number[]. */
template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
};

/** JS ToBoolean of a number. */
inline bool truthy(double x) { return x != 0 && !std::isnan(x); }

/**
 * JS ToInt32 (modular, NaN and ±Infinity to 0). Below 2^63 in magnitude it is the truncating cast to
 * int64 taken modulo 2^32 (NaN fails both tests); beyond, std::fmod.
 */
inline int32_t toInt32(double x) {
  if (x > -9223372036854775808.0 && x < 9223372036854775808.0)
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(x)));
  if (!std::isfinite(x)) return 0;
  double t = std::trunc(x);
  if (t >= -2147483648.0 && t <= 2147483647.0) return static_cast<int32_t>(t);
  double m = std::fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}
// (The cast path made a Uint32Array store of a sum, dsp.js's FFT table, 2× faster than trunc + range tests.)
inline uint32_t toUint32(double x) { return static_cast<uint32_t>(toInt32(x)); }

/**
 * JS a % b: std::fmod, whose library call costs ~20 ns, except for two integers below 2^53
 * (table indices, i % n), where the integer remainder is the same number: exact, truncated
 * toward zero, the dividend's sign — and -0 where JS gives it (a zero remainder of a negative).
 */
inline double jsMod(double a, double b) {
  if (b != 0 && std::fabs(a) < 9007199254740992.0 && std::fabs(b) < 9007199254740992.0 &&
      a == std::trunc(a) && b == std::trunc(b)) {
    int64_t r = static_cast<int64_t>(a) % static_cast<int64_t>(b);
    return r == 0 && std::signbit(a) ? -0.0 : static_cast<double>(r);
  }
  return std::fmod(a, b);
}

/** Uint8ClampedArray's conversion: clamp, then round half to even. */
inline uint8_t toUint8Clamp(double x) {
  if (!(x > 0)) return 0;  // NaN too
  if (x >= 255) return 255;
  double f = std::floor(x);
  double d = x - f;
  if (d > 0.5) return static_cast<uint8_t>(f + 1);
  if (d < 0.5) return static_cast<uint8_t>(f);
  return static_cast<uint8_t>(static_cast<int>(f) % 2 == 0 ? f : f + 1);
}

/** Store conversions, as assigning a number to an element of each typed array does. */
inline double conv(double*, double v) { return v; }
inline float conv(float*, double v) { return static_cast<float>(v); }
inline int32_t conv(int32_t*, double v) { return toInt32(v); }
inline uint32_t conv(uint32_t*, double v) { return toUint32(v); }
inline int16_t conv(int16_t*, double v) { return static_cast<int16_t>(toInt32(v)); }
inline uint16_t conv(uint16_t*, double v) { return static_cast<uint16_t>(toInt32(v)); }
inline int8_t conv(int8_t*, double v) { return static_cast<int8_t>(toInt32(v)); }
inline uint8_t conv(uint8_t*, double v) { return static_cast<uint8_t>(toInt32(v)); }

/** An index as JS sees it: a non-negative integer below length, else out of bounds (-1). */
inline int64_t index(double i, size_t length) {
  // In range first (NaN fails), so the cast is defined; then whole: a round trip, not std::floor
  // (which baseline x86-64, without SSE4.1's roundsd, expands into a longer sequence per load).
  if (!(i >= 0) || i >= static_cast<double>(length)) return -1;
  const int64_t k = static_cast<int64_t>(i);
  return static_cast<double>(k) == i ? k : -1;
}

template <typename T>
inline double load(const View<T>& a, int64_t i) {
  return (i >= 0 && static_cast<uint64_t>(i) < a.length) ? static_cast<double>(a.data[i]) : kNaN;
}
template <typename T>
inline double load(const View<T>& a, double i) { return load(a, index(i, a.length)); }

template <typename T>
inline void store(View<T>& a, int64_t i, double v) {
  if (i >= 0 && static_cast<uint64_t>(i) < a.length) a.data[i] = conv(a.data, v);
}
template <typename T>
inline void store(View<T>& a, double i, double v) { store(a, index(i, a.length), v); }
/** Uint8ClampedArray stores. */
inline void storeClamped(View<uint8_t>& a, int64_t i, double v) {
  if (i >= 0 && static_cast<uint64_t>(i) < a.length) a.data[i] = toUint8Clamp(v);
}
inline void storeClamped(View<uint8_t>& a, double i, double v) { storeClamped(a, index(i, a.length), v); }

/** An interval of exact integers for the loop-versioning guard; NaN bounds mean "not provably exact". */
struct Iv {
  double lo, hi;
};
constexpr double kIndexBound = 4503599627370496.0;  // 2^52: doubles and int64 agree on integers below it
inline Iv ivMake(double lo, double hi) {
  if (lo >= -kIndexBound && lo <= kIndexBound && hi >= -kIndexBound && hi <= kIndexBound) return Iv{lo, hi};
  return Iv{kNaN, kNaN};
}
/** A value fixed during the loop nest: usable only when it is an integer (else JS reads undefined). */
inline Iv ivPoint(double x) { return x == std::trunc(x) ? ivMake(x, x) : Iv{kNaN, kNaN}; }
inline Iv ivAdd(Iv a, Iv b) { return ivMake(a.lo + b.lo, a.hi + b.hi); }
inline Iv ivSub(Iv a, Iv b) { return ivMake(a.lo - b.hi, a.hi - b.lo); }
inline Iv ivMul(Iv a, Iv b) {
  if (std::isnan(a.lo) || std::isnan(b.lo)) return Iv{kNaN, kNaN};
  double p1 = a.lo * b.lo, p2 = a.lo * b.hi, p3 = a.hi * b.lo, p4 = a.hi * b.hi;
  double lo = p1, hi = p1;
  for (double p : {p2, p3, p4}) {
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  return ivMake(lo, hi);
}
/** The values an int64 index takes in "for (i = start; i < end; i += step)" (empty when lo > hi). */
inline Iv ivLoop(Iv start, Iv end) { return ivMake(start.lo, std::ceil(end.hi) - 1); }
/**
 * A loop stepped by a whole step >= 1 read at run time, from any start in start to its last value
 * below end: s + floor((e - s) / step) * step <= start.hi + floor((e - start.lo) / step) * step, and
 * <= e (never under-estimated: a rounded quotient can only make the floor larger). For fili's FFT
 * stage, j in [0, k - 1] and i from j by 2k below n = m·2k, it is n - k - 1: i + k stays below n.
 */
inline Iv ivLoopStep(Iv start, Iv end, double step) {
  const double e = std::ceil(end.hi) - 1;
  double last = start.hi + std::floor((e - start.lo) / step) * step;
  if (last > e) last = e;
  return ivMake(start.lo, last < start.lo ? start.lo : last);
}
/** Every index in the interval is a valid element index of an array of this length. */
inline bool ivIn(Iv a, size_t length) { return a.lo >= 0 && a.hi < static_cast<double>(length); }
/** Two arrays' elements do not overlap in memory (same buffer views included). */
template <typename T, typename U>
inline bool disjoint(const View<T>& a, const View<U>& b) {
  auto a0 = reinterpret_cast<uintptr_t>(a.data), b0 = reinterpret_cast<uintptr_t>(b.data);
  return a0 + a.length * sizeof(T) <= b0 || b0 + b.length * sizeof(U) <= a0;
}

/**
 * Whether the pairs (j, m) of an interchanged nest (interchange.ts), each touching j + m·S + o for
 * every o in offs and j in [j0, j0 + L), touch pairwise different elements: the sorted distinct
 * offsets at least L apart, all of them within a window shorter than S. Sorts offs.
 */
inline bool blockFree(int64_t* offs, int count, int64_t L, int64_t S) {
  for (int a = 1; a < count; a++)
    for (int b = a; b > 0 && offs[b] < offs[b - 1]; b--) {
      const int64_t t = offs[b];
      offs[b] = offs[b - 1];
      offs[b - 1] = t;
    }
  for (int a = 1; a < count; a++)
    if (offs[a] != offs[a - 1] && offs[a] - offs[a - 1] < L) return false;
  return offs[count - 1] - offs[0] + L <= S;
}

/** Math.min/Math.max: NaN wins, and −0 < +0. */
inline double jsMin(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  if (a == 0 && b == 0) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
inline double jsMax(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  if (a == 0 && b == 0) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
/** Math.round: half-way cases go towards +Infinity; −0 stays −0. */
inline double jsRound(double x) {
  if (!std::isfinite(x) || x == 0) return x;
  double r = std::ceil(x);
  if (r - 0.5 > x) r -= 1.0;
  if (r == 0 && x < 0) return -0.0;
  return r;
}
inline double jsSign(double x) {
  if (std::isnan(x) || x == 0) return x;
  return x > 0 ? 1.0 : -1.0;
}
/** Math.pow / **: unlike C, 1 ** NaN and (±1) ** ±Infinity are NaN in JS. */
inline double jsPow(double x, double y) {
  if (std::isnan(y)) return kNaN;
  if (std::isinf(y) && (x == 1 || x == -1)) return kNaN;
  return std::pow(x, y);
}
inline double jsFround(double x) { return static_cast<double>(static_cast<float>(x)); }
inline double jsImul(double a, double b) {
  return static_cast<double>(static_cast<int32_t>(toUint32(a) * toUint32(b)));
}
inline double jsShl(double a, double b) { return static_cast<double>(static_cast<int32_t>(toUint32(a) << (toUint32(b) & 31))); }
inline double jsShr(double a, double b) { return static_cast<double>(toInt32(a) >> (toUint32(b) & 31)); }
inline double jsUshr(double a, double b) { return static_cast<double>(toUint32(a) >> (toUint32(b) & 31)); }
inline double jsAnd(double a, double b) { return static_cast<double>(toInt32(a) & toInt32(b)); }
inline double jsOr(double a, double b) { return static_cast<double>(toInt32(a) | toInt32(b)); }
inline double jsXor(double a, double b) { return static_cast<double>(toInt32(a) ^ toInt32(b)); }
inline double jsNot(double a) { return static_cast<double>(~toInt32(a)); }
/** l && r and l || r on numbers: JS yields an operand, not a boolean. */
inline double andV(double l, double r) { return truthy(l) ? r : l; }
inline double orV(double l, double r) { return truthy(l) ? l : r; }

/** The length of an array argument, as a double (JS's a.length). */
template <typename T>
inline double len(const View<T>& a) { return static_cast<double>(a.length); }

/** Throws a TypeError into JS; returns false so callers can 'return hotloop::typeError(...)'. */
inline bool typeError(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

/**
 * A typed array argument's element type and elements (byteOffset honoured; null and 0 elements when its
 * buffer was detached, as JS sees it), read with ONE Node-API call; false (nothing thrown) when v is
 * no typed array. node-addon-api's IsTypedArray + TypedArrayType + TypedArrayOf<T>::Data() made three
 * to five calls of ≈ 20 ns an argument, which on a loop of a few hundred elements was the call's cost.
 */
struct Typed {
  napi_typedarray_type type = napi_int8_array;
  void* data = nullptr;
  size_t length = 0;
};
inline bool typedOf(const Napi::Value& v, Typed& t) {
  if (napi_get_typedarray_info(v.Env(), v, &t.type, &t.length, &t.data, nullptr, nullptr) != napi_ok) return false;
  if (!t.data) t.length = 0;
  return true;
}
template <typename T>
inline View<T> viewOf(const Typed& t) { return View<T>{static_cast<T*>(t.data), t.length}; }

/** A typed-array argument of exactly the expected type, viewed in place (byteOffset honoured). */
template <typename T>
inline bool readTyped(const Napi::Value& v, napi_typedarray_type type, const char* typeName, const char* fn,
                      const char* name, View<T>& out) {
  Typed t;
  if (!typedOf(v, t) || t.type != type) {
    return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be a " + typeName);
  }
  out = viewOf<T>(t);
  return true;
}

/** A number[] argument, converted element by element (this is the boundary cost the talk measured). */
inline bool readNumbers(const Napi::Value& v, const char* fn, const char* name, std::vector<double>& copy,
                        View<double>& out) {
  if (!v.IsArray()) return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be an array of numbers");
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  copy.resize(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value e = arr.Get(i);
    if (e.IsNumber()) {
      copy[i] = e.As<Napi::Number>().DoubleValue();
    } else if (e.IsUndefined()) {
      copy[i] = kNaN;  // a hole reads as undefined
    } else {
      return typeError(v.Env(), std::string(fn) + ": element " + std::to_string(i) + " of '" + name + "' is not a number");
    }
  }
  out.data = copy.data();
  out.length = copy.size();
  return true;
}

/**
 * A typed array given for a number[] parameter (t, from typedOf): a Float64Array in place (zero-copy);
 * any other element type (the original accepts it too) converted exactly into doubles. readOnly: false
 * for a parameter the kernel reads after writing it, where only a Float64Array keeps JS's per-write
 * rounding.
 */
inline bool takeAnyTyped(Napi::Env env, const Typed& t, bool readOnly, const char* fn, const char* name,
                         std::vector<double>& copy, View<double>& out) {
  if (t.type == napi_float64_array) {
    out = viewOf<double>(t);
    return true;
  }
  if (!readOnly) return typeError(env, std::string(fn) + ": argument '" + name + "' must be a Float64Array or number[]");
  size_t n = t.length;
  uint8_t* base = static_cast<uint8_t*>(t.data);
  copy.resize(n);
  auto conv = [&](auto* p) { for (size_t i = 0; i < n; i++) copy[i] = static_cast<double>(p[i]); };
  switch (t.type) {
    case napi_float32_array: conv(reinterpret_cast<float*>(base)); break;
    case napi_int32_array: conv(reinterpret_cast<int32_t*>(base)); break;
    case napi_uint32_array: conv(reinterpret_cast<uint32_t*>(base)); break;
    case napi_int16_array: conv(reinterpret_cast<int16_t*>(base)); break;
    case napi_uint16_array: conv(reinterpret_cast<uint16_t*>(base)); break;
    case napi_int8_array: conv(reinterpret_cast<int8_t*>(base)); break;
    case napi_uint8_array:
    case napi_uint8_clamped_array: conv(base); break;
    default:
      return typeError(env, std::string(fn) + ": argument '" + name + "' must be an array of numbers (not a BigInt array)");
  }
  out.data = copy.data();
  out.length = copy.size();
  return true;
}

/** A number[] parameter's argument: a typed array (see takeAnyTyped) or a number[] (copied). */
inline bool readAnyTyped(const Napi::Value& v, bool readOnly, const char* fn, const char* name,
                         std::vector<double>& copy, View<double>& out) {
  Typed t;
  if (typedOf(v, t)) return takeAnyTyped(v.Env(), t, readOnly, fn, name, copy, out);
  return readNumbers(v, fn, name, copy, out);
}

/** Writes a converted copy back into a typed array of another element type, with JS's conversion of each element. */
inline void writeConverted(const Napi::Value& v, const std::vector<double>& copy) {
  auto obj = v.As<Napi::Object>();
  for (uint32_t i = 0; i < copy.size(); i++) obj.Set(i, Napi::Number::New(v.Env(), copy[i]));
}

/** Writes a converted number[] back into the JS array (for arrays the kernel writes). */
inline void writeNumbers(const Napi::Value& v, const std::vector<double>& copy) {
  auto arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < copy.size(); i++) arr.Set(i, Napi::Number::New(v.Env(), copy[i]));
}

/** A rank-2 argument (number[][], Float64Array[]): one view per row; typed rows in place, number[] rows copied into one buffer. */
template <typename T>
struct Rows {
  View<T>* rows = nullptr;
  size_t length = 0;
};
/** The number of rows (JS's a.length of an array of rows). */
template <typename T>
inline double len(const Rows<T>& a) { return static_cast<double>(a.length); }

/**
 * A missing row: JS throws a TypeError reading or setting a property of undefined, at once. The kernel
 * unwinds to the glue with longjmp (its frames hold only doubles, integers and views) and the glue throws
 * that TypeError. kind: 1 reading an element, 2 setting one, 3 reading length; key: the column.
 */
struct RowFault {
  std::jmp_buf* jump = nullptr;
  int kind = 0;
  double key = 0;
};
inline thread_local RowFault rowFault;
[[noreturn]] inline void missingRow(int kind, double key) {
  rowFault.kind = kind;
  rowFault.key = key;
  std::longjmp(*rowFault.jump, 1);
}
inline int64_t rowIndex(int64_t r, size_t n) { return (r >= 0 && static_cast<uint64_t>(r) < n) ? r : -1; }
inline int64_t rowIndex(double r, size_t n) { return index(r, n); }
/** a[r][c] */
template <typename T, typename R, typename C>
inline double load2(const Rows<T>& a, R r, C c) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(1, static_cast<double>(c));
  return load(a.rows[i], c);
}
/** a[r].length */
template <typename T, typename R>
inline double len2(const Rows<T>& a, R r) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(3, 0);
  return static_cast<double>(a.rows[i].length);
}
/** a[r][c] = v */
template <typename T, typename R, typename C>
inline void store2(Rows<T>& a, R r, C c, double v) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(2, static_cast<double>(c));
  store(a.rows[i], c, v);
}
template <typename R, typename C>
inline void storeClamped2(Rows<uint8_t>& a, R r, C c, double v) {
  int64_t i = rowIndex(r, a.length);
  if (i < 0) missingRow(2, static_cast<double>(c));
  storeClamped(a.rows[i], c, v);
}

/** The TypeError JS throws on a missing row (see RowFault), with JS's own spelling of the column. */
inline Napi::Error rowFaultError(Napi::Env env, int kind, double key) {
  std::string k = kind == 3 ? "length" : Napi::Number::New(env, key).ToString().Utf8Value();
  const char* what = kind == 2 ? "Cannot set properties of undefined (setting '" : "Cannot read properties of undefined (reading '";
  return Napi::TypeError::New(env, std::string(what) + k + "')");
}

/** A typed row or a number[] row of a rank-2 argument: number[] rows are copied into one contiguous buffer (off[r] in it; -1 for a row viewed in place). */
template <typename T>
inline bool readRows(const Napi::Value& v, napi_typedarray_type type, const char* typeName, bool numbers, const char* fn,
                     const char* name, std::vector<View<T>>& views, std::vector<double>& copy, std::vector<int64_t>& off,
                     Rows<T>& out) {
  const std::string what = std::string(fn) + ": argument '" + name + "'";
  if (!v.IsArray()) return typeError(v.Env(), what + " must be an array of rows");
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  views.assign(n, View<T>{});
  off.assign(n, -1);
  std::vector<uint32_t> lens(n, 0);
  size_t total = 0;
  for (uint32_t r = 0; r < n; r++) {
    Napi::Value row = arr.Get(r);
    if (numbers && row.IsArray()) {
      off[r] = static_cast<int64_t>(total);
      lens[r] = row.As<Napi::Array>().Length();
      total += lens[r];
    } else if (!readTyped(row, type, typeName, fn, name, views[r])) {
      return false;
    }
  }
  if constexpr (std::is_same_v<T, double>) {
    copy.resize(total);
    for (uint32_t r = 0; r < n; r++) {
      if (off[r] < 0) continue;
      auto row = arr.Get(r).As<Napi::Array>();
      double* d = copy.data() + off[r];
      for (uint32_t i = 0; i < lens[r]; i++) {
        Napi::Value e = row.Get(i);
        if (e.IsNumber()) d[i] = e.As<Napi::Number>().DoubleValue();
        else if (e.IsUndefined()) d[i] = kNaN;  // a hole reads as undefined
        else return typeError(v.Env(), what + ": element " + std::to_string(i) + " of row " + std::to_string(r) + " is not a number");
      }
      views[r] = View<double>{d, lens[r]};
    }
  }
  out.rows = views.data();
  out.length = n;
  return true;
}

/** Writes the copied number[] rows of a rank-2 argument back into the JS rows. */
inline void writeRows(const Napi::Value& v, const std::vector<double>& copy, const std::vector<int64_t>& off,
                      const std::vector<View<double>>& views) {
  auto arr = v.As<Napi::Array>();
  for (uint32_t r = 0; r < off.size(); r++) {
    if (off[r] < 0) continue;
    auto row = arr.Get(r).As<Napi::Array>();
    for (uint32_t i = 0; i < views[r].length; i++) row.Set(i, Napi::Number::New(v.Env(), copy[off[r] + i]));
  }
}

inline bool readScalar(const Napi::Value& v, const char* fn, const char* name, double& out) {
  // One call: napi_number_expected (nothing thrown) for anything but a number.
  if (napi_get_value_double(v.Env(), v, &out) != napi_ok)
    return typeError(v.Env(), std::string(fn) + ": argument '" + name + "' must be a number");
  return true;
}

// A boolean of the source that the kernel only tests: any JS value, taken as its truthiness (ToBoolean,
// exactly JS's v ? 1 : 0); a Number read would throw on true/false.
inline bool readTruthy(const Napi::Value& v, double& out) {
  out = v.ToBoolean().Value() ? 1 : 0;
  return true;
}

inline bool checkCount(const Napi::CallbackInfo& info, size_t expected, const char* signature) {
  if (info.Length() >= expected) return true;
  return typeError(info.Env(), std::string(signature) + ": expected " + std::to_string(expected) + " arguments, got " +
                                   std::to_string(info.Length()));
}

}  // namespace hotloop
`;
