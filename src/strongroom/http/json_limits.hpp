#pragma once

#include <cstddef>
#include <string_view>

#include "strongroom/base/status.hpp"

namespace strongroom::http {

// Checks that JSON text nests arrays and objects no deeper than `max_depth`, in one pass and
// without recursion, before any parser sees it (a recursive parser would otherwise let a body of
// "[[[[..." exhaust the stack). Brackets inside strings are not counted. Errors
// (kInvalidArgument) give the limit. Does not validate the rest of the syntax.
base::Status CheckJsonDepth(std::string_view json, std::size_t max_depth);

}  // namespace strongroom::http
