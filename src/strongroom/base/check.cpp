#include "strongroom/base/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace strongroom::base::internal {

void CheckFailed(const char* condition, std::source_location where) {
  std::fprintf(stderr, "SR_CHECK failed: %s at %s:%u (%s)\n", condition, where.file_name(),
               static_cast<unsigned>(where.line()), where.function_name());
  std::fflush(stderr);
  std::abort();
}

}  // namespace strongroom::base::internal
