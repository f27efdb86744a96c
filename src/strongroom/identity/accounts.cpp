#include "strongroom/identity/accounts.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/identity/passphrase_policy.hpp"
#include "strongroom/identity/tenants.hpp"

namespace strongroom::identity {
namespace {

using storage::Int;
using storage::Null;
using storage::Text;

std::string UserResource(const UserId& id) { return "user:" + id.value(); }

std::string TenantOf(const User& u) { return u.tenant ? u.tenant->value() : ""; }

}  // namespace

bool TwoFactorRequired(Role role, bool tenant_requires_client_2fa) {
  return IsProviderRole(role) || tenant_requires_client_2fa;
}

base::Result<std::array<std::int64_t, 3>> RevokeEverythingOf(storage::Transaction& tx,
                                                             const UserId& user, base::Time now) {
  const std::string when = base::FormatRfc3339(now);
  std::array<std::int64_t, 3> counts{};
  SR_ASSIGN_OR_RETURN(counts[0],
                      tx.Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND "
                                 "revoked_at IS NULL",
                                 {Text(when), Text(user.value())}));
  SR_ASSIGN_OR_RETURN(counts[1],
                      tx.Execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND "
                                 "revoked_at IS NULL",
                                 {Text(when), Text(user.value())}));
  SR_ASSIGN_OR_RETURN(
      counts[2],
      tx.Execute("UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE "
                 "(grantee_id = ? OR issued_by = ?) AND revoked_at IS NULL",
                 {Text(when), Text(user.value()), Text(user.value()), Text(user.value())}));
  return counts;
}

base::Status Accounts::Audit(audit::Event event) { return audit_.Record(event); }

base::Status Accounts::CheckNotLastAdmin(storage::Transaction& tx, const User& user,
                                         std::string_view change) {
  if (user.role != Role::kAdmin || !user.active()) return base::OkStatus();
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM users WHERE role = 'admin' AND "
                                          "deactivated_at IS NULL AND id <> ?",
                                          {Text(user.id.value())}));
  SR_ASSIGN_OR_RETURN(const std::int64_t others, rows.at(0).GetInt(0));
  if (others == 0) {
    return base::FailedPreconditionError("cannot " + std::string(change) + " " + user.username +
                                         ": it is the last active admin");
  }
  return base::OkStatus();
}

base::Result<CreatedUser> Accounts::Create(const audit::Actor& actor, const NewUser& user) {
  SR_RETURN_IF_ERROR(ValidateUsername(user.username));
  if (IsProviderRole(user.role) && user.tenant) {
    return base::InvalidArgumentError("role " + std::string(RoleName(user.role)) +
                                      " is a provider role and takes no tenant_id");
  }
  if (!IsProviderRole(user.role) && !user.tenant) {
    return base::InvalidArgumentError("role " + std::string(RoleName(user.role)) +
                                      " is a client role and needs a tenant_id");
  }
  SR_RETURN_IF_ERROR(CheckPassphrase(user.passphrase, user.username));
  // Argon2id takes a while: outside the write transaction.
  SR_ASSIGN_OR_RETURN(const std::string hash, crypto::HashPassphrase(user.passphrase, params_));

  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  bool tenant_requires_2fa = true;
  if (user.tenant) {
    if (IsProviderTenant(*user.tenant)) {
      return base::InvalidArgumentError(
          "the provider's own tenant holds no client accounts; give a client's tenant");
    }
    SR_ASSIGN_OR_RETURN(
        auto rows, tx->Query(std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE id = ?",
                             {Text(user.tenant->value())}));
    if (rows.empty()) return base::NotFoundError("no tenant " + user.tenant->value());
    SR_ASSIGN_OR_RETURN(const Tenant tenant, TenantFromRow(rows[0]));
    if (tenant.status != TenantStatus::kActive) {
      return base::FailedPreconditionError("tenant " + tenant.id.value() +
                                           " is suspended; resume it before adding users");
    }
    tenant_requires_2fa = tenant.require_client_2fa;
  }
  const UserId id(NewRandomId("usr"));
  const base::Time now = clock_.Now();
  auto inserted = tx->Execute(
      "INSERT INTO users (id, username, role, tenant_id, passphrase_hash, created_at, "
      "enrollment_pending) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {Text(id.value()), Text(user.username), Text(RoleName(user.role)),
       user.tenant ? Text(user.tenant->value()) : Null(), Text(hash),
       Text(base::FormatRfc3339(now)), Int(user.enroll_at_first_sign_in ? 1 : 0)});
  if (inserted.status().code() == base::ErrorCode::kAlreadyExists) {
    return base::AlreadyExistsError("username '" + user.username + "' is taken");
  }
  SR_RETURN_IF_ERROR(inserted);
  CreatedUser created;
  if (TwoFactorRequired(user.role, tenant_requires_2fa) && !user.enroll_at_first_sign_in) {
    SR_ASSIGN_OR_RETURN(created.enrollment, two_factor_.Enroll(*tx, id, user.username));
  }
  SR_ASSIGN_OR_RETURN(created.user, LoadUser(*tx, id));
  audit::Event event = audit::MakeEvent(actor, now, "users.create", UserResource(id),
                                        audit::Outcome::kAllowed, "", TenantOf(created.user));
  event.details["role"] = RoleName(user.role);
  event.details["username"] = user.username;
  if (user.enroll_at_first_sign_in) event.details["enrollment"] = "at_first_sign_in";
  SR_RETURN_IF_ERROR(Audit(std::move(event)));
  SR_RETURN_IF_ERROR(tx->Commit());
  return created;
}

