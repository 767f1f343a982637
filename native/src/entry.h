// Turns a job class into a synchronous entry and a Promise-returning …Async entry
// (Napi::AsyncWorker: run() executes on a libuv worker thread, the JS thread stays free).
#pragma once
#include <napi.h>

#include <memory>
#include <string>

namespace hl {

template <class J>
Napi::Value Sync(const Napi::CallbackInfo& info) {
  J job(info, false);
  job.run();
  return job.result(info.Env());
}

template <class J>
class Worker : public Napi::AsyncWorker {
 public:
  Worker(Napi::Env env, std::unique_ptr<J> job, Napi::Promise::Deferred d)
      : Napi::AsyncWorker(env, "hotloop:kernel"), job_(std::move(job)), d_(d) {}
  void Execute() override {
    try {
      job_->run();
    } catch (const std::exception& e) {
      SetError(std::string("hotloop kernel failed: ") + e.what());
    }
  }
  void OnOK() override { d_.Resolve(job_->result(Env())); }
  void OnError(const Napi::Error& e) override { d_.Reject(e.Value()); }

 private:
  std::unique_ptr<J> job_;
  Napi::Promise::Deferred d_;
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
  }
  (new Worker<J>(env, std::move(job), d))->Queue();
  return d.Promise();
}

/** Registers `name` (sync) and `nameAsync`. */
template <class J>
void entry(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Sync<J>, name));
  std::string a = std::string(name) + "Async";
  exports.Set(a, Napi::Function::New(env, Async<J>, a));
}

}  // namespace hl
