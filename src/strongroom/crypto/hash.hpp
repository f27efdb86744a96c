#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"

namespace strongroom::crypto {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

Sha256Digest Sha256(base::ByteView data);

// Incremental SHA-256 for data that arrives in pieces (streamed files, Merkle leaves).
// Thread-compatible.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;

  void Update(base::ByteView data);
  // Returns the digest; the hasher starts over afterwards.
  Sha256Digest Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// HMAC-SHA256 (RFC 2104). Any key length is accepted.
Sha256Digest HmacSha256(base::ByteView key, base::ByteView message);

// Compares in time that depends only on the lengths, not on where the inputs differ.
bool ConstantTimeEquals(base::ByteView a, base::ByteView b);

// HKDF-SHA256 (RFC 5869), extract then expand. `length` is at most 255 * 32 bytes; longer
// requests fail with kInvalidArgument.
base::Result<base::SecretBytes> HkdfSha256(base::ByteView ikm, base::ByteView salt,
                                           base::ByteView info, std::size_t length);

}  // namespace strongroom::crypto
