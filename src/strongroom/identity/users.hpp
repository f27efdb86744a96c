#pragma once

#include <optional>
#include <string>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/identity/role.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

// A user account as the rest of the system sees it (no secrets).
struct User {
  UserId id;
  std::string username;
  Role role = Role::kStaff;
  std::optional<TenantId> tenant;  // Set exactly for client roles.
  base::Time created_at;
  std::optional<base::Time> deactivated_at;
  bool qualified = false;            // A service user a security officer cleared to receive grants.
  bool two_factor_enrolled = false;  // A confirmed TOTP secret.
  // Created to enrol at first sign-in, and not done yet: the next sign-in with the passphrase
  // shows the enrolment, the one after confirms a code and sets a new passphrase.
  bool enrollment_pending = false;

  bool active() const { return !deactivated_at.has_value(); }
};

struct NewUser {
  std::string username;
  Role role = Role::kStaff;
  std::optional<TenantId> tenant;
  base::SecretString passphrase;
  // No second factor now: the user enrols at first sign-in (LoginService), and replaces this
  // passphrase then. Otherwise the enrolment is made now and returned to the creator.
  bool enroll_at_first_sign_in = false;
};

// Usernames: 3 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.
// Errors (kInvalidArgument) say which rule failed.
base::Status ValidateUsername(std::string_view username);

// The columns UserFromRow reads, in order, for SELECT statements on `users u`.
inline constexpr const char* kUserColumns =
    "u.id, u.username, u.role, u.tenant_id, u.created_at, u.deactivated_at, u.qualified, "
    "u.totp_secret IS NOT NULL AND u.enrollment_pending = 0, u.enrollment_pending";
inline constexpr std::size_t kUserColumnCount = 9;
base::Result<User> UserFromRow(const storage::Row& row);

// Reads one user inside a transaction. Errors: kNotFound.
base::Result<User> LoadUser(storage::Transaction& tx, const UserId& id);
base::Result<User> LoadUserByName(storage::Transaction& tx, std::string_view username);

}  // namespace strongroom::identity
