#include "strongroom/access/grants.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/identity/users.hpp"

namespace strongroom::access {
namespace {

using storage::Int;
using storage::Null;
using storage::Text;

constexpr const char* kGrantColumns =
    "id, kind, tenant_id, grantee_id, issued_by, access, collections, reason, created_at, "
    "expires_at, revoked_at, revoked_by, unmask";

base::Result<Grant> GrantFromRow(const storage::Row& row) {
  Grant g;
  SR_ASSIGN_OR_RETURN(g.id, row.GetText(0));
  SR_ASSIGN_OR_RETURN(const std::string kind, row.GetText(1));
  g.kind = kind == "break_glass" ? GrantKind::kBreakGlass : GrantKind::kSupport;
  SR_ASSIGN_OR_RETURN(const std::string tenant, row.GetText(2));
  g.tenant = identity::TenantId(tenant);
  SR_ASSIGN_OR_RETURN(const std::string grantee, row.GetText(3));
  g.grantee = identity::UserId(grantee);
  SR_ASSIGN_OR_RETURN(const std::string issuer, row.GetText(4));
  g.issued_by = identity::UserId(issuer);
  SR_ASSIGN_OR_RETURN(const std::string access, row.GetText(5));
  g.read_write = access == "read_write";
  SR_ASSIGN_OR_RETURN(const std::string collections, row.GetText(6));
  const auto j = nlohmann::json::parse(collections, nullptr, false);
  if (!j.is_array()) return base::DataLossError("grant " + g.id + " has unreadable collections");
  for (const auto& c : j) {
    if (!c.is_string()) return base::DataLossError("grant " + g.id + " has unreadable collections");
    g.collections.push_back(c.get<std::string>());
  }
  SR_ASSIGN_OR_RETURN(g.reason, row.GetText(7));
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(8));
  SR_ASSIGN_OR_RETURN(g.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const std::string expires, row.GetText(9));
  SR_ASSIGN_OR_RETURN(g.expires_at, base::ParseRfc3339(expires));
  SR_ASSIGN_OR_RETURN(const auto revoked, row.GetOptionalText(10));
  if (revoked) {
    SR_ASSIGN_OR_RETURN(g.revoked_at, base::ParseRfc3339(*revoked));
  }
  SR_ASSIGN_OR_RETURN(const auto revoked_by, row.GetOptionalText(11));
  if (revoked_by) g.revoked_by = identity::UserId(*revoked_by);
  SR_ASSIGN_OR_RETURN(const std::int64_t unmask, row.GetInt(12));
  g.unmask = unmask != 0;
  return g;
}

base::Status ValidateText(std::string_view text, std::string_view what, std::size_t max) {
  if (text.empty() || text.size() > max) {
    return base::InvalidArgumentError(std::string(what) + " must be 1 to " + std::to_string(max) +
                                      " characters long");
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) {
      return base::InvalidArgumentError(std::string(what) + " must not contain control characters");
    }
  }
  return base::OkStatus();
}

// The tenant must exist and be active.
base::Status CheckTenantActive(storage::Transaction& tx, const identity::TenantId& tenant) {
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT status FROM tenants WHERE id = ?", {Text(tenant.value())}));
  if (rows.empty()) return base::NotFoundError("no tenant " + tenant.value());
  SR_ASSIGN_OR_RETURN(const std::string status, rows[0].GetText(0));
  if (status != "active") {
    return base::FailedPreconditionError("tenant " + tenant.value() + " is suspended");
  }
  return base::OkStatus();
}

base::Status Insert(storage::Transaction& tx, const Grant& g) {
  return tx
      .Execute(
          std::string("INSERT INTO grants (") + kGrantColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
          {Text(g.id), Text(GrantKindName(g.kind)), Text(g.tenant.value()), Text(g.grantee.value()),
           Text(g.issued_by.value()), Text(g.read_write ? "read_write" : "read"),
           Text(nlohmann::json(g.collections).dump()), Text(g.reason),
           Text(base::FormatRfc3339(g.created_at)), Text(base::FormatRfc3339(g.expires_at)),
           Int(g.unmask ? 1 : 0)})
      .status();
}

}  // namespace

