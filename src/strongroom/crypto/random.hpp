#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/random.hpp"

namespace strongroom::crypto {

// Fills `out` from the operating system's CSPRNG (getrandom(2) through libsodium). Never fails:
// if the kernel cannot supply randomness the process aborts rather than continue with weak keys.
void FillRandom(std::span<std::uint8_t> out);

base::Bytes RandomBytes(std::size_t n);

template <std::size_t N>
std::array<std::uint8_t, N> RandomArray() {
  std::array<std::uint8_t, N> out;
  FillRandom(out);
  return out;
}

// A uniformly random integer in [0, bound), bound > 0.
std::uint64_t RandomUniform(std::uint64_t bound);

// base::Random backed by the operating system's CSPRNG. Thread-safe.
class SystemRandom final : public base::Random {
 public:
  void Fill(std::span<std::uint8_t> out) override { FillRandom(out); }
};

}  // namespace strongroom::crypto
