#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"

namespace strongroom::crypto {

// Argon2id cost parameters. libsodium always uses one lane (p = 1).
struct Argon2idParams {
  std::uint32_t iterations = 3;          // t
  std::uint32_t memory_kib = 64 * 1024;  // m, in KiB

  friend bool operator==(const Argon2idParams&, const Argon2idParams&) = default;
};

// The parameters new hashes use: t=3, m=64 MiB (RFC 9106 §4, second recommended option, with
// libsodium's single lane).
inline constexpr Argon2idParams kDefaultPassphraseParams{};

// Hashes a passphrase with a random 16-byte salt and returns the PHC string
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), which carries its parameters. Errors:
// kInvalidArgument when the parameters are below libsodium's minimum; kResourceExhausted when the
// memory cannot be allocated.
base::Result<std::string> HashPassphrase(const base::SecretString& passphrase,
                                         const Argon2idParams& params = kDefaultPassphraseParams);

// True when `passphrase` matches `encoded`, false when it does not. Errors (kInvalidArgument)
// only when `encoded` is not an Argon2id PHC string.
base::Result<bool> VerifyPassphrase(std::string_view encoded, const base::SecretString& passphrase);

// True when `encoded` was made with parameters other than `params`, so it should be re-hashed at
// the next successful sign-in.
bool PassphraseNeedsRehash(std::string_view encoded, const Argon2idParams& params);

// Raw Argon2id (version 0x13, p = 1) for known-answer tests: `salt` is at least 16 bytes in
// libsodium's interface.
base::Result<base::Bytes> Argon2idRaw(base::ByteView password, base::ByteView salt,
                                      const Argon2idParams& params, std::size_t out_len);

}  // namespace strongroom::crypto