base::Result<UserPage> Accounts::List(const std::optional<TenantId>& tenant,
                                      std::string_view cursor, std::size_t limit) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.username > ?";
  std::vector<storage::Value> params{Text(cursor)};
  if (tenant) {
    sql += " AND u.tenant_id = ?";
    params.push_back(Text(tenant->value()));
  }
  sql += " ORDER BY u.username";
  if (limit > 0) {
    sql += " LIMIT ?";
    params.push_back(Int(static_cast<std::int64_t>(limit) + 1));  // One more: is there a next?
  }
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query(sql, params));
  UserPage page;
  for (const auto& row : rows) {
    if (limit > 0 && page.users.size() == limit) {
      page.next_cursor = page.users.back().username;
      break;
    }
    SR_ASSIGN_OR_RETURN(User u, UserFromRow(row));
    page.users.push_back(std::move(u));
  }
  return page;
}

base::Result<User> Accounts::Get(const UserId& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return LoadUser(*tx, id);
}

base::Result<User> Accounts::FindByUsername(std::string_view username) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return LoadUserByName(*tx, username);
}

base::Result<User> Accounts::SetRole(const audit::Actor& actor, const UserId& id, Role role) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const User before, LoadUser(*tx, id));
  if (IsProviderRole(before.role) != IsProviderRole(role)) {
    return base::InvalidArgumentError(
        "role " + std::string(RoleName(before.role)) + " cannot become " +
        std::string(RoleName(role)) +
        ": provider and client accounts differ in tenant; create a new account instead");
  }
  if (before.role == role) return before;
  if (role != Role::kAdmin) SR_RETURN_IF_ERROR(CheckNotLastAdmin(*tx, before, "demote"));
  // Qualification is for service users only; it does not survive a change of role.
  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE users SET role = ?, qualified = CASE WHEN ? = 'service' "
                  "THEN qualified ELSE 0 END WHERE id = ?",
                  {Text(RoleName(role)), Text(RoleName(role)), Text(id.value())}));
  SR_ASSIGN_OR_RETURN(User after, LoadUser(*tx, id));
  audit::Event event = audit::MakeEvent(actor, clock_.Now(), "users.update_role", UserResource(id),
                                        audit::Outcome::kAllowed, "", TenantOf(after));
  event.details["from"] = RoleName(before.role);
  event.details["to"] = RoleName(role);
  SR_RETURN_IF_ERROR(Audit(std::move(event)));
  SR_RETURN_IF_ERROR(tx->Commit());
  return after;
}

base::Result<User> Accounts::SetQualified(const audit::Actor& actor, const UserId& id,
                                          bool qualified) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const User before, LoadUser(*tx, id));
  if (before.role != Role::kService) {
    return base::FailedPreconditionError("only service users can be qualified; " + before.username +
                                         " is " + std::string(RoleName(before.role)));
  }
  SR_RETURN_IF_ERROR(tx->Execute("UPDATE users SET qualified = ? WHERE id = ?",
                                 {Int(qualified ? 1 : 0), Text(id.value())}));
  SR_ASSIGN_OR_RETURN(User after, LoadUser(*tx, id));
  audit::Event event = audit::MakeEvent(actor, clock_.Now(), "users.update_qualified",
                                        UserResource(id), audit::Outcome::kAllowed, "");
  event.details["qualified"] = qualified ? "true" : "false";
  SR_RETURN_IF_ERROR(Audit(std::move(event)));
  SR_RETURN_IF_ERROR(tx->Commit());
  return after;
}

