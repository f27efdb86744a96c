#pragma once

#include <string>
#include <vector>

#include "strongroom/base/logger.hpp"

namespace strongroom::base::testing {

// Keeps every line, formatted exactly as JsonLinesLogger would. Thread-safe.
class MemoryLogger final : public Logger {
 public:
  explicit MemoryLogger(const Clock& clock) : clock_(clock) {}
  void Log(LogLevel level, std::string_view event, std::span<const LogField> fields) override {
    std::string line = FormatJsonLogLine(clock_.Now(), level, event, fields);
    MutexLock lock(&mu_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() {
    MutexLock lock(&mu_);
    return lines_;
  }
  std::string all() {
    std::string out;
    for (const auto& l : lines()) out += l;
    return out;
  }

 private:
  const Clock& clock_;
  Mutex mu_;
  std::vector<std::string> lines_ SR_GUARDED_BY(mu_);
};

}  // namespace strongroom::base::testing
