#include "strongroom/crypto/key_provider.hpp"

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {

RootKey GenerateRootKey() {
  RootKey key;
  FillRandom(key.mutable_value());
  return key;
}

base::SecretString EncodeRootKeyFile(const RootKey& key) {
  base::SecretString text(base::HexEncode(key.Reveal()));
  text.mutable_value().push_back('\n');
  return text;
}

base::Result<RootKey> DecodeRootKeyFile(const base::SecretString& text) {
  std::string_view body = text.Reveal();
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  const auto bad = [] {
    return base::InvalidArgumentError(
        "the root key file must hold exactly 64 hexadecimal digits (a 256-bit key) and an "
        "optional newline");
  };
  if (body.size() != 2 * kAes256KeySize) return bad();
  auto decoded = base::HexDecode(body);
  if (!decoded.ok()) return bad();
  base::SecretBytes bytes(std::move(decoded).value());
  RootKey key;
  std::copy(bytes.Reveal().begin(), bytes.Reveal().end(), key.mutable_value().begin());
  return key;
}

base::Result<RootKey> FileKeyProvider::LoadRootKey() {
  if (base::Status s = base::CheckOwnerOnly(path_, "root key file"); !s.ok()) return s;
  auto text = base::ReadSmallFile(path_, 1024);
  if (!text.ok()) return text.error().WithContext("root key file");
  base::SecretString secret(std::move(text).value());
  auto key = DecodeRootKeyFile(secret);
  if (!key.ok()) return key.error().WithContext(path_.string());
  return key;
}

}  // namespace strongroom::crypto
