#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/access/decide.hpp"
#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::access {

std::string_view GrantKindName(GrantKind kind);

struct Grant {
  std::string id;
  GrantKind kind = GrantKind::kSupport;
  identity::TenantId tenant;
  identity::UserId grantee;
  identity::UserId issued_by;
  bool read_write = false;
  std::vector<std::string> collections;  // Empty: every collection.
  std::string reason;                    // Ticket reference, or the incident for break-glass.
  base::Time created_at;
  base::Time expires_at;
  std::optional<base::Time> revoked_at;
  std::optional<identity::UserId> revoked_by;
  bool unmask = false;  // Restricted fields may be shown unmasked under this grant.

  bool ActiveAt(base::Time now) const { return !revoked_at && now < expires_at; }
  GrantView View() const {
    return GrantView{id, tenant, kind, read_write, collections, expires_at, unmask};
  }
};

struct GrantPolicy {
  std::chrono::seconds max_support = std::chrono::days(7);
  std::chrono::seconds max_break_glass = std::chrono::hours(4);
};

struct SupportGrantRequest {
  identity::TenantId tenant;
  identity::UserId issuer;  // The client admin issuing it.
  identity::UserId grantee;
  bool read_write = false;
  std::vector<std::string> collections;  // Empty: every collection.
  std::string reason;                    // A reason or a ticket reference.
  base::Time expires_at;
  bool unmask = false;  // Whether restricted fields may be shown unmasked.
};

struct BreakGlassRequest {
  identity::TenantId tenant;
  identity::UserId officer;  // The security officer opening it (and holding it).
  std::string incident;      // The incident reference that justifies it.
  bool read_write = false;
  std::chrono::seconds duration = std::chrono::hours(1);
};

// Client-issued support grants and security officers' break-glass access. Who may call what is
// access::Decide's business; this class checks what the grant itself must satisfy and writes it
// with its audit event in one transaction. Thread-safe.
class GrantStore {
 public:
  GrantStore(storage::Store& store, audit::Sink& audit, const base::Clock& clock,
             GrantPolicy policy = {})
      : store_(store), audit_(audit), clock_(clock), policy_(policy) {}

  // Errors: kInvalidArgument (expiry not within 7 days, empty or overlong reason, bad collection
  // names); kFailedPrecondition (the grantee is not an active, qualified service user; the
  // issuer is not a client admin of the tenant; the tenant is suspended); kNotFound.
  base::Result<Grant> CreateSupportGrant(const audit::Actor& actor,
                                         const SupportGrantRequest& request);
  // Errors: kInvalidArgument (no incident reference; duration not within 4 hours);
  // kFailedPrecondition (not an active security officer; tenant suspended); kNotFound.
  base::Result<Grant> OpenBreakGlass(const audit::Actor& actor, const BreakGlassRequest& request);

  // Every grant of a tenant, newest first (the client sees support grants and break-glass alike).
  base::Result<std::vector<Grant>> ListForTenant(const identity::TenantId& tenant);
  base::Result<std::vector<Grant>> ListHeldBy(const identity::UserId& grantee);
  // The grants `grantee` can use at `now`.
  base::Result<std::vector<GrantView>> ActiveFor(const identity::UserId& grantee, base::Time now);

  // Revokes a grant of `tenant` of the given kind: the client ends support grants, a security
  // officer ends break-glass. Errors: kNotFound (no grant of that kind with that id in that
  // tenant), kFailedPrecondition (already revoked or expired).
  base::Result<Grant> Revoke(const audit::Actor& actor, const identity::TenantId& tenant,
                             const std::string& grant_id, const identity::UserId& revoker,
                             GrantKind kind);

 private:
  base::Result<std::vector<Grant>> Query(std::string_view where, const storage::Value& param);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const GrantPolicy policy_;
};

// Collection names: 1 to 64 characters of a-z, 0-9, '_' and '-'.
base::Status ValidateCollectionName(std::string_view name);

}  // namespace strongroom::access
