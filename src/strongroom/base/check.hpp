#pragma once

namespace strongroom::base::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace strongroom::base::internal

// Aborts when an invariant of the program does not hold. Never use it for user input: bad input
// gets an error Status that says what was wrong.
#define SR_CHECK(condition)                                                      \
  do {                                                                           \
    if (!(condition)) [[unlikely]] {                                             \
      ::strongroom::base::internal::CheckFailed(#condition, __FILE__, __LINE__); \
    }                                                                            \
  } while (false)