base::Result<User> Accounts::Deactivate(const audit::Actor& actor, const UserId& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const User before, LoadUser(*tx, id));
  if (!before.active()) {
    return base::FailedPreconditionError(before.username + " is already deactivated");
  }
  SR_RETURN_IF_ERROR(CheckNotLastAdmin(*tx, before, "deactivate"));
  const base::Time now = clock_.Now();
  SR_RETURN_IF_ERROR(tx->Execute("UPDATE users SET deactivated_at = ? WHERE id = ?",
                                 {Text(base::FormatRfc3339(now)), Text(id.value())}));
  SR_ASSIGN_OR_RETURN(const auto revoked, RevokeEverythingOf(*tx, id, now));
  SR_ASSIGN_OR_RETURN(User after, LoadUser(*tx, id));
  audit::Event event = audit::MakeEvent(actor, now, "users.deactivate", UserResource(id),
                                        audit::Outcome::kAllowed, "", TenantOf(after));
  event.details["sessions_revoked"] = std::to_string(revoked[0]);
  event.details["tokens_revoked"] = std::to_string(revoked[1]);
  event.details["grants_revoked"] = std::to_string(revoked[2]);
  SR_RETURN_IF_ERROR(Audit(std::move(event)));
  SR_RETURN_IF_ERROR(tx->Commit());
  return after;
}

base::Result<CreatedUser> Accounts::Reactivate(const audit::Actor& actor, const UserId& id,
                                               const base::SecretString& passphrase) {
  SR_ASSIGN_OR_RETURN(const User current, Get(id));
  if (current.active()) {
    return base::FailedPreconditionError(current.username + " is not deactivated");
  }
  SR_RETURN_IF_ERROR(CheckPassphrase(passphrase, current.username));
  SR_ASSIGN_OR_RETURN(const std::string hash, crypto::HashPassphrase(passphrase, params_));

  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const User before, LoadUser(*tx, id));
  if (before.active())
    return base::FailedPreconditionError(before.username + " is not deactivated");
  bool tenant_requires_2fa = true;
  if (before.tenant) {
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT require_client_2fa FROM tenants WHERE id = ?",
                                             {Text(before.tenant->value())}));
    SR_ASSIGN_OR_RETURN(const std::int64_t required, rows.at(0).GetInt(0));
    tenant_requires_2fa = required != 0;
  }
  SR_RETURN_IF_ERROR(tx->Execute(
      "UPDATE users SET passphrase_hash = ?, deactivated_at = NULL, enrollment_pending = 0 "
      "WHERE id = ?",
      {Text(hash), Text(id.value())}));
  CreatedUser result;
  if (TwoFactorRequired(before.role, tenant_requires_2fa)) {
    SR_ASSIGN_OR_RETURN(result.enrollment, two_factor_.Enroll(*tx, id, before.username));
  } else {
    SR_RETURN_IF_ERROR(two_factor_.Clear(*tx, id));
  }
  SR_ASSIGN_OR_RETURN(result.user, LoadUser(*tx, id));
  SR_RETURN_IF_ERROR(
      Audit(audit::MakeEvent(actor, clock_.Now(), "users.reactivate", UserResource(id),
                             audit::Outcome::kAllowed, "", TenantOf(result.user))));
  SR_RETURN_IF_ERROR(tx->Commit());
  return result;
}

base::Result<Enrollment> Accounts::ResetTwoFactor(const audit::Actor& actor, const UserId& id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const User user, LoadUser(*tx, id));
  SR_ASSIGN_OR_RETURN(Enrollment enrollment, two_factor_.Enroll(*tx, id, user.username));
  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE users SET enrollment_pending = 0 WHERE id = ?", {Text(id.value())}));
  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                  {Text(base::FormatRfc3339(clock_.Now())), Text(id.value())}));
  SR_RETURN_IF_ERROR(
      Audit(audit::MakeEvent(actor, clock_.Now(), "users.reset_2fa", UserResource(id),
                             audit::Outcome::kAllowed, "", TenantOf(user))));
  SR_RETURN_IF_ERROR(tx->Commit());
  return enrollment;
}

}  // namespace strongroom::identity
