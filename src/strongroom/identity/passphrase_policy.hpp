#pragma once

#include <cstddef>
#include <string_view>

#include "strongroom/base/secret.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::identity {

inline constexpr std::size_t kMinPassphraseLength = 12;
inline constexpr std::size_t kMaxPassphraseLength = 1024;
inline constexpr int kMinPassphraseScore = 3;

// zxcvbn's strength score (0..4) of a passphrase, with the username and the product's name as
// words an attacker would try first. The C library (libzxcvbn) reports an entropy in bits; the
// score follows zxcvbn's own guess thresholds: 10^3, 10^6, 10^8 and 10^10 guesses (so a score of
// 3 needs about 26.6 bits).
int PassphraseScore(const base::SecretString& passphrase, std::string_view username);

// The passphrase policy: 12 to 1024 characters (UTF-8 code points), not containing the username
// (case-insensitively), zxcvbn score at least 3. Errors (kInvalidArgument) name the first rule
// that failed and never the passphrase.
base::Status CheckPassphrase(const base::SecretString& passphrase, std::string_view username);

}  // namespace strongroom::identity
