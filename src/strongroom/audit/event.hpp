#pragma once

#include <map>
#include <string>
#include <string_view>

#include "strongroom/base/clock.hpp"

namespace strongroom::audit {

enum class Outcome { kAllowed, kDenied, kFailed };
std::string_view OutcomeName(Outcome outcome);

// One audited event: who did what to which resource, with what outcome and why. Events never
// carry secrets or record contents: passphrases, codes, tokens and keys stay out, and a value that
// must be referred to is referred to by an id (a session id, a token id), never by itself.
// Thread-compatible value type.
struct Event {
  base::Time time;
  std::string actor_id;    // The user id; empty when unknown (e.g. a sign-in for a name that
                           // does not exist).
  std::string actor_role;  // Empty when unknown.
  std::string tenant_id;   // The tenant the resource belongs to; empty when none.
  std::string action;      // "auth.login", "users.deactivate", "grants.create", "records.read".
  std::string resource;    // "user:usr_...", "tenant:ten_...", "grant:grt_...".
  Outcome outcome = Outcome::kAllowed;
  std::string reason;  // A reason code: "invalid_credentials", "locked", "via_grant", ...
  std::string source_address;
  std::string request_id;
  std::map<std::string, std::string> details;  // Small, non-secret facts (a username tried).
};

// Who is acting, from where: the part of an event the caller knows before the action. The CLI acts
// as "cli" with the operator's login name.
struct Actor {
  std::string id;
  std::string role;
  std::string source_address;
  std::string request_id;
};

// An event for `actor` doing `action` on `resource`, timed `time`.
Event MakeEvent(const Actor& actor, base::Time time, std::string action, std::string resource,
                Outcome outcome, std::string reason, std::string tenant_id = "");

}  // namespace strongroom::audit
