// Module entry: SIMD level detection and selection, info(), noop(), and the routine entries.
#include <napi.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace hl {

void registerReductions(Napi::Env env, Napi::Object exports);
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerMatrix(Napi::Env env, Napi::Object exports);

namespace {

std::atomic<const Table*> g_table{nullptr};

// Input size from which calls use every hardware thread unless options.threads says otherwise.
// Measured by `npm run bench:kernels` (the "threads crossover" line): on the 2-vCPU Zen 5 VM a
// second thread starts paying off for memory-bound sums around 1-2 MiB; 1 MiB = 131,072 doubles.
constexpr size_t kParallelThreshold = size_t(1) << 20;

/** Levels this CPU can run, slowest first; the last one is the default. */
std::vector<const Table*> available() {
  std::vector<const Table*> v{table_scalar()};
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  v.push_back(table_sse2());
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) v.push_back(table_avx2());
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    v.push_back(table_avx512());
#endif
#if defined(__aarch64__)
  v.push_back(table_neon());
#endif
  return v;
}

std::string levelNames() {
  std::string s;
  for (const Table* t : available()) s += (s.empty() ? "" : ", ") + std::string(t->name);
  return s;
}

const Table* byName(const std::string& name) {
  for (const Table* t : available())
    if (name == t->name) return t;
  return nullptr;
}

Napi::Value SetSimdLevel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString())
    throw Napi::TypeError::New(env, "hotloop kernels.setSimdLevel: pass a level name (" + levelNames() + ")");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name == "best") name = available().back()->name;
  const Table* t = byName(name);
  if (!t)
    throw Napi::RangeError::New(env, "hotloop kernels.setSimdLevel: '" + name +
                                         "' is not available on this CPU; available: " + levelNames());
  g_table.store(t);
  return Napi::String::New(env, t->name);
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("simd", g_table.load()->name);
  Napi::Array levels = Napi::Array::New(env);
  uint32_t i = 0;
  for (const Table* t : available()) levels.Set(i++, t->name);
  o.Set("simdLevels", levels);
  o.Set("threads", static_cast<double>(Pool::hardware()));
  o.Set("parallelThresholdBytes", static_cast<double>(kParallelThreshold));
  o.Set("blockSize", static_cast<double>(1 << 16));
  o.Set("napiVersion", NAPI_VERSION);
#if defined(__SANITIZE_ADDRESS__)
  o.Set("sanitizers", true);
#else
  o.Set("sanitizers", false);
#endif
  o.Set("compiler", __VERSION__);
  return o;
}

Napi::Value Noop(const Napi::CallbackInfo& info) { return info.Env().Undefined(); }

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const Table* t = available().back();
  if (const char* want = std::getenv("HOTLOOP_SIMD"); want && *want && std::string(want) != "best") {
    t = byName(want);
    if (!t)
      throw Napi::RangeError::New(env, std::string("HOTLOOP_SIMD='") + want +
                                           "' is not available on this CPU; unset it or use one of: " + levelNames());
  }
  g_table.store(t);
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setSimdLevel", Napi::Function::New(env, SetSimdLevel, "setSimdLevel"));
  exports.Set("noop", Napi::Function::New(env, Noop, "noop"));
  registerReductions(env, exports);
  registerElementwise(env, exports);
  registerMatrix(env, exports);
  return exports;
}

const Table* currentTable() { return g_table.load(std::memory_order_relaxed); }
size_t parallelThreshold() { return kParallelThreshold; }

}  // namespace hl

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return hl::Init(env, exports); }
NODE_API_MODULE(hotloop_kernels, InitModule)
