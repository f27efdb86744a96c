#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/base/result.hpp"
#include "strongroom/crypto/sign.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::audit {

struct VerifyReport {
  std::uint64_t events = 0;
  std::uint64_t checkpoints = 0;          // Distinct checkpoints checked (store and file).
  std::uint64_t covered = 0;              // Events under the newest checkpoint that verified.
  std::optional<std::string> covered_at;  // That checkpoint's time.
  // The first position that is not what was recorded; none when the damage is only to the
  // checkpoints themselves. Where the damage was made to look consistent (leaf hashes
  // recomputed), it is the first event not covered by an earlier checkpoint that verified.
  std::optional<std::uint64_t> first_bad_seq;
  std::vector<std::string> problems;  // Empty when the log verified.
  bool ok() const { return problems.empty(); }
};

// Recomputes the Merkle tree from the stored events (every leaf from its fields, not from the
// stored leaf hash) and checks: positions are contiguous from 0, each stored leaf hash and
// stored node matches, and every checkpoint in the store and in the checkpoint file is signed
// by one of `keys` and matches the tree at its size. A checkpoint beyond the stored events shows
// a truncated log or a database rolled back to an older copy; a store with checkpoints and an
// empty or missing checkpoint file is reported too. Tampering goes into the report; errors are
// for I/O only.
base::Result<VerifyReport> VerifyAuditLog(
    storage::Store& store, const std::filesystem::path& checkpoint_file,
    const std::map<std::string, crypto::Ed25519PublicKey>& keys);

}  // namespace strongroom::audit
