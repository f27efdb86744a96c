#include "strongroom/identity/users.hpp"

#include <algorithm>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::identity {

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
  SR_ASSIGN_OR_RETURN(const std::int64_t qualified, row.GetInt(6));
  u.qualified = qualified != 0;
  SR_ASSIGN_OR_RETURN(const std::int64_t enrolled, row.GetInt(7));
  u.two_factor_enrolled = enrolled != 0;
  SR_ASSIGN_OR_RETURN(const std::int64_t pending, row.GetInt(8));
  u.enrollment_pending = pending != 0;
  return u;
}

base::Result<User> LoadUser(storage::Transaction& tx, const UserId& id) {
  SR_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?",
                          {storage::Text(id.value())}));
  if (rows.empty()) return base::NotFoundError("no user " + id.value());
  return UserFromRow(rows[0]);
}

base::Result<User> LoadUserByName(storage::Transaction& tx, std::string_view username) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                              " FROM users u WHERE u.username = ?",
                                          {storage::Text(username)}));
  if (rows.empty()) return base::NotFoundError("no user '" + std::string(username) + "'");
  return UserFromRow(rows[0]);
}

}  // namespace strongroom::identity
