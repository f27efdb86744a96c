#pragma once

#include <cstddef>
#include <string_view>

#include "strongroom/base/status.hpp"

namespace strongroom::base {

// Checks JSON text at the edge, in one pass and without recursion, before any parser sees it:
// - arrays and objects nest no deeper than `max_depth` (a recursive parser would otherwise let a
//   body of "[[[[..." exhaust the stack); brackets inside strings do not count;
// - no raw NUL byte: it is never valid JSON, and nlohmann's parser stops at it and ignores the
//   rest, so "{...}\0{...}" would mean one thing to us and another to the next reader.
// Errors (kInvalidArgument) say which rule failed. Does not validate the rest of the syntax.
Status CheckJsonText(std::string_view json, std::size_t max_depth);

}  // namespace strongroom::base