std::string_view GrantKindName(GrantKind kind) {
  return kind == GrantKind::kSupport ? "support" : "break_glass";
}

base::Status ValidateCollectionName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return base::InvalidArgumentError("collection names are 1 to 64 characters long");
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return base::InvalidArgumentError("collection '" + std::string(name.substr(0, 64)) +
                                        "' may use only a-z, 0-9, '_' and '-'");
    }
  }
  return base::OkStatus();
}

base::Result<Grant> GrantStore::CreateSupportGrant(const audit::Actor& actor,
                                                   const SupportGrantRequest& r) {
  const base::Time now = clock_.Now();
  if (r.expires_at <= now || r.expires_at - now > policy_.max_support) {
    return base::InvalidArgumentError(
        "a support grant must expire in the future and within " +
        std::to_string(std::chrono::duration_cast<std::chrono::hours>(policy_.max_support).count() /
                       24) +
        " days");
  }
  SR_RETURN_IF_ERROR(ValidateText(r.reason, "reason", 500));
  std::set<std::string> distinct;
  for (const std::string& c : r.collections) {
    SR_RETURN_IF_ERROR(ValidateCollectionName(c));
    if (!distinct.insert(c).second) {
      return base::InvalidArgumentError("collection '" + c + "' is listed twice");
    }
  }
  if (r.collections.size() > 100) {
    return base::InvalidArgumentError("a grant lists at most 100 collections");
  }

  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_RETURN_IF_ERROR(CheckTenantActive(*tx, r.tenant));
  SR_ASSIGN_OR_RETURN(const identity::User issuer, identity::LoadUser(*tx, r.issuer));
  if (issuer.role != identity::Role::kClientAdmin || issuer.tenant != r.tenant) {
    return base::FailedPreconditionError("only a client admin of tenant " + r.tenant.value() +
                                         " issues its support grants");
  }
  auto grantee = identity::LoadUser(*tx, r.grantee);
  if (!grantee.ok()) return base::NotFoundError("no user " + r.grantee.value() + " to grant to");
  if (grantee->role != identity::Role::kService || !grantee->active() || !grantee->qualified) {
    return base::FailedPreconditionError(
        grantee->username +
        " cannot receive a grant: only an active service user whom a security officer has "
        "marked qualified can");
  }
  Grant g;
  g.id = identity::NewRandomId("grt");
  g.kind = GrantKind::kSupport;
  g.tenant = r.tenant;
  g.grantee = r.grantee;
  g.issued_by = r.issuer;
  g.read_write = r.read_write;
  g.collections = std::vector<std::string>(distinct.begin(), distinct.end());
  g.reason = r.reason;
  g.created_at = now;
  g.expires_at = r.expires_at;
  g.unmask = r.unmask;
  SR_RETURN_IF_ERROR(Insert(*tx, g));
  audit::Event e = audit::MakeEvent(actor, now, "grants.create", "grant:" + g.id,
                                    audit::Outcome::kAllowed, "", g.tenant.value());
  e.details["grantee"] = g.grantee.value();
  e.details["access"] = g.read_write ? "read_write" : "read";
  e.details["collections"] = nlohmann::json(g.collections).dump();
  e.details["expires_at"] = base::FormatRfc3339(g.expires_at);
  e.details["reason"] = g.reason;
  e.details["unmask"] = g.unmask ? "true" : "false";
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return g;
}

