#include "strongroom/identity/tenants.hpp"

#include "strongroom/base/status_macros.hpp"

namespace strongroom::identity {

using storage::Int;
using storage::Null;
using storage::Text;

std::string_view TenantStatusName(TenantStatus status) {
  return status == TenantStatus::kActive ? "active" : "suspended";
}

base::Status ValidateTenantName(std::string_view name) {
  if (name.empty() || name.size() > 200) {
    return base::InvalidArgumentError("tenant name must be 1 to 200 characters long");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) {
      return base::InvalidArgumentError("tenant name must not contain control characters");
    }
  }
  if (name.front() == ' ' || name.back() == ' ') {
    return base::InvalidArgumentError("tenant name must not start or end with a space");
  }
  return base::OkStatus();
}

base::Result<Tenant> TenantFromRow(const storage::Row& row) {
  Tenant t;
  SR_ASSIGN_OR_RETURN(const std::string id, row.GetText(0));
  t.id = TenantId(id);
  SR_ASSIGN_OR_RETURN(t.name, row.GetText(1));
  SR_ASSIGN_OR_RETURN(const std::string status, row.GetText(2));
  if (status != "active" && status != "suspended") {
    return base::DataLossError("tenant " + id + " has an unknown stored status");
  }
  t.status = status == "active" ? TenantStatus::kActive : TenantStatus::kSuspended;
  SR_ASSIGN_OR_RETURN(const std::int64_t require, row.GetInt(3));
  t.require_client_2fa = require != 0;
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(4));
  SR_ASSIGN_OR_RETURN(t.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const auto suspended, row.GetOptionalText(5));
  if (suspended) {
    SR_ASSIGN_OR_RETURN(t.suspended_at, base::ParseRfc3339(*suspended));
  }
  return t;
}

base::Result<Tenant> TenantStore::Create(const audit::Actor& actor, std::string_view name) {
  SR_RETURN_IF_ERROR(ValidateTenantName(name));
  Tenant t;
  t.id = TenantId(NewRandomId("ten"));
  t.name = std::string(name);
  t.created_at = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  auto inserted = tx->Execute(
      "INSERT INTO tenants (id, name, status, require_client_2fa, created_at) VALUES (?, ?, "
      "'active', 1, ?)",
      {Text(t.id.value()), Text(t.name), Text(base::FormatRfc3339(t.created_at))});
  if (inserted.status().code() == base::ErrorCode::kAlreadyExists) {
    return base::AlreadyExistsError("a tenant named '" + t.name + "' already exists");
  }
  SR_RETURN_IF_ERROR(inserted);
  audit::Event event =
      audit::MakeEvent(actor, t.created_at, "tenants.create", "tenant:" + t.id.value(),
                       audit::Outcome::kAllowed, "", t.id.value());
  event.details["name"] = t.name;
  SR_RETURN_IF_ERROR(audit_.Record(event));
  SR_RETURN_IF_ERROR(tx->Commit());
  return t;
}

base::Result<std::vector<Tenant>> TenantStore::List() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kTenantColumns +
                                               " FROM tenants WHERE id <> ? ORDER BY name",
                                           {Text(kProviderTenantId)}));
  std::vector<Tenant> out;
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(Tenant t, TenantFromRow(row));
    out.push_back(std::move(t));
  }
  return out;
}

base::Result<Tenant> TenantStore::Get(const TenantId& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      auto rows, tx->Query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE id = ?",
                           {Text(id.value())}));
  if (rows.empty()) return base::NotFoundError("no tenant " + id.value());
  return TenantFromRow(rows[0]);
}

base::Result<Tenant> TenantStore::FindByName(std::string_view name) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      auto rows, tx->Query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE name = ?",
                           {Text(name)}));
  if (rows.empty()) return base::NotFoundError("no tenant named '" + std::string(name) + "'");
  return TenantFromRow(rows[0]);
}

base::Result<Tenant> TenantStore::Update(const audit::Actor& actor, std::string_view action,
                                         const TenantId& id, std::string_view sql,
                                         const std::vector<storage::Value>& params) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const std::int64_t changed, tx->Execute(sql, params));
  if (changed == 0) {
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT status, shredded_at FROM tenants WHERE id = ?",
                                             {Text(id.value())}));
    if (rows.empty()) return base::NotFoundError("no tenant " + id.value());
    if (!rows[0].IsNull(1)) {
      return base::FailedPreconditionError("tenant " + id.value() +
                                           " was shredded and stays suspended");
    }
    SR_ASSIGN_OR_RETURN(const std::string status, rows[0].GetText(0));
    return base::FailedPreconditionError("tenant " + id.value() + " is already " + status);
  }
  SR_ASSIGN_OR_RETURN(
      auto rows, tx->Query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE id = ?",
                           {Text(id.value())}));
  SR_ASSIGN_OR_RETURN(Tenant t, TenantFromRow(rows.at(0)));
  audit::Event event =
      audit::MakeEvent(actor, clock_.Now(), std::string(action), "tenant:" + id.value(),
                       audit::Outcome::kAllowed, "", id.value());
  if (action == "tenants.update") {
    event.details["require_client_2fa"] = t.require_client_2fa ? "true" : "false";
  }
  SR_RETURN_IF_ERROR(audit_.Record(event));
  SR_RETURN_IF_ERROR(tx->Commit());
  return t;
}

base::Result<Tenant> TenantStore::EnsureProviderTenant(const audit::Actor& actor) {
  const TenantId id{std::string(kProviderTenantId)};
  {
    auto existing = Get(id);
    if (existing.ok() || existing.status().code() != base::ErrorCode::kNotFound) return existing;
  }
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(
      const std::int64_t inserted,
      tx->Execute("INSERT INTO tenants (id, name, status, require_client_2fa, "
                  "created_at) VALUES (?, ?, 'active', 1, ?) ON CONFLICT DO "
                  "NOTHING",
                  {Text(id.value()), Text(kProviderTenantName), Text(base::FormatRfc3339(now))}));
  if (inserted == 1) {
    audit::Event event = audit::MakeEvent(actor, now, "tenants.create", "tenant:" + id.value(),
                                          audit::Outcome::kAllowed, "", id.value());
    event.details["name"] = std::string(kProviderTenantName);
    SR_RETURN_IF_ERROR(audit_.Record(event));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  return Get(id);
}

base::Result<Tenant> TenantStore::Suspend(const audit::Actor& actor, const TenantId& id) {
  if (IsProviderTenant(id)) {
    return base::FailedPreconditionError(
        "the provider's own tenant holds the ISMS evidence; it cannot be suspended or shredded");
  }
  return Update(actor, "tenants.suspend", id,
                "UPDATE tenants SET status = 'suspended', suspended_at = ? WHERE id = ? AND "
                "status = 'active'",
                {Text(base::FormatRfc3339(clock_.Now())), Text(id.value())});
}

base::Result<Tenant> TenantStore::Resume(const audit::Actor& actor, const TenantId& id) {
  return Update(actor, "tenants.resume", id,
                "UPDATE tenants SET status = 'active', suspended_at = NULL WHERE id = ? AND "
                "status = 'suspended' AND shredded_at IS NULL",
                {Text(id.value())});
}

base::Result<Tenant> TenantStore::SetRequireClient2fa(const audit::Actor& actor, const TenantId& id,
                                                      bool required) {
  return Update(actor, "tenants.update", id,
                "UPDATE tenants SET require_client_2fa = ? WHERE id = ?",
                {Int(required ? 1 : 0), Text(id.value())});
}

}  // namespace strongroom::identity
