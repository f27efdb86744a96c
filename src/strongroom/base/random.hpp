#pragma once

#include <cstdint>
#include <span>

namespace strongroom::base {

// A source of random bytes, injected where a test needs repeatable values (identifiers, tokens in
// fixtures). crypto::SystemRandom is the production implementation. Nonces and keys never come
// from here: crypto draws them from the operating system directly so no fake can weaken them.
// Implementations are thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace strongroom::base
