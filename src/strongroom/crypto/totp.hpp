#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/clock.hpp"

namespace strongroom::crypto {

// The HMAC behind HOTP/TOTP. Strongroom enrols with SHA-1, which every authenticator app
// supports; SHA-256 and SHA-512 are RFC 6238's other options.
enum class OtpHash { kSha1, kSha256, kSha512 };

// RFC 4226 HOTP: the `digits`-digit (6..8) code for `counter`, zero-padded.
std::string Hotp(base::ByteView secret, std::uint64_t counter, int digits = 6,
                 OtpHash hash = OtpHash::kSha1);

// RFC 6238 time step: floor((unix seconds - T0) / step), T0 = 0.
std::uint64_t TotpStep(base::Time t, std::chrono::seconds step = std::chrono::seconds(30));

// RFC 6238 TOTP at time `t`.
std::string Totp(base::ByteView secret, base::Time t, int digits = 6, OtpHash hash = OtpHash::kSha1,
                 std::chrono::seconds step = std::chrono::seconds(30));

// Checks a 6-digit SHA-1 TOTP code at `now`, allowing `drift_steps` steps either way. Returns the
// time step the code matched (so the caller can refuse its reuse), or nullopt. Every candidate
// is compared in constant time.
std::optional<std::uint64_t> VerifyTotp(base::ByteView secret, std::string_view code,
                                        base::Time now, int drift_steps = 1);

}  // namespace strongroom::crypto
