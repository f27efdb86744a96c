#include "strongroom/crypto/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>

#include "strongroom/base/check.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::crypto {
namespace {

const EVP_MD* Digest(OtpHash hash) {
  switch (hash) {
    case OtpHash::kSha1:
      return EVP_sha1();
    case OtpHash::kSha256:
      return EVP_sha256();
    case OtpHash::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

}  // namespace

std::string Hotp(base::ByteView secret, std::uint64_t counter, int digits, OtpHash hash) {
  SR_CHECK(digits >= 6 && digits <= 8);
  std::array<std::uint8_t, 8> message;
  for (int i = 7; i >= 0; --i, counter >>= 8)
    message[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac;
  unsigned int len = 0;
  static const std::uint8_t kEmpty = 0;
  SR_CHECK(HMAC(Digest(hash), secret.empty() ? &kEmpty : secret.data(),
                static_cast<int>(secret.size()), message.data(), message.size(), mac.data(),
                &len) != nullptr);
  // RFC 4226 §5.3 dynamic truncation.
  const std::size_t offset = mac[len - 1] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  char code[16];
  std::snprintf(code, sizeof code, "%0*u", digits, binary % modulus);
  return code;
}

std::uint64_t TotpStep(base::Time t, std::chrono::seconds step) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  return seconds < 0 ? 0 : static_cast<std::uint64_t>(seconds / step.count());
}

std::string Totp(base::ByteView secret, base::Time t, int digits, OtpHash hash,
                 std::chrono::seconds step) {
  return Hotp(secret, TotpStep(t, step), digits, hash);
}

std::optional<std::uint64_t> VerifyTotp(base::ByteView secret, std::string_view code,
                                        base::Time now, int drift_steps) {
  if (code.size() != 6) return std::nullopt;
  const std::uint64_t current = TotpStep(now);
  std::optional<std::uint64_t> matched;
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (int d = -drift_steps; d <= drift_steps; ++d) {
    if (d < 0 && current < static_cast<std::uint64_t>(-d)) continue;
    const std::uint64_t step = current + static_cast<std::uint64_t>(static_cast<std::int64_t>(d));
    const std::string expected = Hotp(secret, step);
    if (ConstantTimeEquals(base::AsBytes(expected), base::AsBytes(code)) && !matched) {
      matched = step;
    }
  }
  return matched;
}

}  // namespace strongroom::crypto
