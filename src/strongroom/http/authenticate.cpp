#include "strongroom/http/authenticate.hpp"

#include <algorithm>

namespace strongroom::http {
namespace {

bool StartsWithCaseInsensitive(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

std::optional<std::string> CookieValue(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

base::Result<Caller> Authenticate(identity::Sessions& sessions, const Request& request) {
  Caller caller;
  if (const auto auth = request.Header("authorization")) {
    if (!StartsWithCaseInsensitive(*auth, "Bearer ") || auth->size() <= 7) {
      return base::UnauthenticatedError(
          "the Authorization header must be 'Bearer <token>' with a session or API token");
    }
    caller.credential = base::SecretString(std::string(auth->substr(7)));
  } else if (auto cookie = CookieValue(request, kSessionCookie)) {
    caller.credential = base::SecretString(std::move(*cookie));
    caller.via_cookie = true;
  } else {
    return base::UnauthenticatedError(
        "authentication required: send 'Authorization: Bearer <token>', or sign in with POST "
        "/api/v1/auth/login");
  }
  auto principal = sessions.Authenticate(caller.credential.Reveal());
  if (!principal.ok()) {
    return base::UnauthenticatedError("the credential cannot be used: " +
                                      principal.error().message());
  }
  if (caller.via_cookie && ChangesState(request.method)) {
    const auto csrf = request.Header(kCsrfHeader);
    if (!csrf || !identity::CsrfTokenMatches(caller.credential, *csrf)) {
      return base::PermissionDeniedError(
          "a request authenticated by the session cookie that changes state needs the session's "
          "CSRF token in the X-CSRF-Token header");
    }
  }
  caller.principal = std::move(principal).value();
  caller.actor = audit::Actor{caller.principal.user.id.value(),
                              std::string(identity::RoleName(caller.principal.user.role)),
                              request.remote_address, request.request_id};
  return caller;
}

}  // namespace strongroom::http
