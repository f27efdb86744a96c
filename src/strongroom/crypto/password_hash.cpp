#include "strongroom/crypto/password_hash.hpp"

#include <sodium.h>

#include <array>

#include "strongroom/crypto/internal/sodium.hpp"

namespace strongroom::crypto {
namespace {

base::Status CheckParams(const Argon2idParams& params) {
  if (params.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.memory_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024) {
    return base::InvalidArgumentError("Argon2id parameters t=" + std::to_string(params.iterations) +
                                      " m=" + std::to_string(params.memory_kib) +
                                      " KiB are below the minimum t=1, m=8 KiB");
  }
  return base::OkStatus();
}

}  // namespace

base::Result<std::string> HashPassphrase(const base::SecretString& passphrase,
                                         const Argon2idParams& params) {
  internal::EnsureSodium();
  if (base::Status s = CheckParams(params); !s.ok()) return s;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  const std::string& pw = passphrase.Reveal();
  if (crypto_pwhash_str_alg(out.data(), pw.data(), pw.size(), params.iterations,
                            static_cast<std::size_t>(params.memory_kib) * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return base::ResourceExhaustedError("Argon2id could not allocate " +
                                        std::to_string(params.memory_kib) + " KiB");
  }
  return std::string(out.data());
}

base::Result<bool> VerifyPassphrase(std::string_view encoded,
                                    const base::SecretString& passphrase) {
  internal::EnsureSodium();
  if (!encoded.starts_with("$argon2id$") || encoded.size() >= crypto_pwhash_STRBYTES) {
    return base::InvalidArgumentError("stored passphrase hash is not an Argon2id PHC string");
  }
  const std::string terminated(encoded);
  const std::string& pw = passphrase.Reveal();
  // libsodium answers -1 both for a mismatch and for a malformed string; a string it cannot
  // parse also "needs rehash" with an error (-1), which tells the two apart.
  if (crypto_pwhash_str_verify(terminated.c_str(), pw.data(), pw.size()) == 0) return true;
  if (crypto_pwhash_str_needs_rehash(terminated.c_str(), crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                     crypto_pwhash_argon2id_MEMLIMIT_MIN) < 0) {
    return base::InvalidArgumentError("stored passphrase hash is not an Argon2id PHC string");
  }
  return false;
}

bool PassphraseNeedsRehash(std::string_view encoded, const Argon2idParams& params) {
  internal::EnsureSodium();
  const std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), params.iterations,
                                        static_cast<std::size_t>(params.memory_kib) * 1024) != 0;
}

base::Result<base::Bytes> Argon2idRaw(base::ByteView password, base::ByteView salt,
                                      const Argon2idParams& params, std::size_t out_len) {
  internal::EnsureSodium();
  if (base::Status s = CheckParams(params); !s.ok()) return s;
  if (salt.size() != crypto_pwhash_SALTBYTES) {
    return base::InvalidArgumentError("Argon2id salt must be " +
                                      std::to_string(crypto_pwhash_SALTBYTES) + " bytes");
  }
  base::Bytes out(out_len);
  // An empty span's data() may be null, which libsodium declares it never accepts.
  const char* pw = password.empty() ? "" : reinterpret_cast<const char*>(password.data());
  if (crypto_pwhash(out.data(), out.size(), pw, password.size(), salt.data(), params.iterations,
                    static_cast<std::size_t>(params.memory_kib) * 1024,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return base::ResourceExhaustedError("Argon2id could not allocate " +
                                        std::to_string(params.memory_kib) + " KiB");
  }
  return out;
}

}  // namespace strongroom::crypto
