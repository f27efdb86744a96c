#pragma once

#include <span>
#include <string_view>

#include "strongroom/base/result.hpp"

namespace strongroom::identity {

// Provider side: admin, security_officer, service, auditor, staff. Client side: client_admin,
// client_user. The provider's admin administers the system and reads no client data.
enum class Role {
  kAdmin,
  kSecurityOfficer,
  kService,
  kAuditor,
  kStaff,
  kClientAdmin,
  kClientUser,
};

std::string_view RoleName(Role role);
std::span<const Role> AllRoles();
// Errors (kInvalidArgument) list the accepted names.
base::Result<Role> ParseRole(std::string_view name);
// Provider roles hold no tenant; client roles always belong to exactly one tenant.
bool IsProviderRole(Role role);

}  // namespace strongroom::identity
