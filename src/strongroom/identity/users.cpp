#include "strongroom/identity/users.hpp"

#include <algorithm>

#include "strongroom/base/status_macros.hpp"

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

base::Result<User> UserFromRow(const storage::Row& row) {
  User u;
  SR_ASSIGN_OR_RETURN(const std::string id, row.GetText(0));
  u.id = UserId(id);
  SR_ASSIGN_OR_RETURN(u.username, row.GetText(1));
  SR_ASSIGN_OR_RETURN(const std::string role, row.GetText(2));
  auto parsed = ParseRole(role);
  if (!parsed.ok()) return base::DataLossError("user " + id + " has an unknown stored role");
  u.role = *parsed;
  SR_ASSIGN_OR_RETURN(const auto tenant, row.GetOptionalText(3));
  if (tenant) u.tenant = TenantId(*tenant);
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(4));
  SR_ASSIGN_OR_RETURN(u.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const auto deactivated, row.GetOptionalText(5));
  if (deactivated) {
    SR_ASSIGN_OR_RETURN(u.deactivated_at, base::ParseRfc3339(*deactivated));
  }
  return u;
}

}  // namespace

base::Status ValidateUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64) {
    return base::InvalidArgumentError("username must be 3 to 64 characters long");
  }
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  if (!std::all_of(username.begin(), username.end(), allowed)) {
    return base::InvalidArgumentError(
        "username may contain only lower-case letters a-z, digits, '.', '_' and '-'");
  }
  if (!std::isalnum(static_cast<unsigned char>(username.front()))) {
    return base::InvalidArgumentError("username must start with a letter or a digit");
  }
  return base::OkStatus();
}

base::Status CheckPassphraseRules(const base::SecretString& passphrase, std::string_view username) {
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
  return base::OkStatus();
}

base::Result<User> UserStore::Create(const NewUser& user) {
  SR_RETURN_IF_ERROR(ValidateUsername(user.username));
  if (IsProviderRole(user.role) && user.tenant) {
    return base::InvalidArgumentError("role " + std::string(RoleName(user.role)) +
                                      " is a provider role and takes no tenant_id");
  }
  if (!IsProviderRole(user.role) && !user.tenant) {
    return base::InvalidArgumentError("role " + std::string(RoleName(user.role)) +
                                      " is a client role and needs a tenant_id");
  }
  SR_RETURN_IF_ERROR(CheckPassphraseRules(user.passphrase, user.username));
  SR_ASSIGN_OR_RETURN(const std::string hash, crypto::HashPassphrase(user.passphrase, params_));

  User created;
  created.id = UserId(NewRandomId("usr"));
  created.username = user.username;
  created.role = user.role;
  created.tenant = user.tenant;
  created.created_at = clock_.Now();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  auto inserted = tx->Execute(
      "INSERT INTO users (id, username, role, tenant_id, passphrase_hash, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?)",
      {storage::Text(created.id.value()), storage::Text(created.username),
       storage::Text(RoleName(created.role)),
       created.tenant ? storage::Text(created.tenant->value()) : storage::Null(),
       storage::Text(hash), storage::Text(base::FormatRfc3339(created.created_at))});
  if (inserted.status().code() == base::ErrorCode::kAlreadyExists) {
    return base::AlreadyExistsError("username '" + user.username + "' is taken");
  }
  SR_RETURN_IF_ERROR(inserted);
  SR_RETURN_IF_ERROR(tx->Commit());
  return created;
}

base::Result<User> UserStore::FindByUsername(std::string_view username) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT id, username, role, tenant_id, created_at, "
                                           "deactivated_at FROM users WHERE username = ?",
                                           {storage::Text(username)}));
  if (rows.empty()) return base::NotFoundError("no user '" + std::string(username) + "'");
  return UserFromRow(rows[0]);
}

base::Result<std::string> UserStore::PassphraseHash(const UserId& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT passphrase_hash FROM users WHERE id = ?",
                                           {storage::Text(id.value())}));
  if (rows.empty()) return base::NotFoundError("no user " + id.value());
  return rows[0].GetText(0);
}

}  // namespace strongroom::identity
