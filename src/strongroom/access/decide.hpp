#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strongroom/access/action.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/identity/role.hpp"

namespace strongroom::access {

enum class GrantKind { kSupport, kBreakGlass };

// An active grant as the decision sees it.
struct GrantView {
  std::string id;
  identity::TenantId tenant;
  GrantKind kind = GrantKind::kSupport;
  bool read_write = false;
  std::vector<std::string> collections;  // Empty: every collection (and the tenant's files).
  base::Time expires_at;
  bool unmask = false;  // Support grants: restricted fields may be shown unmasked.
};

// Who asks.
struct Subject {
  identity::UserId id;
  identity::Role role = identity::Role::kStaff;
  std::optional<identity::TenantId> tenant;  // Client roles: their tenant.
  bool qualified = false;                    // Service users cleared to receive grants.
  std::vector<GrantView> grants;             // Grants the subject holds (revoked ones left out).
  std::optional<std::vector<Action>> token_permissions;  // Set when acting through an API token.
};

// What it is about.
struct Resource {
  std::optional<identity::TenantId> tenant;
  bool tenant_active = true;              // False when the tenant is suspended.
  std::optional<std::string> collection;  // Data actions on records: their collection.
};

struct Decision {
  bool allowed = false;
  std::string reason;    // A reason code, e.g. "role:admin", "via_grant", "foreign_tenant".
  std::string grant_id;  // When allowed through a grant or break-glass.
};

// The one access decision, used by every route: pure (no I/O; the caller supplies the subject's
// grants and the time) and default deny. The policy in words:
// - API tokens never exceed the permissions they were given.
// - The provider's admin manages users and tenants and reads no client data.
// - Security officers oversee (users, grants, audit, alerts, ISMS) and reach a tenant's data
//   only through a break-glass they opened for an incident; auditors read oversight data only.
// - Service users reach a tenant's data only through an unexpired grant from that tenant's
//   client admin, while qualified, within its collections and access level.
// - Client users act only within their own tenant; client admins also manage that tenant's
//   users, settings, collections and grants, and alone see restricted fields unmasked.
// - Restricted fields are unmasked for a service user only under a grant that says so, and for a
//   security officer under break-glass.
// - A suspended tenant is frozen: only the admin may look at it, resume it, shred it or manage
//   its users, and legal holds may still be placed, lifted and read.
// The full matrix is written out in tests/testdata/access/decisions.txt.
Decision Decide(const Subject& subject, Action action, const Resource& resource, base::Time now);

// The actions a role can be allowed anywhere: in its own tenant, another tenant or none, with
// every grant it could hold. Derived from Decide, so API-token permissions are checked against
// the same policy. In the order of AllActions().
std::vector<Action> PotentialActions(identity::Role role);

}  // namespace strongroom::access
