#include "strongroom/base/json_text.hpp"

#include <string>

namespace strongroom::base {

Status CheckJsonText(std::string_view json, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : json) {
    if (c == '\0') {
      return InvalidArgumentError(
          "JSON text contains a NUL byte; write U+0000 inside a string as \\u0000");
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          return InvalidArgumentError("JSON text nests deeper than " + std::to_string(max_depth) +
                                      " levels of arrays and objects");
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return OkStatus();
}

}  // namespace strongroom::base
