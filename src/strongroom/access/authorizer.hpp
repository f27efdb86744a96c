#pragma once

#include <optional>
#include <string>

#include "strongroom/access/decide.hpp"
#include "strongroom/access/grants.hpp"
#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::access {

// What a request is about, as routes know it.
struct Target {
  std::optional<identity::TenantId> tenant;
  std::optional<std::string> collection;
  std::string audit_resource;  // How the audit event names it: "tenant:ten_..", "user:usr_..".
};

// Applies Decide to an authenticated principal: builds its Subject (role, tenant,
// qualification, API-token permissions and, for roles that can hold them, its active grants),
// looks up whether the target tenant is suspended, decides, and records an audit event for
// every denied decision ("access.denied") and every use of a grant or break-glass
// ("grants.use"). Thread-safe.
class Authorizer {
 public:
  Authorizer(storage::Store& store, GrantStore& grants, audit::Sink& audit,
             const base::Clock& clock)
      : store_(store), grants_(grants), audit_(audit), clock_(clock) {}

  // Errors: kPermissionDenied with the decision's reason code ("not allowed: foreign_tenant");
  // kUnavailable when the audit event cannot be recorded (fail closed); store errors.
  base::Result<Decision> Authorize(const identity::Principal& principal, const audit::Actor& actor,
                                   Action action, const Target& target);

  // The same decision for a route that records the access itself (the vault, which knows the
  // outcome and names tenant, collection and record): a denial is recorded here as with
  // Authorize, an allowed decision is not, and the Permit it returns is what the vault requires.
  // Precondition: `target.tenant` is set (tenant-scoped actions only). Errors: as Authorize.
  base::Result<Permit> Admit(const identity::Principal& principal, const audit::Actor& actor,
                             Action action, const Target& target);
  // A Permit on the provider's own tenant (identity::kProviderTenantId), where the ISMS keeps
  // its evidence files: `isms_action` (isms.read or isms.write, which roles hold as usual) is
  // decided and recorded as Authorize records it; the Permit allows the matching file action
  // (files.read, or files.write for isms.write) there and nowhere else, with the reason
  // "isms_evidence". Errors: as Authorize; kInvalidArgument for any other action.
  base::Result<Permit> AdmitIsmsEvidence(const identity::Principal& principal,
                                         const audit::Actor& actor, Action isms_action,
                                         const std::string& audit_resource);

 private:
  // Decides and records a denial. Errors: kPermissionDenied; kUnavailable; store errors.
  base::Result<Decision> DecideAndRecordDenial(const identity::Principal& principal,
                                               const audit::Actor& actor, Action action,
                                               const Target& target, base::Time now);

  storage::Store& store_;
  GrantStore& grants_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

// The subject for a principal, with `grants` already loaded. Pure.
Subject SubjectFor(const identity::Principal& principal, std::vector<GrantView> grants);

}  // namespace strongroom::access
