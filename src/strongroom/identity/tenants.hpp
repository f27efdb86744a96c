#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

enum class TenantStatus { kActive, kSuspended };
std::string_view TenantStatusName(TenantStatus status);

struct Tenant {
  TenantId id;
  std::string name;
  TenantStatus status = TenantStatus::kActive;
  bool require_client_2fa = true;  // Whether the tenant's own users need a second factor.
  base::Time created_at;
  std::optional<base::Time> suspended_at;
};

// The provider's own tenant, where the ISMS keeps its evidence files encrypted like any client's
// data. It is not a client: it is not listed, cannot be suspended (so never shredded) and holds
// no client accounts.
inline constexpr std::string_view kProviderTenantId = "ten_provider";
inline constexpr std::string_view kProviderTenantName = "Provider (ISMS evidence)";
inline bool IsProviderTenant(const TenantId& id) { return id.value() == kProviderTenantId; }

// Tenant names: 1 to 200 characters, no control characters, no leading or trailing space.
// Errors (kInvalidArgument) say which rule failed.
base::Status ValidateTenantName(std::string_view name);

// The provider's clients. A suspended tenant's users cannot sign in and nobody reaches its data
// until it is resumed. Every change is written in one transaction with its audit event (rolled
// back if the event cannot be recorded). Thread-safe.
class TenantStore {
 public:
  TenantStore(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Errors: kInvalidArgument (name), kAlreadyExists (name taken).
  base::Result<Tenant> Create(const audit::Actor& actor, std::string_view name);
  // The provider's clients (the provider's own tenant is not listed).
  base::Result<std::vector<Tenant>> List();
  // Creates the provider's own tenant if it does not exist yet (audited as tenants.create).
  base::Result<Tenant> EnsureProviderTenant(const audit::Actor& actor);
  // Errors: kNotFound.
  base::Result<Tenant> Get(const TenantId& id);
  base::Result<Tenant> FindByName(std::string_view name);
  // Errors: kNotFound; kFailedPrecondition when already in that state.
  base::Result<Tenant> Suspend(const audit::Actor& actor, const TenantId& id);
  base::Result<Tenant> Resume(const audit::Actor& actor, const TenantId& id);
  // Errors: kNotFound.
  base::Result<Tenant> SetRequireClient2fa(const audit::Actor& actor, const TenantId& id,
                                           bool required);

 private:
  base::Result<Tenant> Update(const audit::Actor& actor, std::string_view action,
                              const TenantId& id, std::string_view sql,
                              const std::vector<storage::Value>& params);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

// Reads a tenant row: id, name, status, require_client_2fa, created_at, suspended_at.
base::Result<Tenant> TenantFromRow(const storage::Row& row);
inline constexpr const char* kTenantColumns =
    "id, name, status, require_client_2fa, created_at, suspended_at";

}  // namespace strongroom::identity