base::Result<Grant> GrantStore::OpenBreakGlass(const audit::Actor& actor,
                                               const BreakGlassRequest& r) {
  SR_RETURN_IF_ERROR(ValidateText(r.incident, "the incident reference", 200));
  if (r.duration <= std::chrono::seconds(0) || r.duration > policy_.max_break_glass) {
    return base::InvalidArgumentError(
        "break-glass access lasts at most " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::minutes>(policy_.max_break_glass).count()) +
        " minutes");
  }
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_RETURN_IF_ERROR(CheckTenantActive(*tx, r.tenant));
  SR_ASSIGN_OR_RETURN(const identity::User officer, identity::LoadUser(*tx, r.officer));
  if (officer.role != identity::Role::kSecurityOfficer || !officer.active()) {
    return base::FailedPreconditionError(
        "only an active security officer opens break-glass access");
  }
  Grant g;
  g.id = identity::NewRandomId("grt");
  g.kind = GrantKind::kBreakGlass;
  g.tenant = r.tenant;
  g.grantee = r.officer;
  g.issued_by = r.officer;
  g.read_write = r.read_write;
  g.reason = r.incident;
  g.created_at = now;
  g.expires_at = now + r.duration;
  g.unmask = true;  // An incident may need everything; break-glass raises an alert anyway.
  SR_RETURN_IF_ERROR(Insert(*tx, g));
  audit::Event e = audit::MakeEvent(actor, now, "break_glass.open", "grant:" + g.id,
                                    audit::Outcome::kAllowed, "", g.tenant.value());
  e.details["incident"] = g.reason;
  e.details["access"] = g.read_write ? "read_write" : "read";
  e.details["expires_at"] = base::FormatRfc3339(g.expires_at);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return g;
}

base::Result<std::vector<Grant>> GrantStore::Query(std::string_view where,
                                                   const storage::Value& param) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query(std::string("SELECT ") + kGrantColumns + " FROM grants WHERE " +
                                    std::string(where) + " ORDER BY created_at DESC, id",
                                {param}));
  std::vector<Grant> out;
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(Grant g, GrantFromRow(row));
    out.push_back(std::move(g));
  }
  return out;
}

base::Result<std::vector<Grant>> GrantStore::ListForTenant(const identity::TenantId& tenant) {
  return Query("tenant_id = ?", Text(tenant.value()));
}

base::Result<std::vector<Grant>> GrantStore::ListHeldBy(const identity::UserId& grantee) {
  return Query("grantee_id = ?", Text(grantee.value()));
}

base::Result<std::vector<GrantView>> GrantStore::ActiveFor(const identity::UserId& grantee,
                                                           base::Time now) {
  SR_ASSIGN_OR_RETURN(const auto grants,
                      Query("grantee_id = ? AND revoked_at IS NULL", Text(grantee.value())));
  std::vector<GrantView> out;
  for (const Grant& g : grants) {
    if (g.ActiveAt(now)) out.push_back(g.View());
  }
  return out;
}

base::Result<Grant> GrantStore::Revoke(const audit::Actor& actor, const identity::TenantId& tenant,
                                       const std::string& grant_id, const identity::UserId& revoker,
                                       GrantKind kind) {
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query(std::string("SELECT ") + kGrantColumns +
                                    " FROM grants WHERE id = ? AND tenant_id = ? AND "
                                    "kind = ?",
                                {Text(grant_id), Text(tenant.value()), Text(GrantKindName(kind))}));
  if (rows.empty()) {
    return base::NotFoundError("tenant " + tenant.value() + " has no " +
                               std::string(GrantKindName(kind)) + " grant " + grant_id);
  }
  SR_ASSIGN_OR_RETURN(Grant g, GrantFromRow(rows[0]));
  if (!g.ActiveAt(now)) {
    return base::FailedPreconditionError("grant " + grant_id + " is already " +
                                         (g.revoked_at ? "revoked" : "expired"));
  }

  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                  {Text(base::FormatRfc3339(now)), Text(revoker.value()), Text(grant_id)}));
  g.revoked_at = now;
  g.revoked_by = revoker;
  audit::Event e = audit::MakeEvent(actor, now, "grants.revoke", "grant:" + g.id,
                                    audit::Outcome::kAllowed, "", g.tenant.value());
  e.details["kind"] = GrantKindName(g.kind);
  e.details["grantee"] = g.grantee.value();
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return g;
}

}  // namespace strongroom::access
