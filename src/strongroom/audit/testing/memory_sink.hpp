#pragma once

#include <string_view>
#include <vector>

#include "strongroom/audit/sink.hpp"
#include "strongroom/base/mutex.hpp"

namespace strongroom::audit::testing {

// Keeps every event in memory for tests to read; can be told to fail. Thread-safe.
class MemorySink final : public Sink {
 public:
  base::Status Record(const Event& event) override {
    base::MutexLock lock(&mu_);
    if (fail_) return base::UnavailableError("audit sink unavailable (test)");
    events_.push_back(event);
    return base::OkStatus();
  }
  std::vector<Event> events() {
    base::MutexLock lock(&mu_);
    return events_;
  }
  // Events with this action, in order.
  std::vector<Event> With(std::string_view action) {
    std::vector<Event> out;
    for (const Event& e : events()) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }
  void Clear() {
    base::MutexLock lock(&mu_);
    events_.clear();
  }
  void set_fail(bool fail) {
    base::MutexLock lock(&mu_);
    fail_ = fail;
  }

 private:
  base::Mutex mu_;
  std::vector<Event> events_ SR_GUARDED_BY(mu_);
  bool fail_ SR_GUARDED_BY(mu_) = false;
};

}  // namespace strongroom::audit::testing
