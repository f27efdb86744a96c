#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace strongroom::base {

// Overwrites `size` bytes at `data` with zeros in a way the compiler may not elide.
void SecureWipe(void* data, std::size_t size);

namespace internal {
template <typename T>
struct IsSecretContainer : std::false_type {};
template <>
struct IsSecretContainer<std::string> : std::true_type {};
template <>
struct IsSecretContainer<std::vector<std::uint8_t>> : std::true_type {};
template <std::size_t N>
struct IsSecretContainer<std::array<std::uint8_t, N>> : std::true_type {};
template <typename T>
struct IsStdArray : std::false_type {};
template <std::size_t N>
struct IsStdArray<std::array<std::uint8_t, N>> : std::true_type {};
}  // namespace internal

// Key material, passphrases and tokens. A Secret cannot be copied implicitly, printed, streamed or
// formatted (there is deliberately no operator<< and no conversion), and its bytes are wiped when
// it is destroyed or moved from. Read it only through Reveal(), at the call that needs the bytes.
// T is std::string, std::vector<uint8_t> or std::array<uint8_t, N>; callers must not grow T in
// place through mutable_value() after filling it, since a reallocation would leave a copy behind.
// Thread-compatible.
template <typename T>
class Secret {
  static_assert(internal::IsSecretContainer<T>::value,
                "Secret<T> holds std::string, std::vector<uint8_t> or std::array<uint8_t, N>");

 public:
  Secret() = default;
  explicit Secret(T value) : value_(std::move(value)) {}
  ~Secret() { Wipe(); }

  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  // std::string keeps short values inline, so moving it would leave the bytes in the source;
  // copying and wiping the source is the only way to leave nothing behind.
  Secret(Secret&& other) noexcept : value_(TakeFrom(other)) {}
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      Wipe();
      value_ = TakeFrom(other);
    }
    return *this;
  }

  // An explicit copy, for the rare place that must keep two.
  Secret Clone() const { return Secret(T(value_)); }

  const T& Reveal() const { return value_; }
  T& mutable_value() { return value_; }
  std::size_t size() const { return value_.size(); }
  bool empty() const { return value_.size() == 0; }

  // Zeroes the bytes; a std::string or std::vector is left empty.
  void Wipe() {
    if (value_.size() != 0) SecureWipe(value_.data(), value_.size() * sizeof(value_[0]));
    if constexpr (!internal::IsStdArray<T>::value) {
      value_.clear();
    }
  }

 private:
  static T TakeFrom(Secret& other) {
    if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
      T taken = std::move(other.value_);  // Moves the heap buffer itself: no copy remains.
      other.value_.clear();
      return taken;
    } else {
      T taken = other.value_;
      other.Wipe();
      return taken;
    }
  }

  T value_{};
};

// Streaming a secret is a compile error, not a silent leak.
template <typename Stream, typename T>
Stream& operator<<(Stream&, const Secret<T>&) = delete;

using SecretBytes = Secret<std::vector<std::uint8_t>>;
using SecretString = Secret<std::string>;

}  // namespace strongroom::base
