#include "strongroom/crypto/sign.hpp"

#include <sodium.h>

#include <algorithm>

#include "strongroom/base/check.hpp"
#include "strongroom/crypto/internal/sodium.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {

Ed25519KeyPair Ed25519KeyPair::Generate() {
  Ed25519Seed seed(RandomArray<kEd25519SeedSize>());
  return FromSeed(seed);
}

Ed25519KeyPair Ed25519KeyPair::FromSeed(const Ed25519Seed& seed) {
  internal::EnsureSodium();
  Ed25519KeyPair pair;
  SR_CHECK(crypto_sign_seed_keypair(pair.public_key_.data(),
                                    pair.secret_key_.mutable_value().data(),
                                    seed.Reveal().data()) == 0);
  return pair;
}

Ed25519Seed Ed25519KeyPair::seed() const {
  std::array<std::uint8_t, kEd25519SeedSize> seed;
  std::copy_n(secret_key_.Reveal().begin(), kEd25519SeedSize, seed.begin());
  Ed25519Seed out(seed);
  base::SecureWipe(seed.data(), seed.size());
  return out;
}

Ed25519Signature Ed25519KeyPair::Sign(base::ByteView message) const {
  Ed25519Signature sig;
  SR_CHECK(crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                                secret_key_.Reveal().data()) == 0);
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& public_key, base::ByteView message,
                   const Ed25519Signature& signature) {
  internal::EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace strongroom::crypto
