#pragma once

#include "strongroom/base/result.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::base::internal {
inline Status AsStatus(Status status) { return status; }
template <typename T>
Status AsStatus(const Result<T>& result) {
  return result.status();
}
}  // namespace strongroom::base::internal

// Returns from the enclosing function when `expr` (a Status or Result) is an error.
#define SR_RETURN_IF_ERROR(expr)                                                                \
  do {                                                                                          \
    if (::strongroom::base::Status sr_status_ = ::strongroom::base::internal::AsStatus((expr)); \
        !sr_status_.ok()) {                                                                     \
      return sr_status_;                                                                        \
    }                                                                                           \
  } while (false)

#define SR_INTERNAL_CONCAT_IMPL(a, b) a##b
#define SR_INTERNAL_CONCAT(a, b) SR_INTERNAL_CONCAT_IMPL(a, b)
#define SR_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.error();                 \
  lhs = std::move(tmp).value()

// `SR_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result, or returns its error.
#define SR_ASSIGN_OR_RETURN(lhs, expr) \
  SR_INTERNAL_ASSIGN_OR_RETURN(SR_INTERNAL_CONCAT(sr_result_, __LINE__), lhs, expr)
