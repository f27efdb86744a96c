#include "strongroom/http/handlers/api.hpp"

#include <charconv>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/error_mapping.hpp"

namespace strongroom::http {

base::Result<std::size_t> LimitParam(const Request& request) {
  const auto limit = request.QueryParam("limit");
  if (!limit) return std::size_t{100};
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
  if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > 1000) {
    return base::InvalidArgumentError("limit must be an integer from 1 to 1000");
  }
  return n;
}

base::Result<PageRequest> Page(const Request& request) {
  PageRequest page;
  SR_ASSIGN_OR_RETURN(page.limit, LimitParam(request));
  if (auto cursor = request.QueryParam("cursor"); cursor && !cursor->empty()) {
    auto decoded = base::Base64UrlDecode(*cursor);
    if (!decoded.ok()) return base::InvalidArgumentError("cursor is not one this API returned");
    page.after = std::string(base::AsChars(*decoded));
  }
  return page;
}

nlohmann::json Cursor(const std::optional<std::string>& next) {
  return next ? nlohmann::json(base::Base64UrlEncode(base::AsBytes(*next)))
              : nlohmann::json(nullptr);
}

Response NoContent() { return Response{204, "application/json", {}, ""}; }

Response ErrorFor(const base::Status& status, const Request& request) {
  Response r = ErrorResponse(status, request.request_id);
  if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"strongroom\"");
  return r;
}

base::Status Allow(ApiServices& api, const Caller& caller, access::Action action,
                   const access::Target& target) {
  return api.authorizer.Authorize(caller.principal, caller.actor, action, target).status();
}

Handler Authenticated(ApiServices& api, ApiHandler handler) {
  return [&api, handler = std::move(handler)](const Request& request) -> Response {
    auto caller = Authenticate(api.sessions, request);
    if (!caller.ok()) {
      audit::Event e = audit::MakeEvent(
          audit::Actor{"", "", request.remote_address, request.request_id}, api.clock.Now(),
          "auth.authenticate", "route:" + request.method + " " + request.path,
          audit::Outcome::kDenied, caller.error().message().substr(0, 64));
      if (base::Status s = api.audit.Record(e); !s.ok()) return ErrorFor(s, request);
      return ErrorFor(caller.error(), request);
    }
    auto response = handler(request, *caller);
    if (!response.ok()) return ErrorFor(response.error(), request);
    return std::move(response).value();
  };
}

}  // namespace strongroom::http
