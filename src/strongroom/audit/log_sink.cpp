#include "strongroom/audit/log_sink.hpp"

#include <vector>

namespace strongroom::audit {

base::Status LogSink::Record(const Event& e) {
  const std::string time = base::FormatRfc3339(e.time);
  std::vector<base::LogField> fields{{"time", time},
                                     {"actor_id", e.actor_id},
                                     {"actor_role", e.actor_role},
                                     {"tenant_id", e.tenant_id},
                                     {"action", e.action},
                                     {"resource", e.resource},
                                     {"outcome", OutcomeName(e.outcome)},
                                     {"reason", e.reason},
                                     {"source_address", e.source_address},
                                     {"request_id", e.request_id}};
  std::vector<std::string> keys;
  keys.reserve(e.details.size());
  for (const auto& [k, v] : e.details) {
    keys.push_back("detail." + k);
    fields.emplace_back(keys.back(), v);
  }
  logger_.Log(base::LogLevel::kInfo, "audit", fields);
  return base::OkStatus();
}

}  // namespace strongroom::audit
