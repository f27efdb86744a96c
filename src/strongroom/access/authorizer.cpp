#include "strongroom/access/authorizer.hpp"

#include "strongroom/base/check.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/identity/tenants.hpp"

namespace strongroom::access {

Subject SubjectFor(const identity::Principal& principal, std::vector<GrantView> grants) {
  Subject s;
  s.id = principal.user.id;
  s.role = principal.user.role;
  s.tenant = principal.user.tenant;
  s.qualified = principal.user.qualified;
  s.grants = std::move(grants);
  if (principal.permissions) {
    std::vector<Action> allowed;
    for (const std::string& name : *principal.permissions) {
      // Names were checked when the token was made; one unknown now grants nothing.
      if (auto a = ParseAction(name); a.ok()) allowed.push_back(*a);
    }
    s.token_permissions = std::move(allowed);
  }
  return s;
}

base::Result<Decision> Authorizer::DecideAndRecordDenial(const identity::Principal& principal,
                                                         const audit::Actor& actor, Action action,
                                                         const Target& target, base::Time now) {
  std::vector<GrantView> grants;
  const identity::Role role = principal.user.role;
  if (IsDataAction(action) &&
      (role == identity::Role::kService || role == identity::Role::kSecurityOfficer)) {
    SR_ASSIGN_OR_RETURN(grants, grants_.ActiveFor(principal.user.id, now));
  }
  Resource resource;
  resource.tenant = target.tenant;
  resource.collection = target.collection;
  if (target.tenant) {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT status FROM tenants WHERE id = ?",
                                             {storage::Text(target.tenant->value())}));
    // An unknown tenant decides like an active one; the route answers 404 if it gets that far,
    // and a caller denied anyway learns nothing about which tenants exist.
    if (!rows.empty()) resource.tenant_active = rows[0].GetText(0).value_or("") == "active";
  }
  const Decision d = Decide(SubjectFor(principal, std::move(grants)), action, resource, now);
  const std::string tenant = target.tenant ? target.tenant->value() : "";
  if (!d.allowed) {
    audit::Event e = audit::MakeEvent(actor, now, "access.denied", target.audit_resource,
                                      audit::Outcome::kDenied, d.reason, tenant);
    e.details["requested"] = ActionName(action);
    SR_RETURN_IF_ERROR(audit_.Record(e));
    return base::PermissionDeniedError("not allowed: " + d.reason);
  }
  return d;
}

base::Result<Permit> Authorizer::Admit(const identity::Principal& principal,
                                       const audit::Actor& actor, Action action,
                                       const Target& target) {
  SR_CHECK(target.tenant.has_value());
  SR_ASSIGN_OR_RETURN(const Decision d,
                      DecideAndRecordDenial(principal, actor, action, target, clock_.Now()));
  return Permit(action, *target.tenant, target.collection, actor, d.reason, d.grant_id);
}

base::Result<Permit> Authorizer::AdmitIsmsEvidence(const identity::Principal& principal,
                                                   const audit::Actor& actor, Action isms_action,
                                                   const std::string& audit_resource) {
  if (isms_action != Action::kIsmsRead && isms_action != Action::kIsmsWrite) {
    return base::InvalidArgumentError("evidence files are reached through isms.read or isms.write");
  }
  SR_RETURN_IF_ERROR(
      Authorize(principal, actor, isms_action, Target{std::nullopt, std::nullopt, audit_resource})
          .status());
  return Permit(isms_action == Action::kIsmsWrite ? Action::kFilesWrite : Action::kFilesRead,
                identity::TenantId(std::string(identity::kProviderTenantId)), std::nullopt, actor,
                "isms_evidence", "");
}

base::Result<Decision> Authorizer::Authorize(const identity::Principal& principal,
                                             const audit::Actor& actor, Action action,
                                             const Target& target) {
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(const Decision d,
                      DecideAndRecordDenial(principal, actor, action, target, now));
  const std::string tenant = target.tenant ? target.tenant->value() : "";
  // Every allowed decision is recorded too, before the caller acts on it: a use of a grant or
  // break-glass as such, so the client sees it in its trail.
  audit::Event e =
      audit::MakeEvent(actor, now, d.grant_id.empty() ? "access.allowed" : "grants.use",
                       target.audit_resource, audit::Outcome::kAllowed, d.reason, tenant);
  if (!d.grant_id.empty()) e.details["grant"] = d.grant_id;
  e.details["requested"] = ActionName(action);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return d;
}

}  // namespace strongroom::access
