#include "strongroom/base/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace strongroom::base::internal {

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "SR_CHECK failed: %s at %s:%d\n", condition, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace strongroom::base::internal
