#include "strongroom/vault/retention.hpp"

#include <string>
#include <vector>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/vault/legal_holds.hpp"

namespace strongroom::vault {
namespace {

using storage::Int;
using storage::Text;

struct Expiring {
  std::string tenant;
  std::string collection;
  std::int64_t retention_days = 0;
};

}  // namespace

base::Result<PurgeReport> PurgeExpiredRecords(storage::Store& store, audit::Sink& audit,
                                              const base::Clock& clock, const audit::Actor& actor,
                                              std::size_t batch) {
  PurgeReport report;
  std::vector<Expiring> collections;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store.BeginRead());
    SR_ASSIGN_OR_RETURN(
        auto rows, tx->Query("SELECT c.tenant_id, c.name, c.retention_days FROM vault_collections "
                             "c JOIN tenants t ON t.id = c.tenant_id WHERE c.retention_days IS "
                             "NOT NULL AND t.shredded_at IS NULL ORDER BY c.tenant_id, c.name"));
    for (const storage::Row& row : rows) {
      Expiring e;
      SR_ASSIGN_OR_RETURN(e.tenant, row.GetText(0));
      SR_ASSIGN_OR_RETURN(e.collection, row.GetText(1));
      SR_ASSIGN_OR_RETURN(e.retention_days, row.GetInt(2));
      collections.push_back(std::move(e));
    }
  }
  report.collections = collections.size();
  for (const Expiring& c : collections) {
    const identity::TenantId tenant(c.tenant);
    for (;;) {
      const base::Time now = clock.Now();
      // RFC 3339 UTC text with a fixed format sorts as time does.
      const std::string cutoff =
          base::FormatRfc3339(now - std::chrono::hours(24) * c.retention_days);
      SR_ASSIGN_OR_RETURN(auto tx, store.BeginWrite());
      SR_ASSIGN_OR_RETURN(
          auto rows, tx->Query("SELECT id FROM vault_records WHERE tenant_id = ? AND collection = "
                               "? AND ciphertext IS NOT NULL AND updated_at < ? ORDER BY id "
                               "LIMIT ?",
                               {Text(c.tenant), Text(c.collection), Text(cutoff),
                                Int(static_cast<std::int64_t>(batch))}));
      if (rows.empty()) break;
      SR_ASSIGN_OR_RETURN(const auto hold, ActiveHold(*tx, tenant, c.collection));
      if (hold) {
        SR_ASSIGN_OR_RETURN(
            auto count, tx->Query("SELECT COUNT(*) FROM vault_records WHERE tenant_id = ? AND "
                                  "collection = ? AND ciphertext IS NOT NULL AND updated_at < ?",
                                  {Text(c.tenant), Text(c.collection), Text(cutoff)}));
        SR_ASSIGN_OR_RETURN(const std::int64_t n, count[0].GetInt(0));
        report.held += static_cast<std::size_t>(n);
        break;
      }
      std::string ids;
      for (const storage::Row& row : rows) {
        SR_ASSIGN_OR_RETURN(const std::string id, row.GetText(0));
        SR_RETURN_IF_ERROR(tx->Execute(
            "UPDATE vault_records SET ciphertext = NULL, deleted_at = ?, updated_at = ? "
            "WHERE tenant_id = ? AND collection = ? AND id = ?",
            {Text(base::FormatRfc3339(now)), Text(base::FormatRfc3339(now)), Text(c.tenant),
             Text(c.collection), Text(id)}));
        SR_RETURN_IF_ERROR(tx->Execute(
            "DELETE FROM vault_lookup WHERE tenant_id = ? AND collection = ? AND record_id = ?",
            {Text(c.tenant), Text(c.collection), Text(id)}));
        if (!ids.empty()) ids += ",";
        ids += id;
      }
      audit::Event e = audit::MakeEvent(actor, now, "records.purge", "collection:" + c.collection,
                                        audit::Outcome::kAllowed, "retention_expired", c.tenant);
      e.details["collection"] = c.collection;
      e.details["retention_days"] = std::to_string(c.retention_days);
      e.details["cutoff"] = cutoff;
      e.details["count"] = std::to_string(rows.size());
      e.details["ids"] = ids;
      SR_RETURN_IF_ERROR(audit.Record(e));
      SR_RETURN_IF_ERROR(tx->Commit());
      report.purged += rows.size();
      if (rows.size() < batch) break;
    }
  }
  return report;
}

}  // namespace strongroom::vault
