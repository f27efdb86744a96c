#pragma once

#include <nlohmann/json_fwd.hpp>

#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/identity/users.hpp"

namespace strongroom::identity {

// The JSON shapes of identity objects, shared by the HTTP API and the CLI's --json output so
// both always say the same thing. Times are RFC 3339 strings; absent optionals are null.
nlohmann::json ToJson(const User& user);
nlohmann::json ToJson(const Tenant& tenant);
nlohmann::json ToJson(const ApiTokenInfo& token);

// The one place an enrolment's secrets become text: totp_secret, otpauth_uri, totp_qr_svg and
// recovery_codes. Only for the response that enrols.
nlohmann::json EnrollmentToJsonRevealingSecrets(const Enrollment& enrollment);

}  // namespace strongroom::identity
