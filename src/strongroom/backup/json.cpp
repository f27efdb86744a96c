#include "strongroom/backup/json.hpp"

namespace strongroom::backup {

using nlohmann::json;

namespace {

json OrNull(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json BackupInfoJson(const BackupInfo& b) {
  json tenants = json::array();
  for (const auto& t : b.tenants) {
    tenants.push_back({{"id", t.id}, {"name", t.name}, {"records", t.records}, {"files", t.files}});
  }
  json out = {{"id", b.id},
              {"created_at", b.created_at},
              {"destinations", b.destinations},
              {"schema_version", b.schema_version},
              {"archive_bytes", b.archive_bytes},
              {"payload_bytes", b.payload_bytes},
              {"payload_sha256", b.payload_sha256},
              {"audit_tree_size", b.audit_tree_size},
              {"tenants", tenants},
              {"legal_hold", b.held},
              {"verified_at", OrNull(b.verified_at)},
              {"verified_ok", b.verified_ok ? json(*b.verified_ok) : json(nullptr)}};
  if (!b.problem.empty()) out["problem"] = b.problem;
  return out;
}

json OperationStatsJson(const Backups::OperationStats& s) {
  return {{"operation", s.operation},
          {"successes", s.successes},
          {"failures", s.failures},
          {"last_success_at", OrNull(s.last_success_at)},
          {"last_failure_at", OrNull(s.last_failure_at)},
          {"last_duration_ms", s.last_duration_ms},
          {"last_bytes", s.last_bytes}};
}

json ScheduleJson(const BackupConfig& c) {
  json destinations = json::array();
  for (const auto& d : c.destinations) destinations.push_back(d.string());
  return {{"scheduled", c.scheduled()},
          {"destinations", destinations},
          {"create_every_hours", c.create_every.count()},
          {"verify_every_hours", c.verify_every.count()},
          {"verify_sample", c.verify_sample},
          {"retention",
           {{"daily_days", c.retention.daily_days},
            {"monthly_months", c.retention.monthly_months},
            {"yearly_years", c.retention.yearly_years}}}};
}

}  // namespace strongroom::backup
