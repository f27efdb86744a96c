#pragma once

#include <optional>
#include <string>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/crypto/password_hash.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/identity/role.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

inline constexpr std::size_t kMinPassphraseLength = 12;
inline constexpr std::size_t kMaxPassphraseLength = 1024;

struct User {
  UserId id;
  std::string username;
  Role role = Role::kStaff;
  std::optional<TenantId> tenant;
  base::Time created_at;
  std::optional<base::Time> deactivated_at;
};

struct NewUser {
  std::string username;
  Role role = Role::kStaff;
  std::optional<TenantId> tenant;
  base::SecretString passphrase;
};

// Usernames: 3 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.
// Errors (kInvalidArgument) say which rule failed.
base::Status ValidateUsername(std::string_view username);

// The length rules of the passphrase policy: 12 to 1024 characters (counted as UTF-8 code
// points), not containing the username. Errors (kInvalidArgument) name the rule, never the
// passphrase.
base::Status CheckPassphraseRules(const base::SecretString& passphrase, std::string_view username);

// User accounts in the store. Passphrases are kept only as Argon2id PHC strings. Thread-safe.
class UserStore {
 public:
  UserStore(storage::Store& store, const base::Clock& clock,
            crypto::Argon2idParams params = crypto::kDefaultPassphraseParams)
      : store_(store), clock_(clock), params_(params) {}

  // Validates and creates a user. Errors: kInvalidArgument (username, passphrase or role/tenant
  // rules), kAlreadyExists (username taken), store errors.
  base::Result<User> Create(const NewUser& user);
  // Errors: kNotFound.
  base::Result<User> FindByUsername(std::string_view username);
  // The stored PHC string; errors: kNotFound.
  base::Result<std::string> PassphraseHash(const UserId& id);

 private:
  storage::Store& store_;
  const base::Clock& clock_;
  const crypto::Argon2idParams params_;
};

}  // namespace strongroom::identity
