#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::vault {

// A legal hold: while it is in force, nothing it covers (the whole tenant, or one collection) is
// deleted, replaced, purged by retention or shredded.
struct LegalHold {
  std::string id;
  identity::TenantId tenant;
  std::optional<std::string> collection;  // nullopt: the whole tenant.
  std::string reason;                     // A case or matter reference.
  std::string placed_by;
  base::Time placed_at;
  std::optional<std::string> lifted_by;
  std::optional<base::Time> lifted_at;

  bool active() const { return !lifted_at.has_value(); }
};

// Places, lifts and lists legal holds; each change is audited in the same transaction.
// Thread-safe.
class LegalHolds {
 public:
  LegalHolds(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Places a hold on the permit's tenant, or on one of its collections (Permit:
  // legal_holds.manage). Errors: kInvalidArgument (reason empty or over 500 characters);
  // kNotFound (no such tenant or collection).
  base::Result<LegalHold> Place(const access::Permit& permit,
                                const std::optional<std::string>& collection,
                                const std::string& reason);
  // Lifts a hold (Permit: legal_holds.manage). Errors: kNotFound; kFailedPrecondition when it
  // was lifted already.
  base::Result<LegalHold> Lift(const access::Permit& permit, const std::string& id);
  // The tenant's holds, in force first, newest first (Permit: legal_holds.read).
  base::Result<std::vector<LegalHold>> List(const access::Permit& permit);

 private:
  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

// The id of a legal hold in force on `tenant` as a whole or on `collection` (when given), read in
// `tx`; nullopt when none. Every deletion, replacement, purge and shred asks this first.
base::Result<std::optional<std::string>> ActiveHold(storage::Transaction& tx,
                                                    const identity::TenantId& tenant,
                                                    std::optional<std::string_view> collection);

// The id of a legal hold in force on the whole of `tenant` (not one collection), or nullopt:
// what blocks changes to the tenant's files, which belong to no collection.
base::Result<std::optional<std::string>> ActiveTenantWideHold(storage::Transaction& tx,
                                                              const identity::TenantId& tenant);

// The error for an operation a hold blocks (kFailedPrecondition).
base::Status HeldError(const std::string& hold_id, std::string_view what);

}  // namespace strongroom::vault
