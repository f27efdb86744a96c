#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/merkle.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/sign.hpp"

namespace strongroom::audit {

// A signed statement of the audit log's size and root at a time. The signed bytes are the note
//   "strongroom audit checkpoint v1\n<tree_size>\n<root hash, hex>\n<time, RFC 3339>\n"
// signed with Ed25519 by the instance's checkpoint key; key_id names that key (the first 8 bytes
// of SHA-256 of its public key, hex).
struct SignedCheckpoint {
  std::uint64_t tree_size = 0;
  Hash root{};
  std::string time;
  std::string key_id;
  crypto::Ed25519Signature signature{};
  friend bool operator==(const SignedCheckpoint&, const SignedCheckpoint&) = default;
};

std::string CheckpointNote(std::uint64_t tree_size, const Hash& root, const std::string& time);
std::string KeyIdOf(const crypto::Ed25519PublicKey& public_key);
SignedCheckpoint SignCheckpoint(std::uint64_t tree_size, const Hash& root, std::string time,
                                const crypto::Ed25519KeyPair& key);
// True when the key the checkpoint names is in `keys` and its signature is good.
bool VerifyCheckpointSignature(const SignedCheckpoint& checkpoint,
                               const std::map<std::string, crypto::Ed25519PublicKey>& keys);

// One line of the checkpoint file, and the JSON the API serves:
// {"tree_size":N,"root_hash":"<hex>","time":"...","key_id":"...","signature":"<base64url>"}.
std::string CheckpointToJson(const SignedCheckpoint& checkpoint);
// Errors: kDataLoss naming what is wrong with the text.
base::Result<SignedCheckpoint> CheckpointFromJson(std::string_view text);

// The append-only checkpoint file outside the database: one JSON line per checkpoint, each
// fsynced before Append returns. A copy of the database rolled back to an older state, or a
// truncated log, disagrees with it. Thread-compatible.
class CheckpointFile {
 public:
  // Opens for appending, creating the file (mode 0600) if it does not exist.
  static base::Result<CheckpointFile> Open(const std::filesystem::path& path);
  CheckpointFile() = default;  // Not open: Append fails.
  CheckpointFile(CheckpointFile&&) noexcept;
  CheckpointFile& operator=(CheckpointFile&&) noexcept;
  ~CheckpointFile();

  // Errors: kUnavailable when the line could not be written and synced.
  base::Status Append(const SignedCheckpoint& checkpoint);

  // Every checkpoint in the file, in order. A missing file is empty. Errors: kDataLoss with the
  // line number of a line that is not a checkpoint; I/O errors.
  static base::Result<std::vector<SignedCheckpoint>> ReadAll(const std::filesystem::path& path);
  // The last checkpoint in the file (read from its end), or none. Errors: as ReadAll's.
  static base::Result<std::optional<SignedCheckpoint>> ReadLast(const std::filesystem::path& path);

 private:
  explicit CheckpointFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace strongroom::audit
