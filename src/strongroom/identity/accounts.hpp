#pragma once

#include <optional>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/crypto/password_hash.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/identity/users.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

struct UserPage {
  std::vector<User> users;
  std::optional<std::string> next_cursor;  // The last username of this page, when there is more.
};

struct CreatedUser {
  User user;
  std::optional<Enrollment> enrollment;  // Present when the account has a second factor.
};

// Whether `user` must present a second factor: always for provider roles; for client users as
// their tenant decides.
bool TwoFactorRequired(Role role, bool tenant_requires_client_2fa);

// The user lifecycle: create, change role or qualification, deactivate, reactivate, reset the
// second factor. Every change is validated, written in one transaction together with its audit
// event (if the event cannot be recorded the change is rolled back), and never leaves the
// system without an active admin. Thread-safe.
class Accounts {
 public:
  Accounts(storage::Store& store, const TwoFactor& two_factor, audit::Sink& audit,
           const base::Clock& clock,
           crypto::Argon2idParams params = crypto::kDefaultPassphraseParams)
      : store_(store), two_factor_(two_factor), audit_(audit), clock_(clock), params_(params) {}

  // Errors: kInvalidArgument (username, passphrase policy, role/tenant rules), kAlreadyExists
  // (username taken), kNotFound (tenant), kFailedPrecondition (tenant suspended).
  base::Result<CreatedUser> Create(const audit::Actor& actor, const NewUser& user);
  // Users in username order, all or those of one tenant, after the username `cursor`, at most
  // `limit` (0: no limit).
  base::Result<UserPage> List(const std::optional<TenantId>& tenant, std::string_view cursor = "",
                              std::size_t limit = 0);
  base::Result<User> Get(const UserId& id);
  base::Result<User> FindByUsername(std::string_view username);

  // Errors: kInvalidArgument when the change crosses between provider and client roles;
  // kFailedPrecondition when it would leave no active admin.
  base::Result<User> SetRole(const audit::Actor& actor, const UserId& id, Role role);
  // Only service users can be qualified. Errors: kFailedPrecondition.
  base::Result<User> SetQualified(const audit::Actor& actor, const UserId& id, bool qualified);
  // Revokes every session, API token and grant the user holds or issued, at once, and records
  // when. Errors: kFailedPrecondition (already deactivated, or the last active admin).
  base::Result<User> Deactivate(const audit::Actor& actor, const UserId& id);
  // Re-enables with a new passphrase and a new second-factor enrolment (the old secret and
  // recovery codes no longer work). Errors: kFailedPrecondition (not deactivated),
  // kInvalidArgument (passphrase policy).
  base::Result<CreatedUser> Reactivate(const audit::Actor& actor, const UserId& id,
                                       const base::SecretString& passphrase);
  // New TOTP secret and recovery codes; the user's sessions end.
  base::Result<Enrollment> ResetTwoFactor(const audit::Actor& actor, const UserId& id);

 private:
  // Records `event` inside `tx` (before the caller commits), failing closed.
  base::Status Audit(audit::Event event);
  base::Status CheckNotLastAdmin(storage::Transaction& tx, const User& user,
                                 std::string_view change);

  storage::Store& store_;
  const TwoFactor& two_factor_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const crypto::Argon2idParams params_;
};

// Ends every session and revokes every API token and grant of `user` (held or issued). Returns
// how many of each: sessions, tokens, grants.
base::Result<std::array<std::int64_t, 3>> RevokeEverythingOf(storage::Transaction& tx,
                                                             const UserId& user, base::Time now);

}  // namespace strongroom::identity
