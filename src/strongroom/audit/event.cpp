#include "strongroom/audit/event.hpp"

namespace strongroom::audit {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllowed:
      return "allowed";
    case Outcome::kDenied:
      return "denied";
    case Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

Event MakeEvent(const Actor& actor, base::Time time, std::string action, std::string resource,
                Outcome outcome, std::string reason, std::string tenant_id) {
  Event e;
  e.time = time;
  e.actor_id = actor.id;
  e.actor_role = actor.role;
  e.tenant_id = std::move(tenant_id);
  e.action = std::move(action);
  e.resource = std::move(resource);
  e.outcome = outcome;
  e.reason = std::move(reason);
  e.source_address = actor.source_address;
  e.request_id = actor.request_id;
  return e;
}

}  // namespace strongroom::audit
