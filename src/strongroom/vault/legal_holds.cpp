#include "strongroom/vault/legal_holds.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/vault/internal/common.hpp"

namespace strongroom::vault {
namespace {

using storage::Text;

constexpr const char* kHoldColumns =
    "id, tenant_id, collection, reason, placed_by, placed_at, lifted_by, lifted_at";

base::Result<LegalHold> HoldFromRow(const storage::Row& row) {
  LegalHold h;
  SR_ASSIGN_OR_RETURN(h.id, row.GetText(0));
  SR_ASSIGN_OR_RETURN(const std::string tenant, row.GetText(1));
  h.tenant = identity::TenantId(tenant);
  SR_ASSIGN_OR_RETURN(h.collection, row.GetOptionalText(2));
  SR_ASSIGN_OR_RETURN(h.reason, row.GetText(3));
  SR_ASSIGN_OR_RETURN(h.placed_by, row.GetText(4));
  SR_ASSIGN_OR_RETURN(const std::string placed, row.GetText(5));
  SR_ASSIGN_OR_RETURN(h.placed_at, base::ParseRfc3339(placed));
  SR_ASSIGN_OR_RETURN(h.lifted_by, row.GetOptionalText(6));
  SR_ASSIGN_OR_RETURN(const auto lifted, row.GetOptionalText(7));
  if (lifted) {
    SR_ASSIGN_OR_RETURN(const base::Time t, base::ParseRfc3339(*lifted));
    h.lifted_at = t;
  }
  return h;
}

}  // namespace

base::Result<LegalHold> LegalHolds::Place(const access::Permit& permit,
                                          const std::optional<std::string>& collection,
                                          const std::string& reason) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kLegalHoldsManage));
  if (reason.empty() || reason.size() > 500) {
    return base::InvalidArgumentError(
        "reason is required: a case or matter reference of 1 to 500 characters");
  }
  const identity::TenantId& tenant = permit.tenant();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(auto tenants,
                      tx->Query("SELECT 1 FROM tenants WHERE id = ?", {Text(tenant.value())}));
  if (tenants.empty()) return base::NotFoundError("no tenant " + tenant.value());
  if (collection) {
    SR_ASSIGN_OR_RETURN(
        auto rows, tx->Query("SELECT 1 FROM vault_collections WHERE tenant_id = ? AND name = ?",
                             {Text(tenant.value()), Text(*collection)}));
    if (rows.empty()) {
      return base::NotFoundError("tenant " + tenant.value() + " has no collection '" + *collection +
                                 "'");
    }
  }
  LegalHold h;
  h.id = identity::NewRandomId("hold");
  h.tenant = tenant;
  h.collection = collection;
  h.reason = reason;
  h.placed_by = permit.actor().id;
  h.placed_at = clock_.Now();
  SR_RETURN_IF_ERROR(
      tx->Execute(std::string("INSERT INTO vault_legal_holds (") + kHoldColumns +
                      ") VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                  {Text(h.id), Text(tenant.value()), storage::OptionalText(h.collection),
                   Text(h.reason), Text(h.placed_by), Text(base::FormatRfc3339(h.placed_at))}));
  audit::Event e = permit.Event(h.placed_at, "legal_holds.place", "legal_hold:" + h.id);
  e.details["scope"] = collection ? "collection:" + *collection : "tenant";
  e.details["reason"] = reason;
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return h;
}

base::Result<LegalHold> LegalHolds::Lift(const access::Permit& permit, const std::string& id) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kLegalHoldsManage));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query(std::string("SELECT ") + kHoldColumns +
                                    " FROM vault_legal_holds WHERE id = ? AND tenant_id = ?",
                                {Text(id), Text(permit.tenant().value())}));
  if (rows.empty()) {
    return base::NotFoundError("tenant " + permit.tenant().value() + " has no legal hold " + id);
  }
  SR_ASSIGN_OR_RETURN(LegalHold h, HoldFromRow(rows[0]));
  if (!h.active()) return base::FailedPreconditionError("legal hold " + id + " was lifted already");
  h.lifted_by = permit.actor().id;
  h.lifted_at = clock_.Now();
  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE vault_legal_holds SET lifted_by = ?, lifted_at = ? WHERE id = ?",
                  {Text(*h.lifted_by), Text(base::FormatRfc3339(*h.lifted_at)), Text(id)}));
  audit::Event e = permit.Event(*h.lifted_at, "legal_holds.lift", "legal_hold:" + h.id);
  e.details["scope"] = h.collection ? "collection:" + *h.collection : "tenant";
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return h;
}

base::Result<std::vector<LegalHold>> LegalHolds::List(const access::Permit& permit) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kLegalHoldsRead));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query(std::string("SELECT ") + kHoldColumns +
                                    " FROM vault_legal_holds WHERE tenant_id = ? ORDER BY "
                                    "lifted_at IS NOT NULL, placed_at DESC, id",
                                {Text(permit.tenant().value())}));
  std::vector<LegalHold> out;
  for (const storage::Row& row : rows) {
    SR_ASSIGN_OR_RETURN(LegalHold h, HoldFromRow(row));
    out.push_back(std::move(h));
  }
  return out;
}

base::Result<std::optional<std::string>> ActiveHold(storage::Transaction& tx,
                                                    const identity::TenantId& tenant,
                                                    std::optional<std::string_view> collection) {
  SR_ASSIGN_OR_RETURN(
      auto rows,
      collection
          ? tx.Query("SELECT id FROM vault_legal_holds WHERE tenant_id = ? AND lifted_at IS NULL "
                     "AND (collection IS NULL OR collection = ?) ORDER BY placed_at LIMIT 1",
                     {Text(tenant.value()), Text(*collection)})
          : tx.Query("SELECT id FROM vault_legal_holds WHERE tenant_id = ? AND lifted_at IS NULL "
                     "ORDER BY placed_at LIMIT 1",
                     {Text(tenant.value())}));
  if (rows.empty()) return std::optional<std::string>();
  SR_ASSIGN_OR_RETURN(std::string id, rows[0].GetText(0));
  return std::optional<std::string>(std::move(id));
}

base::Result<std::optional<std::string>> ActiveTenantWideHold(storage::Transaction& tx,
                                                              const identity::TenantId& tenant) {
  SR_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT id FROM vault_legal_holds WHERE tenant_id = ? AND lifted_at IS "
                          "NULL AND collection IS NULL ORDER BY placed_at LIMIT 1",
                          {Text(tenant.value())}));
  if (rows.empty()) return std::optional<std::string>();
  SR_ASSIGN_OR_RETURN(std::string id, rows[0].GetText(0));
  return std::optional<std::string>(std::move(id));
}

base::Status HeldError(const std::string& hold_id, std::string_view what) {
  return base::FailedPreconditionError("legal hold " + hold_id + " is in force: " +
                                       std::string(what) + " is blocked until it is lifted");
}

}  // namespace strongroom::vault
