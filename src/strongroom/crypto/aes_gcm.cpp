#include "strongroom/crypto/aes_gcm.hpp"

#include <openssl/evp.h>

#include "strongroom/base/check.hpp"

namespace strongroom::crypto {
namespace {

// The fetched cipher is immutable and shared; fetching it once avoids a provider lookup (and its
// lock) on every call.
const EVP_CIPHER* Aes256Gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  SR_CHECK(cipher != nullptr);
  return cipher;
}

// Owns an EVP_CIPHER_CTX. One per thread, reused: allocating a context per call costs more than
// sealing a small record.
class CipherContext {
 public:
  CipherContext() : ctx_(EVP_CIPHER_CTX_new()) { SR_CHECK(ctx_ != nullptr); }
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx_); }
  CipherContext(const CipherContext&) = delete;
  CipherContext& operator=(const CipherContext&) = delete;
  EVP_CIPHER_CTX* get() { return ctx_; }

 private:
  EVP_CIPHER_CTX* ctx_;
};

EVP_CIPHER_CTX* ThreadContext() {
  thread_local CipherContext ctx;
  return ctx.get();
}

int Length(std::size_t n) {
  SR_CHECK(n <= static_cast<std::size_t>(INT32_MAX));
  return static_cast<int>(n);
}

}  // namespace

namespace internal {

void AesGcmEncryptTo(const Aes256Key& key, const GcmNonce& nonce,
                     std::span<const base::ByteView> aad_parts, base::ByteView plaintext,
                     std::uint8_t* out) {
  EVP_CIPHER_CTX* ctx = ThreadContext();
  SR_CHECK(EVP_EncryptInit_ex2(ctx, Aes256Gcm(), key.Reveal().data(), nonce.data(), nullptr) == 1);
  int len = 0;
  for (base::ByteView aad : aad_parts) {
    if (aad.empty()) continue;
    SR_CHECK(EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), Length(aad.size())) == 1);
  }
  int written = 0;
  if (!plaintext.empty()) {
    SR_CHECK(EVP_EncryptUpdate(ctx, out, &len, plaintext.data(), Length(plaintext.size())) == 1);
    written = len;
  }
  SR_CHECK(EVP_EncryptFinal_ex(ctx, out + written, &len) == 1);
  written += len;
  SR_CHECK(static_cast<std::size_t>(written) == plaintext.size());
  SR_CHECK(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, out + written) == 1);
}

base::Status AesGcmDecryptTo(const Aes256Key& key, const GcmNonce& nonce,
                             std::span<const base::ByteView> aad_parts,
                             base::ByteView ciphertext_and_tag, std::size_t tag_size,
                             std::uint8_t* out) {
  SR_CHECK(tag_size >= 4 && tag_size <= kGcmTagSize);
  if (ciphertext_and_tag.size() < tag_size) {
    return base::DataLossError("ciphertext is shorter than its authentication tag");
  }
  const std::size_t ct_size = ciphertext_and_tag.size() - tag_size;
  EVP_CIPHER_CTX* ctx = ThreadContext();
  SR_CHECK(EVP_DecryptInit_ex2(ctx, Aes256Gcm(), key.Reveal().data(), nonce.data(), nullptr) == 1);
  int len = 0;
  for (base::ByteView aad : aad_parts) {
    if (aad.empty()) continue;
    SR_CHECK(EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), Length(aad.size())) == 1);
  }
  int written = 0;
  if (ct_size > 0) {
    SR_CHECK(EVP_DecryptUpdate(ctx, out, &len, ciphertext_and_tag.data(), Length(ct_size)) == 1);
    written = len;
  }
  SR_CHECK(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                               const_cast<std::uint8_t*>(ciphertext_and_tag.data() + ct_size)) ==
           1);
  if (EVP_DecryptFinal_ex(ctx, out + written, &len) != 1) {
    // GCM decrypts before it verifies: the unauthenticated plaintext must not survive.
    base::SecureWipe(out, ct_size);
    return base::DataLossError(
        "ciphertext failed authentication: wrong key, or the ciphertext, its header or its "
        "associated data was changed");
  }
  return base::OkStatus();
}

}  // namespace internal

base::Bytes AesGcmEncrypt(const Aes256Key& key, const GcmNonce& nonce, base::ByteView aad,
                          base::ByteView plaintext) {
  base::Bytes out(plaintext.size() + kGcmTagSize);
  const base::ByteView parts[] = {aad};
  internal::AesGcmEncryptTo(key, nonce, parts, plaintext, out.data());
  return out;
}

base::Result<base::Bytes> AesGcmDecrypt(const Aes256Key& key, const GcmNonce& nonce,
                                        base::ByteView aad, base::ByteView ciphertext_and_tag,
                                        std::size_t tag_size) {
  base::Bytes out(ciphertext_and_tag.size() >= tag_size ? ciphertext_and_tag.size() - tag_size : 0);
  const base::ByteView parts[] = {aad};
  if (base::Status s =
          internal::AesGcmDecryptTo(key, nonce, parts, ciphertext_and_tag, tag_size, out.data());
      !s.ok()) {
    return s;
  }
  return out;
}

}  // namespace strongroom::crypto
