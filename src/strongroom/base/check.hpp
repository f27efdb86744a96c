#pragma once

#include <source_location>

namespace strongroom::base::internal {
[[noreturn]] void CheckFailed(const char* condition, std::source_location where);
}  // namespace strongroom::base::internal

// Aborts when an invariant of the program does not hold. Never use it for user input: bad input
// gets an error Status that says what was wrong.
#define SR_CHECK(condition)                                                                      \
  do {                                                                                           \
    if (!(condition)) [[unlikely]] {                                                             \
      ::strongroom::base::internal::CheckFailed(#condition, std::source_location::current());    \
    }                                                                                            \
  } while (false)
