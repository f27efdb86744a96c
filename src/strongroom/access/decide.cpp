#include "strongroom/access/decide.hpp"

#include <algorithm>
#include <initializer_list>

namespace strongroom::access {
namespace {

using identity::Role;

Decision Allow(std::string reason, std::string grant_id = "") {
  return Decision{true, std::move(reason), std::move(grant_id)};
}
Decision Deny(std::string reason) { return Decision{false, std::move(reason), ""}; }

bool In(Action a, std::initializer_list<Action> set) {
  return std::find(set.begin(), set.end(), a) != set.end();
}

std::string RoleReason(Role role) { return "role:" + std::string(identity::RoleName(role)); }

// Data actions through a grant of `kind` that covers the tenant, collection and access level.
Decision ViaGrant(const Subject& s, Action a, const Resource& r, base::Time now, GrantKind kind) {
  std::string why = kind == GrantKind::kSupport ? "no_grant" : "no_break_glass";
  for (const GrantView& g : s.grants) {
    if (g.kind != kind || g.tenant != *r.tenant || g.expires_at <= now) continue;
    if (kind == GrantKind::kSupport && !s.qualified) {
      why = "not_qualified";
      continue;
    }
    if (!g.collections.empty() &&
        (!r.collection || std::find(g.collections.begin(), g.collections.end(), *r.collection) ==
                              g.collections.end())) {
      why = "collection_not_granted";
      continue;
    }
    if (IsWriteAction(a) && !g.read_write) {
      why = "read_only_grant";
      continue;
    }
    if (a == Action::kRecordsUnmask && kind == GrantKind::kSupport && !g.unmask) {
      why = "grant_does_not_unmask";
      continue;
    }
    return Allow(kind == GrantKind::kSupport ? "via_grant" : "via_break_glass", g.id);
  }
  return Deny(why);
}

Decision DecideAdmin(Action a, const Resource& r) {
  using enum Action;
  if (In(a, {kSelfRead, kTokensManage, kTenantsCreate, kTenantsList, kIsmsRead, kMetricsRead,
             kUsersCreate, kUsersList, kUsersRead, kUsersUpdateRole, kUsersDeactivate,
             kUsersReactivate, kUsersResetTwoFactor, kTenantsRead, kTenantsSuspend, kTenantsResume,
             kTenantsUpdateSettings, kTenantsShred, kBackupsRead})) {
    return Allow(RoleReason(Role::kAdmin));
  }
  (void)r;
  if (IsDataAction(a)) return Deny("admin_reads_no_client_data");
  return Deny("not_permitted_for_role");
}

Decision DecideSecurityOfficer(const Subject& s, Action a, const Resource& r, base::Time now) {
  using enum Action;
  if (In(a, {kSelfRead,          kTokensManage,     kTenantsList,    kAuditReadAll, kAlertsRead,
             kAlertsAcknowledge, kIsmsRead,         kIsmsWrite,      kReportsRead,  kMetricsRead,
             kUsersList,         kUsersRead,        kTenantsRead,    kGrantsList,   kBreakGlassOpen,
             kAuditReadTenant,   kLegalHoldsManage, kLegalHoldsRead, kKeysRotate,   kKeysRead,
             kBackupsRead,       kBackupsHold})) {
    return Allow(RoleReason(Role::kSecurityOfficer));
  }
  // Qualification is a clearance of provider service accounts, which have no tenant.
  if (a == kUsersSetQualified) {
    return r.tenant ? Deny("qualification_is_for_service_users")
                    : Allow(RoleReason(Role::kSecurityOfficer));
  }
  if (IsDataAction(a)) return ViaGrant(s, a, r, now, GrantKind::kBreakGlass);
  return Deny("not_permitted_for_role");
}

Decision DecideService(const Subject& s, Action a, const Resource& r, base::Time now) {
  using enum Action;
  if (In(a, {kSelfRead, kTokensManage, kIsmsRead})) return Allow(RoleReason(Role::kService));
  if (IsDataAction(a)) return ViaGrant(s, a, r, now, GrantKind::kSupport);
  return Deny("not_permitted_for_role");
}

Decision DecideAuditor(Action a) {
  using enum Action;
  if (In(a, {kSelfRead, kTokensManage, kTenantsList, kAuditReadAll, kAlertsRead, kIsmsRead,
             kReportsRead, kUsersList, kUsersRead, kTenantsRead, kGrantsList, kAuditReadTenant,
             kLegalHoldsRead, kKeysRead, kBackupsRead})) {
    return Allow(RoleReason(Role::kAuditor));
  }
  return Deny("not_permitted_for_role");
}

Decision DecideStaff(Action a) {
  using enum Action;
  if (In(a, {kSelfRead, kTokensManage, kIsmsRead})) return Allow(RoleReason(Role::kStaff));
  return Deny("not_permitted_for_role");
}

Decision DecideClient(const Subject& s, Action a, const Resource& r) {
  using enum Action;
  if (In(a, {kSelfRead, kTokensManage})) return Allow(RoleReason(s.role));
  if (ActionScope(a) == Scope::kGlobal) return Deny("not_permitted_for_role");
  // Everything else is about a tenant: only their own.
  if (!r.tenant || !s.tenant || *r.tenant != *s.tenant) return Deny("foreign_tenant");
  const bool admin = s.role == Role::kClientAdmin;
  if (In(a, {kTenantsRead, kRecordsRead, kRecordsWrite, kRecordsDelete, kFilesRead, kFilesWrite})) {
    return Allow(RoleReason(s.role));
  }
  if (admin &&
      In(a, {kRecordsUnmask, kTenantsUpdateSettings, kGrantsCreate, kGrantsList, kGrantsRevoke,
             kCollectionsManage, kAuditReadTenant, kLegalHoldsRead, kKeysRotate, kKeysRead,
             kTenantsExport, kUsersCreate, kUsersList, kUsersRead, kUsersUpdateRole,
             kUsersDeactivate, kUsersReactivate, kUsersResetTwoFactor})) {
    return Allow(RoleReason(s.role));
  }
  return Deny("not_permitted_for_role");
}

}  // namespace

std::vector<Action> PotentialActions(identity::Role role) {
  const identity::TenantId own("ten_own"), other("ten_other");
  const base::Time now = base::FromUnixMillis(0);
  Subject s;
  s.role = role;
  s.qualified = true;
  if (!identity::IsProviderRole(role)) s.tenant = own;
  for (GrantKind kind : {GrantKind::kSupport, GrantKind::kBreakGlass}) {
    s.grants.push_back(GrantView{"g", other, kind, true, {}, now + std::chrono::hours(1), true});
  }
  std::vector<Action> out;
  for (Action a : AllActions()) {
    for (const Resource& r : {Resource{own}, Resource{other}, Resource{}}) {
      if (Decide(s, a, r, now).allowed) {
        out.push_back(a);
        break;
      }
    }
  }
  return out;
}

Decision Decide(const Subject& s, Action a, const Resource& r, base::Time now) {
  if (s.token_permissions && std::find(s.token_permissions->begin(), s.token_permissions->end(),
                                       a) == s.token_permissions->end()) {
    return Deny("outside_token_scope");
  }
  const Scope scope = ActionScope(a);
  if (scope == Scope::kTenant && !r.tenant) return Deny("no_tenant");
  if (scope != Scope::kGlobal && r.tenant && !r.tenant_active) {
    const bool admin_may =
        s.role == Role::kAdmin &&
        (scope == Scope::kUser || In(a, {Action::kTenantsRead, Action::kTenantsResume,
                                         Action::kTenantsUpdateSettings, Action::kTenantsShred}));
    // A hold must be placeable on a frozen tenant above all: it is what stops a shred.
    const bool hold = In(a, {Action::kLegalHoldsManage, Action::kLegalHoldsRead});
    if (!admin_may && !hold) return Deny("tenant_suspended");
  }
  switch (s.role) {
    case Role::kAdmin:
      return DecideAdmin(a, r);
    case Role::kSecurityOfficer:
      return DecideSecurityOfficer(s, a, r, now);
    case Role::kService:
      return DecideService(s, a, r, now);
    case Role::kAuditor:
      return DecideAuditor(a);
    case Role::kStaff:
      return DecideStaff(a);
    case Role::kClientAdmin:
    case Role::kClientUser:
      return DecideClient(s, a, r);
  }
  return Deny("default_deny");
}

}  // namespace strongroom::access
