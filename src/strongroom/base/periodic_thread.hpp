#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include "strongroom/base/mutex.hpp"

namespace strongroom::base {

// A background thread that runs `task` at Start and then again after the delay each run
// returns, or sooner when woken. With `run_on_stop`, Stop runs the task once more after the
// last wait, so work that arrived while stopping is not left behind. Thread-safe; Start once.
class PeriodicThread {
 public:
  explicit PeriodicThread(std::function<std::chrono::milliseconds()> task, bool run_on_stop = false)
      : task_(std::move(task)), run_on_stop_(run_on_stop) {}
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Start() {
    thread_ = std::thread([this] {
      for (;;) {
        const std::chrono::milliseconds delay = task_();
        MutexLock l(&mu_);
        if (!woken_ && !stopping_) {
          wake_.WaitUntil(&mu_, std::chrono::steady_clock::now() + delay);
        }
        woken_ = false;
        if (stopping_) break;
      }
      if (run_on_stop_) (void)task_();
    });
  }
  // The next run starts now (or as soon as the current one ends).
  void Wake() {
    {
      MutexLock l(&mu_);
      woken_ = true;
    }
    wake_.SignalAll();
  }
  // Idempotent; returns once the thread has finished.
  void Stop() {
    {
      MutexLock l(&mu_);
      stopping_ = true;
    }
    wake_.SignalAll();
    if (thread_.joinable()) thread_.join();
  }

 private:
  const std::function<std::chrono::milliseconds()> task_;
  const bool run_on_stop_;
  Mutex mu_;
  CondVar wake_;
  bool woken_ SR_GUARDED_BY(mu_) = false;
  bool stopping_ SR_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace strongroom::base
