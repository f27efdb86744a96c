#pragma once

#include <iosfwd>
#include <vector>

#include "strongroom/cli/init.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/identity/users.hpp"

namespace strongroom::cli {

// What `init` prints: for people, or (json) one JSON object. The generated admin password and the
// second factor are shown here once and nowhere else.
void PrintInitReport(const InitReport& report, bool json, std::ostream& out);

// An enrolment for people: the secret, the otpauth URI, a QR code drawn in the terminal, and the
// recovery codes.
void PrintEnrollmentText(const identity::Enrollment& enrollment, std::ostream& out);

void PrintUsers(const std::vector<identity::User>& users, bool json, std::ostream& out);
void PrintTenants(const std::vector<identity::Tenant>& tenants, bool json, std::ostream& out);

}  // namespace strongroom::cli
