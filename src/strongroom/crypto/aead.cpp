#include "strongroom/crypto/aead.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "strongroom/crypto/internal/nonce_source.hpp"

namespace strongroom::crypto {
namespace {

void PutU64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
}
void PutU32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
}
std::uint64_t GetU64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}
std::uint32_t GetU32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | p[i];
  return v;
}

std::string DescribeRef(KeyRef ref) {
  return "key " + std::to_string(ref.key_id) + " version " + std::to_string(ref.version);
}

}  // namespace

base::Result<CiphertextHeader> ParseCiphertextHeader(base::ByteView ciphertext) {
  if (ciphertext.size() < kCiphertextOverhead) {
    return base::InvalidArgumentError("ciphertext is " + std::to_string(ciphertext.size()) +
                                      " bytes; a sealed value has at least " +
                                      std::to_string(kCiphertextOverhead));
  }
  if (ciphertext[0] != kCiphertextFormatV1) {
    return base::InvalidArgumentError("ciphertext format " + std::to_string(ciphertext[0]) +
                                      " is not supported; this build reads format 1");
  }
  CiphertextHeader header;
  header.format = ciphertext[0];
  header.key.key_id = GetU64(ciphertext.data() + 1);
  header.key.version = GetU32(ciphertext.data() + 9);
  std::copy_n(ciphertext.data() + 13, kGcmNonceSize, header.nonce.begin());
  return header;
}

// GCM's associated data is the serialized header, then the caller's AAD. The header has a fixed
// length, so the concatenation is unambiguous.
base::Bytes AeadSeal(const Aes256Key& key, KeyRef ref, base::ByteView aad,
                     base::ByteView plaintext) {
  base::Bytes out(kCiphertextHeaderSize + plaintext.size() + kGcmTagSize);
  out[0] = kCiphertextFormatV1;
  PutU64(out.data() + 1, ref.key_id);
  PutU32(out.data() + 9, ref.version);
  GcmNonce nonce;
  internal::DrawNonce(nonce);
  std::memcpy(out.data() + 13, nonce.data(), nonce.size());
  const base::ByteView aad_parts[] = {base::ByteView(out).first(kCiphertextHeaderSize), aad};
  internal::AesGcmEncryptTo(key, nonce, aad_parts, plaintext, out.data() + kCiphertextHeaderSize);
  return out;
}

base::Result<base::Bytes> AeadOpen(const Aes256Key& key, KeyRef ref, base::ByteView aad,
                                   base::ByteView ciphertext) {
  auto header = ParseCiphertextHeader(ciphertext);
  if (!header.ok()) return header.error();
  if (!(header->key == ref)) {
    return base::InvalidArgumentError("ciphertext was sealed under " + DescribeRef(header->key) +
                                      ", not " + DescribeRef(ref));
  }
  base::Bytes out(ciphertext.size() - kCiphertextOverhead);
  const base::ByteView aad_parts[] = {ciphertext.first(kCiphertextHeaderSize), aad};
  if (base::Status s = internal::AesGcmDecryptTo(key, header->nonce, aad_parts,
                                                 ciphertext.subspan(kCiphertextHeaderSize),
                                                 kGcmTagSize, out.data());
      !s.ok()) {
    return s;
  }
  return out;
}

}  // namespace strongroom::crypto
