#pragma once

#include "strongroom/audit/sink.hpp"
#include "strongroom/base/logger.hpp"

namespace strongroom::audit {

// Writes each event as an "audit" JSON log line. It keeps nothing itself: it is the stand-in the
// server uses until the tamper-evident audit log exists, so audit events are at least visible to
// the SIEM that reads the logs. Thread-safe.
class LogSink final : public Sink {
 public:
  explicit LogSink(base::Logger& logger) : logger_(logger) {}
  base::Status Record(const Event& event) override;

 private:
  base::Logger& logger_;
};

}  // namespace strongroom::audit
