#pragma once

#include <filesystem>
#include <string>

#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/crypto/aes_gcm.hpp"

namespace strongroom::crypto {

// The 256-bit root key. It never encrypts data itself: it derives the key-wrapping key that wraps
// every data key (key_ring.hpp).
using RootKey = Aes256Key;

RootKey GenerateRootKey();

// Where the root key comes from at start-up. Implementations are thread-safe.
class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  virtual base::Result<RootKey> LoadRootKey() = 0;
};

// The root key file format: 64 lower-case hex digits and a newline.
base::SecretString EncodeRootKeyFile(const RootKey& key);
// Accepts 64 hex digits with an optional trailing newline. Errors (kInvalidArgument) never echo
// the file's content.
base::Result<RootKey> DecodeRootKeyFile(const base::SecretString& text);

// Reads the root key from a file that only its owner may read: a file with any group or other
// permission bit is refused (kFailedPrecondition) with the mode and the chmod that fixes it.
class FileKeyProvider final : public KeyProvider {
 public:
  explicit FileKeyProvider(std::filesystem::path path) : path_(std::move(path)) {}
  base::Result<RootKey> LoadRootKey() override;

 private:
  const std::filesystem::path path_;
};

}  // namespace strongroom::crypto
