#pragma once

#include <atomic>

#include "strongroom/base/clock.hpp"

namespace strongroom::base::testing {

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start = FromUnixMillis(1'790'000'000'000)) : now_(start) {}
  Time Now() const override { return now_.load(); }
  void Set(Time t) { now_.store(t); }
  void Advance(Duration d) { now_.store(now_.load() + d); }

 private:
  std::atomic<Time> now_;
};

}  // namespace strongroom::base::testing
