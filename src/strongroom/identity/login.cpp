#include "strongroom/identity/login.hpp"

#include <algorithm>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/passphrase_policy.hpp"
#include "strongroom/identity/tenants.hpp"

namespace strongroom::identity {
namespace {

using storage::Blob;
using storage::Int;
using storage::Null;
using storage::Text;

LoginResult Failure(base::Status status, std::chrono::seconds retry_after = {}) {
  return LoginResult{std::move(status), retry_after, std::nullopt};
}

LoginResult InvalidCredentials() {
  return Failure(base::UnauthenticatedError(
      "invalid_credentials: the username, passphrase or code is wrong, or the account cannot sign "
      "in"));
}

LoginResult EnrollmentRequired(Enrollment enrollment) {
  LoginResult r = Failure(base::FailedPreconditionError(
      "enrollment_required: this account has no second factor yet; add the secret to an "
      "authenticator app, keep the recovery codes, then sign in again with a code from the app "
      "and a new passphrase"));
  r.enrollment = std::move(enrollment);
  return r;
}

LoginResult Locked(std::chrono::seconds wait, std::string_view what) {
  return Failure(
      base::ResourceExhaustedError("too many failed sign-ins " + std::string(what) +
                                   "; retry after " + std::to_string(wait.count()) + " seconds"),
      wait);
}

// What the store says about the name being signed in with.
struct Candidate {
  std::optional<User> user;
  std::string passphrase_hash;
  bool tenant_active = true;
  bool tenant_requires_2fa = true;
};

// The row of login_failures, if any.
struct FailureRow {
  int failures = 0;
  int lockouts = 0;
  std::optional<base::Time> locked_until;
};

base::Result<FailureRow> LoadFailures(storage::Transaction& tx, const base::Bytes& key) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT failures, lockouts, locked_until FROM "
                                          "login_failures WHERE username_hash = ?",
                                          {Blob(key)}));
  FailureRow f;
  if (rows.empty()) return f;
  SR_ASSIGN_OR_RETURN(const std::int64_t failures, rows[0].GetInt(0));
  SR_ASSIGN_OR_RETURN(const std::int64_t lockouts, rows[0].GetInt(1));
  SR_ASSIGN_OR_RETURN(const auto locked, rows[0].GetOptionalText(2));
  f.failures = static_cast<int>(failures);
  f.lockouts = static_cast<int>(lockouts);
  if (locked) {
    SR_ASSIGN_OR_RETURN(f.locked_until, base::ParseRfc3339(*locked));
  }
  return f;
}

}  // namespace

base::Result<crypto::Aes256Key> UsernameHashKey(const crypto::KeyRing& ring,
                                                std::uint64_t identity_key) {
  return ring.DeriveSubkey(crypto::KeyRef{identity_key, 1}, "strongroom/v1/login-username");
}

base::Result<std::unique_ptr<LoginService>> LoginService::Create(
    storage::Store& store, const TwoFactor& two_factor, const Sessions& sessions,
    SourceThrottle& throttle, audit::Sink& audit, const base::Clock& clock,
    crypto::Aes256Key username_key, crypto::Argon2idParams params) {
  // Unknown usernames are verified against this hash, with the same parameters as real ones,
  // so they take as long as a wrong passphrase.
  const base::SecretString random(base::HexEncode(crypto::RandomBytes(16)));
  SR_ASSIGN_OR_RETURN(std::string dummy, crypto::HashPassphrase(random, params));
  return std::unique_ptr<LoginService>(new LoginService(store, two_factor, sessions, throttle,
                                                        audit, clock, std::move(username_key),
                                                        params, std::move(dummy)));
}

std::string LoginService::UsernameHash(std::string_view username) const {
  const auto mac = crypto::HmacSha256(username_key_.Reveal(), base::AsBytes(username));
  return base::HexEncode(base::ByteView(mac).first(16));
}

