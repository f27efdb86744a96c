#include "strongroom/crypto/random.hpp"

#include <sodium.h>

#include "strongroom/base/check.hpp"
#include "strongroom/crypto/internal/sodium.hpp"

namespace strongroom::crypto {
namespace internal {

void EnsureSodium() {
  static const bool initialised = sodium_init() >= 0;
  SR_CHECK(initialised);
}

}  // namespace internal

void FillRandom(std::span<std::uint8_t> out) {
  internal::EnsureSodium();
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

base::Bytes RandomBytes(std::size_t n) {
  base::Bytes out(n);
  FillRandom(out);
  return out;
}

std::uint64_t RandomUniform(std::uint64_t bound) {
  SR_CHECK(bound > 0);
  // Rejection sampling: discard draws from the incomplete top range so every value is equally
  // likely.
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    std::uint64_t v;
    FillRandom({reinterpret_cast<std::uint8_t*>(&v), sizeof v});
    if (v < limit) return v % bound;
  }
}

}  // namespace strongroom::crypto
