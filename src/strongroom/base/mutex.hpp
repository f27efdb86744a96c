#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "strongroom/base/thread_annotations.hpp"

namespace strongroom::base {

// std::mutex with thread-safety annotations, so members marked SR_GUARDED_BY(mu_) are checked by
// clang's -Wthread-safety. Thread-safe.
class SR_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() SR_ACQUIRE() { mu_.lock(); }
  void Unlock() SR_RELEASE() { mu_.unlock(); }
  void AssertHeld() SR_ASSERT_HELD(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class SR_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) SR_ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() SR_RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* mu_;
};

// A condition variable. Callers pass the Mutex they hold, which lets the thread-safety analysis
// check it (as absl::CondVar does). Thread-safe.
class CondVar {
 public:
  void Wait(Mutex* mu) SR_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // Returns false when the deadline passed.
  template <typename Clock, typename Dur>
  bool WaitUntil(Mutex* mu, std::chrono::time_point<Clock, Dur> deadline) SR_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    const bool notified = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return notified;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace strongroom::base
