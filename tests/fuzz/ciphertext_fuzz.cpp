// The ciphertext envelope: arbitrary bytes never open, and anything sealed opens to itself only
// with its own associated data.
#include <cstdint>

#include "fuzz_check.hpp"
#include "strongroom/crypto/aead.hpp"

using namespace strongroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::Aes256Key* key = [] {
    auto* k = new crypto::Aes256Key();
    for (std::size_t i = 0; i < k->mutable_value().size(); ++i) {
      k->mutable_value()[i] = static_cast<std::uint8_t>(i);
    }
    return k;
  }();
  const base::ByteView input(data, size);
  const auto header = crypto::ParseCiphertextHeader(input);
  if (header.ok()) FUZZ_CHECK(size >= crypto::kCiphertextOverhead);
  const crypto::KeyRef ref = header.ok() ? header->key : crypto::KeyRef{1, 1};
  // Forging a valid tag for unseen bytes has probability 2^-128.
  FUZZ_CHECK(!crypto::AeadOpen(*key, ref, {}, input).ok());

  const std::size_t split = size / 2;
  const base::ByteView aad = input.first(split), plaintext = input.subspan(split);
  const base::Bytes sealed = crypto::AeadSeal(*key, crypto::KeyRef{9, 2}, aad, plaintext);
  FUZZ_CHECK(sealed.size() == plaintext.size() + crypto::kCiphertextOverhead);
  const auto opened = crypto::AeadOpen(*key, crypto::KeyRef{9, 2}, aad, sealed);
  FUZZ_CHECK(opened.ok());
  FUZZ_CHECK(base::ByteView(*opened).size() == plaintext.size());
  FUZZ_CHECK(std::equal(opened->begin(), opened->end(), plaintext.begin()));
  base::Bytes other_aad(aad.begin(), aad.end());
  other_aad.push_back(0);
  FUZZ_CHECK(!crypto::AeadOpen(*key, crypto::KeyRef{9, 2}, other_aad, sealed).ok());
  return 0;
}
