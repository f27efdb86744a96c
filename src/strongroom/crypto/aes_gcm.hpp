#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"

namespace strongroom::crypto {

inline constexpr std::size_t kAes256KeySize = 32;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

using Aes256Key = base::Secret<std::array<std::uint8_t, kAes256KeySize>>;
using GcmNonce = std::array<std::uint8_t, kGcmNonceSize>;

// The bare AES-256-GCM primitive (NIST SP 800-38D) with a caller-chosen 96-bit IV. Callers
// should use Aead (aead.hpp), which draws the nonce itself and authenticates a versioned header;
// this layer exists so it can be checked against the NIST CAVP vectors.
//
// Encrypt returns ciphertext || tag (16 bytes).
base::Bytes AesGcmEncrypt(const Aes256Key& key, const GcmNonce& nonce, base::ByteView aad,
                          base::ByteView plaintext);

// Decrypts ciphertext || tag, where the tag is the last `tag_size` bytes (4..16; the product only
// ever uses 16, shorter tags are accepted for the NIST vectors). Fails with kDataLoss when the
// tag does not verify, and then releases no plaintext.
base::Result<base::Bytes> AesGcmDecrypt(const Aes256Key& key, const GcmNonce& nonce,
                                        base::ByteView aad, base::ByteView ciphertext_and_tag,
                                        std::size_t tag_size = kGcmTagSize);

namespace internal {
// The same operations with the associated data given in parts (GCM authenticates their
// concatenation) and the output written in place: the envelope uses these so it neither joins
// header and AAD nor copies the ciphertext a second time. `out` has room for plaintext + 16
// bytes (encrypt) or ciphertext - tag_size bytes (decrypt).
void AesGcmEncryptTo(const Aes256Key& key, const GcmNonce& nonce,
                     std::span<const base::ByteView> aad_parts, base::ByteView plaintext,
                     std::uint8_t* out);
base::Status AesGcmDecryptTo(const Aes256Key& key, const GcmNonce& nonce,
                             std::span<const base::ByteView> aad_parts,
                             base::ByteView ciphertext_and_tag, std::size_t tag_size,
                             std::uint8_t* out);
}  // namespace internal

}  // namespace strongroom::crypto
