#include "strongroom/identity/passphrase_policy.hpp"

#include <zxcvbn.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace strongroom::identity {
namespace {

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

int PassphraseScore(const base::SecretString& passphrase, std::string_view username) {
  const std::string user(username);
  const char* dictionary[] = {user.c_str(), "strongroom", nullptr};
  const double bits = ZxcvbnMatch(passphrase.Reveal().c_str(), dictionary, nullptr);
  const double guesses_log10 = bits * std::log10(2.0);
  if (guesses_log10 < 3) return 0;
  if (guesses_log10 < 6) return 1;
  if (guesses_log10 < 8) return 2;
  if (guesses_log10 < 10) return 3;
  return 4;
}

base::Status CheckPassphrase(const base::SecretString& passphrase, std::string_view username) {
  const std::size_t length = CodePoints(passphrase.Reveal());
  if (length < kMinPassphraseLength) {
    return base::InvalidArgumentError("passphrase is too short: it needs at least " +
                                      std::to_string(kMinPassphraseLength) + " characters");
  }
  if (length > kMaxPassphraseLength) {
    return base::InvalidArgumentError("passphrase is too long: at most " +
                                      std::to_string(kMaxPassphraseLength) +
                                      " characters are accepted");
  }
  if (!username.empty() && Lower(passphrase.Reveal()).find(Lower(username)) != std::string::npos) {
    return base::InvalidArgumentError("passphrase must not contain the username");
  }
  if (passphrase.Reveal().find('\0') != std::string::npos) {
    return base::InvalidArgumentError("passphrase must not contain a NUL character");
  }
  if (const int score = PassphraseScore(passphrase, username); score < kMinPassphraseScore) {
    return base::InvalidArgumentError(
        "passphrase is too easy to guess (strength " + std::to_string(score) + " of 4; at least " +
        std::to_string(kMinPassphraseScore) +
        " is needed): use more words, or fewer common words, names, dates and keyboard patterns");
  }
  return base::OkStatus();
}

}  // namespace strongroom::identity
