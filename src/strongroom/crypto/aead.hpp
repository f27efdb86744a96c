#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/aes_gcm.hpp"

namespace strongroom::crypto {

// Which key sealed a ciphertext: a key id and its version. Key id 0 is the root key's key-wrapping
// key; data keys have random non-zero ids.
struct KeyRef {
  std::uint64_t key_id = 0;
  std::uint32_t version = 0;
  friend bool operator==(const KeyRef&, const KeyRef&) = default;
};

// Ciphertext format, version 1 (all integers big-endian):
//
//   offset  size  field
//   0       1     format version (0x01)
//   1       8     key id
//   9       4     key version
//   13      12    nonce, random per encryption
//   25      n     AES-256-GCM ciphertext
//   25+n    16    GCM tag
//
// The 25-byte header is authenticated: GCM's associated data is header || caller's AAD, so a
// changed header, key reference or AAD fails to open. The caller's AAD is what binds a ciphertext
// to its place (tenant, collection, record, version).
inline constexpr std::uint8_t kCiphertextFormatV1 = 0x01;
inline constexpr std::size_t kCiphertextHeaderSize = 1 + 8 + 4 + kGcmNonceSize;
inline constexpr std::size_t kCiphertextOverhead = kCiphertextHeaderSize + kGcmTagSize;

struct CiphertextHeader {
  std::uint8_t format = kCiphertextFormatV1;
  KeyRef key;
  GcmNonce nonce{};
};

// Reads the header of a sealed value. Errors (kInvalidArgument): too short, unknown format.
base::Result<CiphertextHeader> ParseCiphertextHeader(base::ByteView ciphertext);

// Seals `plaintext` under `key` (identified by `ref`) with a fresh random nonce drawn from the
// kernel CSPRNG (internal/nonce_source.hpp). Random 96-bit
// nonces are safe for up to 2^32 encryptions per key (SP 800-38D §8.3); keys are rotated well
// before that.
base::Bytes AeadSeal(const Aes256Key& key, KeyRef ref, base::ByteView aad,
                     base::ByteView plaintext);

// Opens a value sealed by AeadSeal. Errors: kInvalidArgument for a malformed header or one that
// names a key other than `ref`; kDataLoss when authentication fails (no plaintext is released).
base::Result<base::Bytes> AeadOpen(const Aes256Key& key, KeyRef ref, base::ByteView aad,
                                   base::ByteView ciphertext);

}  // namespace strongroom::crypto
