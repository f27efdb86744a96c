#pragma once

#include <string_view>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"

namespace strongroom::isms {

// A calendar date, YYYY-MM-DD, that exists. Errors (kInvalidArgument) name `field`.
base::Status ValidateDate(std::string_view field, std::string_view date);

// When a user asks "as of": a date (the end of that day, UTC) or an RFC 3339 time. Errors
// (kInvalidArgument) name `field` and what is accepted.
base::Result<base::Time> ParseAsOf(std::string_view field, std::string_view text);

}  // namespace strongroom::isms
