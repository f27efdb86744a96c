#pragma once

#include <string>

#include "strongroom/base/strong_id.hpp"

namespace strongroom::identity {

struct UserIdTag {};
struct TenantIdTag {};
using UserId = base::StrongId<UserIdTag>;
using TenantId = base::StrongId<TenantIdTag>;

// A new random identifier, "<prefix>_" followed by 32 hex digits (128 random bits), e.g.
// "usr_9f86d081884c7d659a2feaa0c55ad015". Random ids reveal neither order nor count.
std::string NewRandomId(std::string_view prefix);

}  // namespace strongroom::identity
