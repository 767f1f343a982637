// The C++ helpers every native scaffold shares: JS number semantics that C++ does not give for free
// (ToInt32 and the typed-array store conversions, Math.min/max/round/sign/pow edge cases, truthiness)
// and bounds-checked element access (an out-of-bounds read is `undefined` in JS, NaN in arithmetic;
// an out-of-bounds store to a typed array is dropped), plus the interval helpers of the loop-versioning
// guard (versioning.ts) that lets proven-in-range loops skip those checks. Compiled with -ffp-contract=off and without
// -ffast-math so that + − × ÷ round exactly as V8 does.
import { CPP_PRELUDE_GLUE } from './preludeGlue.js';

/** The compute half: number semantics, views, checked access, interval helpers (also the CUDA device prelude). */
const CPP_PRELUDE_COMPUTE = String.raw`#include <napi.h>

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

`;

/** The whole prelude of a native scaffold's kernel.cc: the compute half, then the Node-API glue half. */
export const CPP_PRELUDE = CPP_PRELUDE_COMPUTE + CPP_PRELUDE_GLUE;
