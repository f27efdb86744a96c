#pragma once

#include "strongroom/audit/event.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::audit {

// Where audit events go. Record returns only once the event is kept as the sink promises; a
// caller that cannot record must not proceed (fail closed). The tamper-evident, durable sink
// arrives with the audit-log issue. Implementations are thread-safe.
class Sink {
 public:
  virtual ~Sink() = default;
  // Errors: kUnavailable when the event could not be kept.
  virtual base::Status Record(const Event& event) = 0;
};

// Records into `primary` and, once that succeeded, into `copy` (e.g. a test's or an operator's
// view). Fails when either fails. Thread-safe when both are.
class TeeSink final : public Sink {
 public:
  TeeSink(Sink& primary, Sink& copy) : primary_(primary), copy_(copy) {}
  base::Status Record(const Event& event) override {
    if (base::Status s = primary_.Record(event); !s.ok()) return s;
    return copy_.Record(event);
  }

 private:
  Sink& primary_;
  Sink& copy_;
};

}  // namespace strongroom::audit
