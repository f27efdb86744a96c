#pragma once

#include <map>
#include <string>

#include "strongroom/base/result.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/crypto/sign.hpp"

namespace strongroom::audit {

// The Ed25519 key that signs checkpoints: its seed is derived (HKDF) from the newest version of
// the key ring's "audit-checkpoints" data key, so it is protected by the root key like every
// other key and never stored. Created on first use.
base::Result<crypto::Ed25519KeyPair> CheckpointSigningKey(crypto::KeyRing& ring);

// The public keys of every version of that key, by key id; empty when there is none yet.
base::Result<std::map<std::string, crypto::Ed25519PublicKey>> CheckpointPublicKeys(
    const crypto::KeyRing& ring);

}  // namespace strongroom::audit
