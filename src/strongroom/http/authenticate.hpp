#pragma once

#include <string>

#include "strongroom/audit/event.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/http/message.hpp"
#include "strongroom/identity/sessions.hpp"

namespace strongroom::http {

// The session cookie. The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain.
inline constexpr std::string_view kSessionCookie = "__Host-strongroom_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// The authenticated caller of a request.
struct Caller {
  identity::Principal principal;
  audit::Actor actor;             // For audit events: the user, the address, the request id.
  base::SecretString credential;  // The session or API token the request carried.
  bool via_cookie = false;
};

// Finds the credential (Authorization: Bearer <token>, else the session cookie) and resolves it.
// A request authenticated by the cookie that changes state (POST, PUT, PATCH, DELETE) must also
// carry the session's CSRF token in X-CSRF-Token. Errors: kUnauthenticated (no, malformed or
// unusable credential, with the reason), kPermissionDenied (CSRF token missing or wrong).
base::Result<Caller> Authenticate(identity::Sessions& sessions, const Request& request);

// The value of one cookie in the request's Cookie header, if present.
std::optional<std::string> CookieValue(const Request& request, std::string_view name);

}  // namespace strongroom::http
