// Turns a job class into a synchronous entry and a Promise-returning …Async entry
// (Napi::AsyncWorker: run() executes on a libuv worker thread, the JS thread stays free).
// Allocation failure anywhere is a RangeError (sync) or a rejection with one (async), never an abort.
#pragma once
#include <napi.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace hl {

inline const char* routineName(const Napi::CallbackInfo& info) { return static_cast<const char*>(info.Data()); }

inline std::string oomMessage(const char* fn, const char* suffix, const char* what) {
  return std::string("hotloop kernels.") + fn + suffix + ": out of memory (" + what +
         "); pass smaller arrays or free memory first";
}

template <class J>
Napi::Value Sync(const Napi::CallbackInfo& info) {
  try {
    J job(info, false);
    job.run();
    return job.result(info.Env());
  } catch (const std::bad_alloc& e) {
    throw Napi::RangeError::New(info.Env(), oomMessage(routineName(info), "", e.what()));
  } catch (const std::length_error& e) {
    throw Napi::RangeError::New(info.Env(), oomMessage(routineName(info), "", e.what()));
  }
}

template <class J>
class Worker : public Napi::AsyncWorker {
 public:
  Worker(Napi::Env env, std::unique_ptr<J> job, Napi::Promise::Deferred d, const char* fn)
      : Napi::AsyncWorker(env, "hotloop:kernel"), job_(std::move(job)), d_(d), fn_(fn) {}
  void Execute() override {
    try {
      job_->run();
    } catch (const std::bad_alloc& e) {
      oom_ = true;
      SetError(oomMessage(fn_, "Async", e.what()));
    } catch (const std::exception& e) {
      SetError(std::string("hotloop kernels.") + fn_ + "Async failed: " + e.what());
    }
  }
  void OnOK() override {
    try {
      job_->finish(Env(), fn_);
    } catch (const Napi::Error& e) {
      d_.Reject(e.Value());
      return;
    }
    d_.Resolve(job_->result(Env()));
  }
  void OnError(const Napi::Error& e) override {
    if (oom_) d_.Reject(Napi::RangeError::New(Env(), e.Message()).Value());
    else d_.Reject(e.Value());
  }

 private:
  std::unique_ptr<J> job_;
  Napi::Promise::Deferred d_;
  const char* fn_;
  bool oom_ = false;
};

template <class J>
Napi::Value Async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto d = Napi::Promise::Deferred::New(env);
  std::unique_ptr<J> job;
  try {
    job = std::make_unique<J>(info, true);
  } catch (const Napi::Error& e) {
    d.Reject(e.Value());  // bad arguments reject the Promise instead of throwing synchronously
    return d.Promise();
  } catch (const std::exception& e) {  // std::bad_alloc, std::length_error
    d.Reject(Napi::RangeError::New(env, oomMessage(routineName(info), "Async", e.what())).Value());
    return d.Promise();
  }
  (new Worker<J>(env, std::move(job), d, routineName(info)))->Queue();
  return d.Promise();
}

/** Registers `name` (sync) and `nameAsync`; name must be a string literal (it is the callbacks' data). */
template <class J>
void entry(Napi::Env env, Napi::Object exports, const char* name) {
  void* data = const_cast<char*>(name);
  exports.Set(name, Napi::Function::New(env, Sync<J>, name, data));
  std::string a = std::string(name) + "Async";
  exports.Set(a, Napi::Function::New(env, Async<J>, a, data));
}

}  // namespace hl
