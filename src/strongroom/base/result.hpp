#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "strongroom/base/check.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::base {

// A value of type T or an error Status, shaped like std::expected<T, Status> (C++23), which g++ 12
// does not offer in C++20. Accessing the value of an error Result is an invariant violation and
// aborts; callers check ok() first or use SR_ASSIGN_OR_RETURN.
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "Result<Status> is meaningless");

 public:
  // NOLINTBEGIN(google-explicit-constructor): implicit like std::expected, so `return value;`
  // and `return SomeError(...);` both read naturally.
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  Result(Status status) : data_(std::in_place_index<1>, std::move(status)) {
    SR_CHECK(!std::get<1>(data_).ok());
  }
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Status> && !std::is_same_v<std::decay_t<U>, Result<T>>)
      Result(U&& value)
      : data_(std::in_place_index<0>, std::forward<U>(value)) {}
  // NOLINTEND(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  bool has_value() const { return ok(); }
  explicit operator bool() const { return ok(); }

  // The error, or OK when there is a value.
  Status status() const { return ok() ? Status() : std::get<1>(data_); }
  const Status& error() const {
    SR_CHECK(!ok());
    return std::get<1>(data_);
  }

  T& value() & {
    SR_CHECK(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    SR_CHECK(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    SR_CHECK(ok());
    return std::move(std::get<0>(data_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Status> data_;
};

}  // namespace strongroom::base
