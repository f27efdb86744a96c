#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>

namespace strongroom::base {

// A value of Rep that only converts to and from Rep explicitly, so a TenantId can never be passed
// where a UserId is expected. Tag is an empty struct that names the kind of id.
template <typename Tag, typename Rep = std::string>
class StrongId {
 public:
  using Representation = Rep;

  StrongId() = default;
  explicit StrongId(Rep value) : value_(std::move(value)) {}

  const Rep& value() const { return value_; }

  friend auto operator<=>(const StrongId&, const StrongId&) = default;
  friend bool operator==(const StrongId&, const StrongId&) = default;

 private:
  Rep value_{};
};

}  // namespace strongroom::base

template <typename Tag, typename Rep>
struct std::hash<strongroom::base::StrongId<Tag, Rep>> {
  std::size_t operator()(const strongroom::base::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
