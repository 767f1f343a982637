// A persistent thread pool: workers are started once (lazily) and reused by every call.
// run() splits work into numbered tasks pulled from an atomic counter; callers write each
// task's result to its own slot, so results do not depend on which thread ran which task.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hl {

class Pool {
 public:
  static Pool& instance();
  /** Runs fn(0..tasks-1) on up to `threads` threads (the caller included). */
  void run(size_t threads, size_t tasks, const std::function<void(size_t)>& fn);
  /** Default thread count: the machine's hardware threads (at least 1). */
  static size_t hardware();
  ~Pool();

 private:
  void grow(size_t workers);
  void loop();
  void guarded(const std::function<void(size_t)>& fn, size_t t);
  std::exception_ptr error_;
  std::mutex busy_;  // one parallel job at a time; a second caller runs serially
  std::mutex m_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t tasks_ = 0;
  size_t wanted_ = 0;  // workers that may join the current job
  size_t joined_ = 0;
  size_t active_ = 0;
  std::atomic<size_t> next_{0};
  unsigned long gen_ = 0;
  bool stop_ = false;
};

}  // namespace hl
