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

}  // namespace strongroom::audit
