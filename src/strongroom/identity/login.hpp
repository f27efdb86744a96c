#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/crypto/aes_gcm.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/crypto/password_hash.hpp"
#include "strongroom/identity/login_throttle.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

struct LoginRequest {
  std::string username;
  base::SecretString passphrase;
  base::SecretString second_factor;  // A TOTP code or a recovery code; empty when none.
  std::string source_address;
  std::string request_id;
  // Finishing an enrolment at first sign-in: the passphrase that replaces the administrator's.
  base::SecretString new_passphrase;
};

struct LoginSuccess {
  User user;
  IssuedSession session;
  bool used_recovery_code = false;
  int recovery_codes_left = 0;
};

// The outcome of a sign-in: OK with `success`; kUnauthenticated ("invalid_credentials") for an
// unknown user, a wrong passphrase, a wrong, missing or reused code, a deactivated user or a
// suspended tenant alike; kResourceExhausted when the username or the source address is locked
// out, with `retry_after`; kFailedPrecondition ("enrollment_required") with `enrollment` when
// the passphrase is right for a user who enrols at first sign-in; kInvalidArgument when such a
// user sends a code without an acceptable new passphrase; other codes when the store or the
// audit log fails.
struct LoginResult {
  base::Status status;
  std::chrono::seconds retry_after{0};
  std::optional<LoginSuccess> success;
  std::optional<Enrollment> enrollment;
};

// The key under which LoginService hashes usernames: derived from version 1 of the identity key,
// so it stays the same when that key rotates.
base::Result<crypto::Aes256Key> UsernameHashKey(const crypto::KeyRing& ring,
                                                std::uint64_t identity_key);

// Signs users in. Every answer for bad credentials is the same and costs about the same: an
// unknown username is checked against a dummy Argon2id hash with the same parameters, and every
// failure, known user or not, updates the same failure row (keyed by a keyed hash of the name).
// Five consecutive failures lock the name with exponential backoff; a per-address limit stops
// spraying. A passphrase hash whose parameters are out of date is re-hashed on success. Every
// attempt is audited; if the audit event cannot be recorded, the sign-in fails (fail closed).
//
// A user created to enrol at first sign-in (NewUser::enroll_at_first_sign_in) signs in twice:
// with the passphrase alone, which makes a new TOTP secret and recovery codes and returns them
// (enrollment_required; each such sign-in replaces the last secret); then with the passphrase,
// a code from the new secret and a new passphrase, which confirms the enrolment, replaces the
// passphrase the administrator knew and starts the session. Both steps are audited as
// auth.enroll. Thread-safe.
class LoginService {
 public:
  // `username_key` keys the hash under which usernames are counted and audited.
  static base::Result<std::unique_ptr<LoginService>> Create(
      storage::Store& store, const TwoFactor& two_factor, const Sessions& sessions,
      SourceThrottle& throttle, audit::Sink& audit, const base::Clock& clock,
      crypto::Aes256Key username_key,
      crypto::Argon2idParams params = crypto::kDefaultPassphraseParams);

  LoginResult Login(const LoginRequest& request);

  // The keyed hash under which a username's failures are counted (hex), also used in audit
  // events about names that match no account.
  std::string UsernameHash(std::string_view username) const;

 private:
  LoginService(storage::Store& store, const TwoFactor& two_factor, const Sessions& sessions,
               SourceThrottle& throttle, audit::Sink& audit, const base::Clock& clock,
               crypto::Aes256Key username_key, crypto::Argon2idParams params,
               std::string dummy_hash)
      : store_(store),
        two_factor_(two_factor),
        sessions_(sessions),
        throttle_(throttle),
        audit_(audit),
        clock_(clock),
        username_key_(std::move(username_key)),
        params_(params),
        dummy_hash_(std::move(dummy_hash)) {}

  storage::Store& store_;
  const TwoFactor& two_factor_;
  const Sessions& sessions_;
  SourceThrottle& throttle_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const crypto::Aes256Key username_key_;
  const crypto::Argon2idParams params_;
  const std::string dummy_hash_;
};

}  // namespace strongroom::identity
