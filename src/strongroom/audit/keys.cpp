#include "strongroom/audit/keys.hpp"

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

constexpr char kPurpose[] = "audit-checkpoints";
constexpr char kInfo[] = "strongroom/v1/audit-checkpoint-ed25519";

base::Result<crypto::Ed25519KeyPair> KeyAt(const crypto::KeyRing& ring, crypto::KeyRef ref) {
  SR_ASSIGN_OR_RETURN(const crypto::Aes256Key derived, ring.DeriveSubkey(ref, kInfo));
  crypto::Ed25519Seed seed;
  std::copy(derived.Reveal().begin(), derived.Reveal().end(), seed.mutable_value().begin());
  return crypto::Ed25519KeyPair::FromSeed(seed);
}

}  // namespace

base::Result<crypto::Ed25519KeyPair> CheckpointSigningKey(crypto::KeyRing& ring) {
  SR_ASSIGN_OR_RETURN(const std::uint64_t id, ring.FindOrCreateKey(kPurpose));
  SR_ASSIGN_OR_RETURN(const crypto::KeyRef ref, ring.Current(id));
  return KeyAt(ring, ref);
}

base::Result<std::map<std::string, crypto::Ed25519PublicKey>> CheckpointPublicKeys(
    const crypto::KeyRing& ring) {
  std::map<std::string, crypto::Ed25519PublicKey> keys;
  auto id = ring.FindKey(kPurpose);
  if (!id.ok()) {
    if (id.error().code() == base::ErrorCode::kNotFound) return keys;
    return id.error();
  }
  SR_ASSIGN_OR_RETURN(const crypto::KeyRef current, ring.Current(*id));
  for (std::uint32_t v = 1; v <= current.version; ++v) {
    SR_ASSIGN_OR_RETURN(const crypto::Ed25519KeyPair pair, KeyAt(ring, {*id, v}));
    keys.emplace(KeyIdOf(pair.public_key()), pair.public_key());
  }
  return keys;
}

}  // namespace strongroom::audit