LoginResult LoginService::Login(const LoginRequest& request) {
  const base::Time now = clock_.Now();
  const std::string name_hash = UsernameHash(request.username);
  const base::Bytes failure_key = *base::HexDecode(name_hash);
  audit::Actor actor{"", "", request.source_address, request.request_id};
  // Known users are audited under their id; other names only under their keyed hash.
  const auto audit_attempt = [&](audit::Outcome outcome, std::string reason,
                                 std::string cause) -> base::Status {
    audit::Event e = audit::MakeEvent(
        actor, now, "auth.login", actor.id.empty() ? "username:" + name_hash : "user:" + actor.id,
        outcome, std::move(reason));
    if (!cause.empty()) e.details["cause"] = std::move(cause);
    return audit_.Record(e);
  };

  if (const auto wait = throttle_.Blocked(request.source_address, now)) {
    if (base::Status s = audit_attempt(audit::Outcome::kDenied, "source_throttled", ""); !s.ok()) {
      return Failure(s);
    }
    return Locked(*wait, "from this address");
  }

  Candidate candidate;
  FailureRow failures;
  {
    auto tx = store_.BeginRead();
    if (!tx.ok()) return Failure(tx.error());
    auto failure_row = LoadFailures(**tx, failure_key);
    if (!failure_row.ok()) return Failure(failure_row.error());
    failures = *failure_row;
    auto rows = (*tx)->Query(std::string("SELECT ") + kUserColumns +
                                 ", u.passphrase_hash, t.status, t.require_client_2fa FROM users "
                                 "u LEFT JOIN tenants t ON t.id = u.tenant_id WHERE u.username = ?",
                             {Text(request.username)});
    if (!rows.ok()) return Failure(rows.error());
    if (!rows->empty()) {
      const storage::Row& row = (*rows)[0];
      std::vector<storage::Value> user_values;
      for (std::size_t i = 0; i < kUserColumnCount; ++i) user_values.push_back(row.value(i));
      auto user = UserFromRow(storage::Row(std::move(user_values)));
      if (!user.ok()) return Failure(user.error());
      candidate.user = *user;
      auto hash = row.GetText(kUserColumnCount);
      if (!hash.ok()) return Failure(hash.error());
      candidate.passphrase_hash = *hash;
      if (!row.IsNull(kUserColumnCount + 1)) {
        candidate.tenant_active = row.GetText(kUserColumnCount + 1).value_or("") == "active";
        candidate.tenant_requires_2fa = row.GetInt(kUserColumnCount + 2).value_or(1) != 0;
      }
      actor.id = user->id.value();
      actor.role = std::string(RoleName(user->role));
    }
  }

  if (failures.locked_until && *failures.locked_until > now) {
    if (base::Status s = audit_attempt(audit::Outcome::kDenied, "locked", ""); !s.ok()) {
      return Failure(s);
    }
    return Locked(std::chrono::ceil<std::chrono::seconds>(*failures.locked_until - now),
                  "for this username");
  }

  // Always one Argon2id verification, against the dummy hash when the name is unknown.
  const std::string& hash = candidate.user ? candidate.passphrase_hash : dummy_hash_;
  const auto verified = crypto::VerifyPassphrase(hash, request.passphrase);
  std::string cause;
  if (!candidate.user) {
    cause = "unknown_user";
  } else if (!verified.ok()) {
    return Failure(
        base::DataLossError("the stored passphrase hash of " + actor.id + " is unreadable"));
  } else if (!*verified) {
    cause = "wrong_passphrase";
  } else if (!candidate.user->active()) {
    cause = "deactivated";
  } else if (!candidate.tenant_active) {
    cause = "tenant_suspended";
  }
  const User* user = candidate.user ? &*candidate.user : nullptr;
  const bool enrolling = user != nullptr && user->enrollment_pending;
  const bool needs_second_factor =
      user != nullptr && (TwoFactorRequired(user->role, candidate.tenant_requires_2fa) ||
                          user->two_factor_enrolled || enrolling);
  bool start_enrollment = false;
  if (cause.empty() && needs_second_factor) {
    if (enrolling && request.second_factor.empty()) {
      start_enrollment = true;
    } else if (!user->two_factor_enrolled && !enrolling) {
      cause = "not_enrolled";
    } else if (request.second_factor.empty()) {
      cause = "missing_code";
    }
  }
  // Finishing an enrolment replaces the passphrase: checked and hashed before the write
  // transaction (Argon2id takes a while). The right passphrase was given, so saying what is
  // wrong with the new one tells nothing a guesser could use.
  std::optional<std::string> new_hash;
  if (cause.empty() && enrolling && !start_enrollment) {
    const std::string& code = request.second_factor.Reveal();
    if (code.size() != 6 ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Failure(base::InvalidArgumentError(
          "confirm the enrolment with the 6-digit code the authenticator app shows (totp), not "
          "a recovery code"));
    }
    if (request.new_passphrase.empty()) {
      return Failure(base::InvalidArgumentError(
          "finishing the enrolment needs a new passphrase (new_password) to replace the one you "
          "were given"));
    }
    if (request.new_passphrase.Reveal() == request.passphrase.Reveal()) {
      return Failure(
          base::InvalidArgumentError("the new passphrase must differ from the one you were given"));
    }
    if (base::Status s = CheckPassphrase(request.new_passphrase, user->username); !s.ok()) {
      return Failure(s.WithContext("new_password"));
    }
    auto fresh = crypto::HashPassphrase(request.new_passphrase, params_);
    if (!fresh.ok()) return Failure(fresh.error());
    new_hash = *fresh;
  }
  // A parameter change since the hash was made: re-hash now, outside the write transaction.
  std::optional<std::string> rehashed;
  if (cause.empty() && crypto::PassphraseNeedsRehash(hash, params_)) {
    auto fresh = crypto::HashPassphrase(request.passphrase, params_);
    if (fresh.ok()) rehashed = *fresh;
  }

  auto tx_result = store_.BeginWrite();
  if (!tx_result.ok()) return Failure(tx_result.error());
  storage::Transaction& tx = **tx_result;
  if (start_enrollment) {
    // Re-read inside the transaction: another sign-in may have finished the enrolment since.
    auto current = LoadUser(tx, user->id);
    if (!current.ok()) return Failure(current.error());
    if (current->enrollment_pending) {
      auto enrollment = two_factor_.Enroll(tx, user->id, user->username);
      if (!enrollment.ok()) return Failure(enrollment.error());
      audit::Event e =
          audit::MakeEvent(actor, now, "auth.enroll", "user:" + actor.id, audit::Outcome::kAllowed,
                           "started", user->tenant ? user->tenant->value() : "");
      if (base::Status s = audit_.Record(e); !s.ok()) return Failure(s);
      if (base::Status s = tx.Commit(); !s.ok()) return Failure(s);
      return EnrollmentRequired(std::move(enrollment).value());
    }
    cause = "missing_code";
  }
  std::optional<SecondFactor> used;
  if (cause.empty() && needs_second_factor) {
    auto second = two_factor_.Verify(tx, user->id, request.second_factor);
    if (!second.ok()) {
      if (second.error().code() != base::ErrorCode::kUnauthenticated) {
        return Failure(second.error());
      }
      cause = second.error().message();  // wrong_code or code_reused
    } else {
      used = *second;
    }
  }

  if (!cause.empty()) {
    // Count the failure under the name, exactly alike for known and unknown names.
    auto current = LoadFailures(tx, failure_key);
    if (!current.ok()) return Failure(current.error());
    int count = current->failures + 1;
    int lockouts = current->lockouts;
    std::optional<base::Time> locked_until;
    const ThrottlePolicy& policy = throttle_.policy();
    if (count >= policy.account_failures) {
      locked_until = now + LockoutDuration(policy, lockouts);
      ++lockouts;
      count = 0;
    }
    auto written = tx.Execute(
        "INSERT INTO login_failures (username_hash, failures, lockouts, locked_until, "
        "last_failure_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username_hash) DO UPDATE SET "
        "failures = excluded.failures, lockouts = excluded.lockouts, locked_until = "
        "excluded.locked_until, last_failure_at = excluded.last_failure_at",
        {Blob(failure_key), Int(count), Int(lockouts),
         locked_until ? Text(base::FormatRfc3339(*locked_until)) : Null(),
         Text(base::FormatRfc3339(now))});
    if (!written.ok()) return Failure(written.status());
    // Rows of names that have not failed for a day hold nothing worth keeping.
    auto pruned = tx.Execute(
        "DELETE FROM login_failures WHERE last_failure_at < ? AND (locked_until IS NULL OR "
        "locked_until < ?)",
        {Text(base::FormatRfc3339(now - std::chrono::hours(24))), Text(base::FormatRfc3339(now))});
    if (!pruned.ok()) return Failure(pruned.status());
    if (base::Status s = audit_attempt(audit::Outcome::kDenied, "invalid_credentials", cause);
        !s.ok()) {
      return Failure(s);
    }
    if (locked_until) {
      audit::Event e =
          audit::MakeEvent(actor, now, "auth.lockout",
                           actor.id.empty() ? "username:" + name_hash : "user:" + actor.id,
                           audit::Outcome::kDenied, "too_many_failures");
      e.details["locked_until"] = base::FormatRfc3339(*locked_until);
      if (base::Status s = audit_.Record(e); !s.ok()) return Failure(s);
    }
    if (base::Status s = tx.Commit(); !s.ok()) return Failure(s);
    throttle_.RecordFailure(request.source_address, now);
    return InvalidCredentials();
  }

  // Success: clear the failure count, refresh the hash if needed, start the session.
  auto cleared =
      tx.Execute("DELETE FROM login_failures WHERE username_hash = ?", {Blob(failure_key)});
  if (!cleared.ok()) return Failure(cleared.status());
  if (new_hash) {
    // Guarded on the flag, so two sign-ins racing to finish one enrolment finish it once.
    auto updated = tx.Execute(
        "UPDATE users SET passphrase_hash = ?, enrollment_pending = 0 WHERE id = ? AND "
        "enrollment_pending = 1",
        {Text(*new_hash), Text(user->id.value())});
    if (!updated.ok()) return Failure(updated.status());
    if (*updated != 1) return InvalidCredentials();
    audit::Event e =
        audit::MakeEvent(actor, now, "auth.enroll", "user:" + actor.id, audit::Outcome::kAllowed,
                         "completed", user->tenant ? user->tenant->value() : "");
    e.details["passphrase_replaced"] = "true";
    if (base::Status s = audit_.Record(e); !s.ok()) return Failure(s);
  } else if (rehashed) {
    auto updated = tx.Execute("UPDATE users SET passphrase_hash = ? WHERE id = ?",
                              {Text(*rehashed), Text(user->id.value())});
    if (!updated.ok()) return Failure(updated.status());
  }
  auto session = sessions_.Issue(tx, user->id, request.source_address);
  if (!session.ok()) return Failure(session.error());
  LoginSuccess success{*user, std::move(session).value(), false, 0};
  success.used_recovery_code = used == SecondFactor::kRecoveryCode;
  if (new_hash) {
    success.user.two_factor_enrolled = true;
    success.user.enrollment_pending = false;
  }
  if (used) {
    auto left = two_factor_.RemainingRecoveryCodes(tx, user->id);
    if (!left.ok()) return Failure(left.error());
    success.recovery_codes_left = *left;
  }
  audit::Event e =
      audit::MakeEvent(actor, now, "auth.login", "user:" + actor.id, audit::Outcome::kAllowed, "",
                       user->tenant ? user->tenant->value() : "");
  e.details["session"] = success.session.id;
  e.details["second_factor"] = !used                          ? "none"
                               : *used == SecondFactor::kTotp ? "totp"
                                                              : "recovery_code";
  if (rehashed) e.details["passphrase_rehashed"] = "true";
  if (base::Status s = audit_.Record(e); !s.ok()) return Failure(s);
  if (base::Status s = tx.Commit(); !s.ok()) return Failure(s);
  return LoginResult{base::OkStatus(), {}, std::move(success)};
}

}  // namespace strongroom::identity
