#pragma once

#include <optional>
#include <string>
#include <utility>

#include "strongroom/access/action.hpp"
#include "strongroom/audit/event.hpp"
#include "strongroom/identity/ids.hpp"

namespace strongroom::access {

class Authorizer;

// Proof that the Authorizer allowed one principal one action on one tenant (and, for actions on
// a collection, that collection). The vault takes a Permit for every call and acts only on the
// tenant the Permit names, so no code path reaches client data without an access decision: only
// the Authorizer can make one. The holder records the access itself, once it knows the outcome,
// in an event that carries the decision's reason and grant (see Event). Thread-compatible value.
class Permit {
 public:
  Action action() const { return action_; }
  const identity::TenantId& tenant() const { return tenant_; }
  // The collection the decision was about, when the route named one.
  const std::optional<std::string>& collection() const { return collection_; }
  const audit::Actor& actor() const { return actor_; }
  // The decision's reason code ("role:client_admin", "via_grant", "via_break_glass").
  const std::string& reason() const { return reason_; }
  // The grant or break-glass the access goes through; empty for the tenant's own users.
  const std::string& grant_id() const { return grant_id_; }

  // An event for this access: the actor, tenant and time, the decision's reason (unless the
  // outcome gives its own) and, under a grant, details["grant"].
  audit::Event Event(base::Time time, std::string action, std::string resource,
                     audit::Outcome outcome = audit::Outcome::kAllowed,
                     std::string reason = "") const {
    audit::Event e =
        audit::MakeEvent(actor_, time, std::move(action), std::move(resource), outcome,
                         reason.empty() ? reason_ : std::move(reason), tenant_.value());
    if (!grant_id_.empty()) e.details["grant"] = grant_id_;
    return e;
  }

 private:
  friend class Authorizer;
  Permit(Action action, identity::TenantId tenant, std::optional<std::string> collection,
         audit::Actor actor, std::string reason, std::string grant_id)
      : action_(action),
        tenant_(std::move(tenant)),
        collection_(std::move(collection)),
        actor_(std::move(actor)),
        reason_(std::move(reason)),
        grant_id_(std::move(grant_id)) {}

  Action action_;
  identity::TenantId tenant_;
  std::optional<std::string> collection_;
  audit::Actor actor_;
  std::string reason_;
  std::string grant_id_;
};

}  // namespace strongroom::access
