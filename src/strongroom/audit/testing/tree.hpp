#pragma once

#include <vector>

#include "strongroom/audit/merkle.hpp"
#include "strongroom/crypto/sign.hpp"

namespace strongroom::audit::testing {

// MTH straight from RFC 6962's definition, over leaf hashes in memory: the reference the stored,
// incremental tree is checked against.
inline Hash NaiveRoot(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return leaves[begin];
  const std::size_t k = SplitPoint(end - begin);
  return HashChildren(NaiveRoot(leaves, begin, begin + k), NaiveRoot(leaves, begin + k, end));
}

// A fixed checkpoint signing key for tests and benchmarks.
inline crypto::Ed25519KeyPair TestCheckpointKey() {
  crypto::Ed25519Seed seed;
  seed.mutable_value().fill(7);
  return crypto::Ed25519KeyPair::FromSeed(seed);
}

}  // namespace strongroom::audit::testing
