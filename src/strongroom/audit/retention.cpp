#include "strongroom/audit/retention.hpp"

#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

using storage::Int;
using storage::Text;

constexpr std::int64_t kChunk = 10000;

}  // namespace

base::Result<int> RetentionDays(storage::Store& audit_store) {
  SR_ASSIGN_OR_RETURN(auto tx, audit_store.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx->Query("SELECT value FROM audit_settings WHERE key = 'retention_days'"));
  if (rows.empty()) return kDefaultRetentionDays;
  SR_ASSIGN_OR_RETURN(const std::string text, rows[0].GetText(0));
  const int days = std::atoi(text.c_str());
  if (days < kMinRetentionDays || days > kMaxRetentionDays) {
    return base::DataLossError("the stored audit retention '" + text + "' is out of range");
  }
  return days;
}

base::Status SetRetentionDays(AuditLog& log, storage::Store& audit_store, const Actor& actor,
                              int days, base::Time now) {
  if (days < kMinRetentionDays || days > kMaxRetentionDays) {
    return base::InvalidArgumentError("the audit retention must be from " +
                                      std::to_string(kMinRetentionDays) + " to " +
                                      std::to_string(kMaxRetentionDays) + " days (default " +
                                      std::to_string(kDefaultRetentionDays) + ", 7 years)");
  }
  SR_ASSIGN_OR_RETURN(const int old_days, RetentionDays(audit_store));
  Event e = MakeEvent(actor, now, "audit.retention.set", "audit_retention", Outcome::kAllowed, "");
  e.details["old_days"] = std::to_string(old_days);
  e.details["new_days"] = std::to_string(days);
  SR_RETURN_IF_ERROR(log.Record(e));
  SR_ASSIGN_OR_RETURN(auto tx, audit_store.BeginWrite());
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO audit_settings (key, value) VALUES ('retention_days', ?) ON CONFLICT (key) DO "
      "UPDATE SET value = excluded.value",
      {Text(std::to_string(days))}));
  return tx->Commit();
}

base::Result<PruneResult> PruneExpired(AuditLog& log, storage::Store& audit_store,
                                       const Actor& actor, base::Time now) {
  PruneResult result;
  SR_ASSIGN_OR_RETURN(result.retention_days, RetentionDays(audit_store));
  result.cutoff = base::FormatRfc3339(now - std::chrono::days(result.retention_days));
  std::int64_t eligible = 0;
  {
    SR_ASSIGN_OR_RETURN(auto tx, audit_store.BeginRead());
    SR_ASSIGN_OR_RETURN(
        const auto rows,
        tx->Query("SELECT MAX(seq), COUNT(*) FROM audit_events WHERE time < ? AND pruned = 0 AND "
                  "action NOT IN ('audit.prune', 'audit.retention.set')",
                  {Text(result.cutoff)}));
    if (rows.empty() || rows[0].IsNull(0)) return result;
    SR_ASSIGN_OR_RETURN(const std::int64_t through, rows[0].GetInt(0));
    SR_ASSIGN_OR_RETURN(eligible, rows[0].GetInt(1));
    result.through_seq = static_cast<std::uint64_t>(through);
  }
  Event e = MakeEvent(actor, now, "audit.prune", "audit_retention", Outcome::kAllowed, "");
  e.details["cutoff"] = result.cutoff;
  e.details["retention_days"] = std::to_string(result.retention_days);
  e.details["through_seq"] = std::to_string(*result.through_seq);
  e.details["events"] = std::to_string(eligible);
  SR_RETURN_IF_ERROR(log.Record(e));
  // In chunks, so the writer (and the events waiting on it) never waits long.
  for (std::int64_t from = 0; from <= static_cast<std::int64_t>(*result.through_seq);
       from += kChunk) {
    SR_ASSIGN_OR_RETURN(auto tx, audit_store.BeginWrite());
    SR_ASSIGN_OR_RETURN(
        const std::int64_t changed,
        tx->Execute("UPDATE audit_events SET actor_id = '', actor_role = '', tenant_id = '', "
                    "resource = '', reason = '', source_address = '', request_id = '', "
                    "details = '{}', pruned = 1 WHERE seq >= ? AND seq < ? AND seq <= ? AND "
                    "time < ? AND pruned = 0 AND action NOT IN ('audit.prune', "
                    "'audit.retention.set')",
                    {Int(from), Int(from + kChunk),
                     Int(static_cast<std::int64_t>(*result.through_seq)), Text(result.cutoff)}));
    SR_RETURN_IF_ERROR(tx->Commit());
    result.pruned += static_cast<std::uint64_t>(changed);
  }
  return result;
}

}  // namespace strongroom::audit
