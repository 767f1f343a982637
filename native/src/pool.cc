#include "pool.h"

#include <algorithm>

namespace hl {

Pool& Pool::instance() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock
  // inside Node's shutdown; the OS reclaims them.
  static Pool* p = new Pool();
  return *p;
}

size_t Pool::hardware() {
  unsigned h = std::thread::hardware_concurrency();
  return h == 0 ? 1 : h;
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> lk(m_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void Pool::grow(size_t workers) {
  while (workers_.size() < workers) workers_.emplace_back([this] { loop(); });
}

void Pool::loop() {
  unsigned long seen = 0;
  for (;;) {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [&] { return stop_ || (gen_ != seen && joined_ < wanted_); });
    if (stop_) return;
    seen = gen_;
    ++joined_;
    ++active_;
    const auto* fn = fn_;
    const size_t tasks = tasks_;
    lk.unlock();
    for (size_t t; (t = next_.fetch_add(1)) < tasks;) guarded(*fn, t);
    lk.lock();
    if (--active_ == 0) done_cv_.notify_all();
  }
}

void Pool::run(size_t threads, size_t tasks, const std::function<void(size_t)>& fn) {
  threads = std::min(threads, tasks);
  std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
  if (threads <= 1 || !busy.owns_lock()) {
    for (size_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  {
    std::lock_guard<std::mutex> lk(m_);
    grow(std::min<size_t>(threads - 1, 255));
    fn_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    wanted_ = threads - 1;
    joined_ = 0;
    ++gen_;
  }
  cv_.notify_all();
  for (size_t t; (t = next_.fetch_add(1)) < tasks;) guarded(fn, t);
  std::unique_lock<std::mutex> lk(m_);
  // All tasks are claimed; wait for workers still running one, and close the job to latecomers.
  wanted_ = 0;
  done_cv_.wait(lk, [&] { return active_ == 0; });
  fn_ = nullptr;
  std::exception_ptr err = error_;
  error_ = nullptr;
  lk.unlock();
  if (err) std::rethrow_exception(err);  // e.g. std::bad_alloc in a task: the caller's to report
}

void Pool::guarded(const std::function<void(size_t)>& fn, size_t t) {
  try {
    fn(t);
  } catch (...) {
    // An exception leaving a std::thread would std::terminate the process: keep the first one,
    // skip the remaining tasks and rethrow it on the calling thread.
    std::lock_guard<std::mutex> lk(m_);
    if (!error_) error_ = std::current_exception();
    next_.store(tasks_);
  }
}

}  // namespace hl
