#pragma once

#include <array>
#include <cstdint>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/secret.hpp"

namespace strongroom::crypto {

inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519Seed = base::Secret<std::array<std::uint8_t, kEd25519SeedSize>>;
using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

// An Ed25519 (RFC 8032) signing key. The private part is the 32-byte seed; the expanded form
// libsodium signs with is kept in secure memory and wiped on destruction. Thread-compatible;
// Sign is safe to call concurrently.
class Ed25519KeyPair {
 public:
  static Ed25519KeyPair Generate();
  static Ed25519KeyPair FromSeed(const Ed25519Seed& seed);

  const Ed25519PublicKey& public_key() const { return public_key_; }
  Ed25519Seed seed() const;
  Ed25519Signature Sign(base::ByteView message) const;

 private:
  Ed25519KeyPair() = default;
  base::Secret<std::array<std::uint8_t, 64>> secret_key_;  // seed || public key
  Ed25519PublicKey public_key_{};
};

// Verifies a detached signature; false for any invalid signature, key or message.
bool Ed25519Verify(const Ed25519PublicKey& public_key, base::ByteView message,
                   const Ed25519Signature& signature);

}  // namespace strongroom::crypto
