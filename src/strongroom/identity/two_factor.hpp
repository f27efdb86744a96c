#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

inline constexpr int kRecoveryCodeCount = 10;

// What a user sees once, at enrolment. Every field is secret.
struct Enrollment {
  base::SecretString secret_base32;                // RFC 4648 base32 of the 160-bit TOTP secret.
  base::SecretString otpauth_uri;                  // otpauth://totp/Strongroom:<user>?secret=...
  base::SecretString qr_svg;                       // The URI as a QR code.
  std::vector<base::SecretString> recovery_codes;  // "xxxx-xxxx-xxxx-xxxx", 80 bits each.
};

enum class SecondFactor { kTotp, kRecoveryCode };

// TOTP enrolment and verification (RFC 6238: SHA-1, 6 digits, 30 s, one step of drift either
// way) and single-use recovery codes. The TOTP secret is stored sealed under the key ring's
// identity key, bound to its user; recovery codes are stored as SHA-256 hashes (each has 80
// random bits, so a fast hash is enough). Verification refuses a code whose time step is not
// newer than the last one accepted, so a code works once. All methods run inside the caller's
// write transaction, which serialises concurrent uses of one code. Thread-safe.
class TwoFactor {
 public:
  TwoFactor(const crypto::KeyRing& ring, std::uint64_t identity_key_id, const base::Clock& clock)
      : ring_(ring), key_id_(identity_key_id), clock_(clock) {}

  // Replaces the user's TOTP secret and recovery codes with new ones.
  base::Result<Enrollment> Enroll(storage::Transaction& tx, const UserId& user,
                                  std::string_view username) const;
  // Removes the secret and the codes (the user is no longer enrolled).
  base::Status Clear(storage::Transaction& tx, const UserId& user) const;

  // Checks a TOTP code or an unused recovery code and consumes it. Errors: kUnauthenticated
  // with a reason ("wrong_code", "code_reused", "not_enrolled"), which callers turn into the
  // same invalid_credentials answer.
  base::Result<SecondFactor> Verify(storage::Transaction& tx, const UserId& user,
                                    const base::SecretString& code) const;

  base::Result<int> RemainingRecoveryCodes(storage::Transaction& tx, const UserId& user) const;

 private:
  base::Result<base::Bytes> Unseal(const UserId& user, const base::Bytes& sealed) const;

  const crypto::KeyRing& ring_;
  const std::uint64_t key_id_;
  const base::Clock& clock_;
};

// Recovery codes are compared after lower-casing and removing spaces and dashes.
std::string NormalizeRecoveryCode(std::string_view code);

}  // namespace strongroom::identity
