#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "strongroom/access/authorizer.hpp"
#include "strongroom/access/grants.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/metrics.hpp"
#include "strongroom/http/authenticate.hpp"
#include "strongroom/http/router.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/login.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/tenants.hpp"

namespace strongroom::http {

// The services the API's handlers adapt. References: the composition root owns them.
struct ApiServices {
  identity::Sessions& sessions;
  identity::Accounts& accounts;
  identity::TenantStore& tenants;
  identity::LoginService& login;
  access::GrantStore& grants;
  access::Authorizer& authorizer;
  audit::Sink& audit;  // Where requests that fail authentication are recorded.
  const base::MetricsRegistry& metrics;
  const base::Clock& clock;
};

using ApiHandler = std::function<base::Result<Response>(const Request&, const Caller&)>;

// Authenticates the request, runs `handler`, and turns any error into the JSON error response.
// A request that fails authentication is audited (auth.authenticate, denied, with the reason);
// if that cannot be recorded the answer is 503.
Handler Authenticated(ApiServices& api, ApiHandler handler);
// Asks the authorizer (which audits the decision); the error is 403 when denied.
base::Status Allow(ApiServices& api, const Caller& caller, access::Action action,
                   const access::Target& target);
// The ?limit of a list route: 1..1000, default 100. Errors (kInvalidArgument) give the range.
base::Result<std::size_t> LimitParam(const Request& request);
// List pagination: ?limit (LimitParam) and the opaque ?cursor a previous page returned.
struct PageRequest {
  std::size_t limit = 100;
  std::string after;  // The decoded cursor: where the previous page ended.
};
// Errors (kInvalidArgument): the limit's range, or a cursor this API did not return.
base::Result<PageRequest> Page(const Request& request);
// The next_cursor of a list response: the opaque form of `next`, or null on the last page.
nlohmann::json Cursor(const std::optional<std::string>& next);
// 204 with no body.
Response NoContent();

// The error response for `status`, with WWW-Authenticate on 401.
Response ErrorFor(const base::Status& status, const Request& request);

// Every identity and access route: sign-in and sign-out, /me and API tokens, users, tenants,
// grants and break-glass, and GET /metrics (which needs the metrics.read permission).
void AddIdentityRoutes(Router& router, ApiServices& api);

}  // namespace strongroom::http
