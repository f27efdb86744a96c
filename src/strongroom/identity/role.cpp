#include "strongroom/identity/role.hpp"

#include <string>

namespace strongroom::identity {
namespace {

constexpr Role kRoles[] = {Role::kAdmin, Role::kSecurityOfficer, Role::kService,   Role::kAuditor,
                           Role::kStaff, Role::kClientAdmin,     Role::kClientUser};

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kSecurityOfficer:
      return "security_officer";
    case Role::kService:
      return "service";
    case Role::kAuditor:
      return "auditor";
    case Role::kStaff:
      return "staff";
    case Role::kClientAdmin:
      return "client_admin";
    case Role::kClientUser:
      return "client_user";
  }
  return "unknown";
}

std::span<const Role> AllRoles() { return kRoles; }

base::Result<Role> ParseRole(std::string_view name) {
  std::string accepted;
  for (Role r : kRoles) {
    if (RoleName(r) == name) return r;
    accepted += accepted.empty() ? "" : ", ";
    accepted += RoleName(r);
  }
  return base::InvalidArgumentError("unknown role '" + std::string(name.substr(0, 64)) +
                                    "'; accepted: " + accepted);
}

bool IsProviderRole(Role role) { return role != Role::kClientAdmin && role != Role::kClientUser; }

}  // namespace strongroom::identity
