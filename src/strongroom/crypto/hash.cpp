#include "strongroom/crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include "strongroom/base/check.hpp"

namespace strongroom::crypto {

struct Sha256Hasher::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

namespace {

// SHA-256 fetched from the default provider once, and one digest context per thread reused for
// every one-shot hash: EVP_Digest would fetch the algorithm and allocate a context per call,
// which costs more than hashing a Merkle node.
const EVP_MD* FetchedSha256() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    SR_CHECK(m != nullptr);
    return m;
  }();
  return md;
}

struct ThreadContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadContext() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Sha256Digest Sha256(base::ByteView data) {
  thread_local ThreadContext t;
  SR_CHECK(t.ctx != nullptr);
  Sha256Digest out;
  unsigned int len = 0;
  SR_CHECK(EVP_DigestInit_ex2(t.ctx, FetchedSha256(), nullptr) == 1);
  SR_CHECK(EVP_DigestUpdate(t.ctx, data.data(), data.size()) == 1);
  SR_CHECK(EVP_DigestFinal_ex(t.ctx, out.data(), &len) == 1);
  SR_CHECK(len == out.size());
  return out;
}

Sha256Hasher::Sha256Hasher() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  SR_CHECK(state_->ctx != nullptr);
  SR_CHECK(EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1);
}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(base::ByteView data) {
  SR_CHECK(EVP_DigestUpdate(state_->ctx, data.data(), data.size()) == 1);
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  unsigned int len = 0;
  SR_CHECK(EVP_DigestFinal_ex(state_->ctx, out.data(), &len) == 1);
  SR_CHECK(EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1);
  return out;
}

Sha256Digest HmacSha256(base::ByteView key, base::ByteView message) {
  Sha256Digest out;
  unsigned int len = 0;
  // HMAC() rejects a null key pointer even for a zero-length key.
  static const std::uint8_t kEmpty = 0;
  SR_CHECK(HMAC(EVP_sha256(), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()),
                message.data(), message.size(), out.data(), &len) != nullptr);
  SR_CHECK(len == out.size());
  return out;
}

bool ConstantTimeEquals(base::ByteView a, base::ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

base::Result<base::SecretBytes> HkdfSha256(base::ByteView ikm, base::ByteView salt,
                                           base::ByteView info, std::size_t length) {
  if (length == 0 || length > 255 * kSha256Size) {
    return base::InvalidArgumentError("HKDF-SHA256 output length " + std::to_string(length) +
                                      " is outside 1..8160 bytes");
  }
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
  SR_CHECK(kdf != nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  SR_CHECK(ctx != nullptr);
  static char kDigest[] = "SHA256";
  static std::uint8_t kEmpty = 0;
  const auto ptr = [](base::ByteView v) {
    return const_cast<std::uint8_t*>(v.empty() ? &kEmpty : v.data());
  };
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, kDigest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ptr(ikm), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, ptr(salt), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ptr(info), info.size()),
      OSSL_PARAM_construct_end()};
  base::SecretBytes out{base::Bytes(length)};
  const int rc = EVP_KDF_derive(ctx, out.mutable_value().data(), length, params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) return base::InternalError("HKDF-SHA256 derivation failed in OpenSSL");
  return out;
}

}  // namespace strongroom::crypto
