#include "strongroom/identity/sessions.hpp"

#include <nlohmann/json.hpp>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::identity {
namespace {

using storage::Blob;
using storage::Text;

constexpr std::string_view kSessionPrefix = "srs_";
constexpr std::string_view kApiTokenPrefix = "srt_";

base::Status Unauthenticated(std::string_view reason) {
  return base::UnauthenticatedError(std::string(reason));
}

// Checks the user and tenant columns that follow the credential's own in a joined row.
base::Result<User> CheckedUser(const storage::Row& row, std::size_t first_user_column) {
  std::vector<storage::Value> user_values;
  for (std::size_t i = 0; i < kUserColumnCount; ++i) {
    user_values.push_back(row.value(first_user_column + i));
  }
  SR_ASSIGN_OR_RETURN(User user, UserFromRow(storage::Row(std::move(user_values))));
  if (!user.active()) return Unauthenticated("deactivated");
  SR_ASSIGN_OR_RETURN(const auto tenant_status,
                      row.GetOptionalText(first_user_column + kUserColumnCount));
  if (tenant_status && *tenant_status != "active") return Unauthenticated("tenant_suspended");
  return user;
}

base::Status ValidateTokenName(std::string_view name) {
  if (name.empty() || name.size() > 100) {
    return base::InvalidArgumentError("token name must be 1 to 100 characters long");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) {
      return base::InvalidArgumentError("token name must not contain control characters");
    }
  }
  return base::OkStatus();
}

base::Result<ApiTokenInfo> TokenInfoFromRow(const storage::Row& row) {
  ApiTokenInfo t;
  SR_ASSIGN_OR_RETURN(t.id, row.GetText(0));
  SR_ASSIGN_OR_RETURN(t.name, row.GetText(1));
  SR_ASSIGN_OR_RETURN(const std::string permissions, row.GetText(2));
  const auto j = nlohmann::json::parse(permissions, nullptr, false);
  if (!j.is_array())
    return base::DataLossError("API token " + t.id + " has unreadable permissions");
  for (const auto& p : j) {
    if (!p.is_string())
      return base::DataLossError("API token " + t.id + " has unreadable permissions");
    t.permissions.push_back(p.get<std::string>());
  }
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(3));
  SR_ASSIGN_OR_RETURN(t.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const std::string expires, row.GetText(4));
  SR_ASSIGN_OR_RETURN(t.expires_at, base::ParseRfc3339(expires));
  SR_ASSIGN_OR_RETURN(const auto used, row.GetOptionalText(5));
  if (used) {
    SR_ASSIGN_OR_RETURN(t.last_used_at, base::ParseRfc3339(*used));
  }
  SR_ASSIGN_OR_RETURN(const auto revoked, row.GetOptionalText(6));
  if (revoked) {
    SR_ASSIGN_OR_RETURN(t.revoked_at, base::ParseRfc3339(*revoked));
  }
  return t;
}

constexpr const char* kTokenColumns =
    "t.id, t.name, t.permissions, t.created_at, t.expires_at, t.last_used_at, t.revoked_at";

}  // namespace

base::SecretString NewToken(std::string_view prefix) {
  const base::SecretBytes raw(crypto::RandomBytes(32));
  return base::SecretString(std::string(prefix) + base::Base64UrlEncode(raw.Reveal()));
}

base::Bytes TokenHash(std::string_view token) {
  const auto digest = crypto::Sha256(base::AsBytes(token));
  return base::Bytes(digest.begin(), digest.end());
}

base::Status ValidateSessionPolicy(const SessionPolicy& policy) {
  using std::chrono::days, std::chrono::hours, std::chrono::minutes;
  if (policy.idle_timeout < minutes(1) || policy.idle_timeout > hours(24)) {
    return base::InvalidArgumentError("the session idle timeout must be 1 minute to 24 hours");
  }
  if (policy.absolute_timeout < hours(1) || policy.absolute_timeout > days(30)) {
    return base::InvalidArgumentError("the session absolute timeout must be 1 hour to 30 days");
  }
  if (policy.idle_timeout > policy.absolute_timeout) {
    return base::InvalidArgumentError(
        "the session idle timeout must not be longer than the absolute timeout");
  }
  return base::OkStatus();
}

base::SecretString CsrfTokenFor(const base::SecretString& session_token) {
  const auto mac = crypto::HmacSha256(base::AsBytes(session_token.Reveal()),
                                      base::AsBytes("strongroom/v1/csrf"));
  return base::SecretString(base::Base64UrlEncode(mac));
}

bool CsrfTokenMatches(const base::SecretString& session_token, std::string_view presented) {
  const base::SecretString expected = CsrfTokenFor(session_token);
  return crypto::ConstantTimeEquals(base::AsBytes(expected.Reveal()), base::AsBytes(presented));
}

base::Result<IssuedSession> Sessions::Issue(storage::Transaction& tx, const UserId& user,
                                            std::string_view source_address) const {
  const base::Time now = clock_.Now();
  IssuedSession s;
  s.id = NewRandomId("ses");
  s.token = NewToken(kSessionPrefix);
  s.csrf_token = CsrfTokenFor(s.token);
  s.expires_at = now + policy_.absolute_timeout;
  const std::string when = base::FormatRfc3339(now);
  SR_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, "
      "source_address) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {Text(s.id), Blob(TokenHash(s.token.Reveal())), Text(user.value()), Text(when), Text(when),
       Text(base::FormatRfc3339(s.expires_at)), Text(source_address)}));
  return s;
}

base::Result<Principal> Sessions::Authenticate(std::string_view token) {
  const base::Time now = clock_.Now();
  if (token.starts_with(kSessionPrefix)) return AuthenticateSession(TokenHash(token), now);
  if (token.starts_with(kApiTokenPrefix)) return AuthenticateApiToken(TokenHash(token), now);
  return Unauthenticated("unknown_credential");
}

base::Result<Principal> Sessions::AuthenticateSession(const base::Bytes& hash, base::Time now) {
  Principal p;
  base::Time last_seen;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(
        auto rows,
        tx->Query(std::string("SELECT s.id, s.expires_at, s.last_seen_at, s.revoked_at, ") +
                      kUserColumns +
                      ", t.status FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN "
                      "tenants t ON t.id = u.tenant_id WHERE s.token_hash = ?",
                  {Blob(hash)}));
    if (rows.empty()) return Unauthenticated("unknown_credential");
    const storage::Row& row = rows[0];
    SR_ASSIGN_OR_RETURN(p.credential_id, row.GetText(0));
    SR_ASSIGN_OR_RETURN(const std::string expires, row.GetText(1));
    SR_ASSIGN_OR_RETURN(p.expires_at, base::ParseRfc3339(expires));
    SR_ASSIGN_OR_RETURN(const std::string seen, row.GetText(2));
    SR_ASSIGN_OR_RETURN(last_seen, base::ParseRfc3339(seen));
    if (!row.IsNull(3)) return Unauthenticated("revoked");
    if (now >= p.expires_at) return Unauthenticated("expired");
    if (now - last_seen > policy_.idle_timeout) return Unauthenticated("idle");
    SR_ASSIGN_OR_RETURN(p.user, CheckedUser(row, 4));
  }
  p.kind = CredentialKind::kSession;
  if (now - last_seen >= policy_.touch_interval) {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
    SR_RETURN_IF_ERROR(tx->Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                                   {Text(base::FormatRfc3339(now)), Text(p.credential_id)}));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  return p;
}

base::Result<Principal> Sessions::AuthenticateApiToken(const base::Bytes& hash, base::Time now) {
  Principal p;
  std::optional<base::Time> last_used;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows,
                        tx->Query(std::string("SELECT ") + kTokenColumns + ", " + kUserColumns +
                                      ", tn.status FROM api_tokens t JOIN users u ON "
                                      "u.id = t.user_id LEFT JOIN tenants tn ON tn.id "
                                      "= u.tenant_id WHERE t.token_hash = ?",
                                  {Blob(hash)}));
    if (rows.empty()) return Unauthenticated("unknown_credential");
    SR_ASSIGN_OR_RETURN(const ApiTokenInfo info, TokenInfoFromRow(rows[0]));
    if (info.revoked_at) return Unauthenticated("revoked");
    if (now >= info.expires_at) return Unauthenticated("expired");
    SR_ASSIGN_OR_RETURN(p.user, CheckedUser(rows[0], 7));  // After the 7 token columns.
    p.credential_id = info.id;
    p.permissions = info.permissions;
    p.expires_at = info.expires_at;
    last_used = info.last_used_at;
  }
  p.kind = CredentialKind::kApiToken;
  if (!last_used || now - *last_used >= policy_.touch_interval) {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
    SR_RETURN_IF_ERROR(tx->Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                                   {Text(base::FormatRfc3339(now)), Text(p.credential_id)}));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  return p;
}

base::Status Sessions::EndSession(const audit::Actor& actor, const std::string& session_id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  const base::Time now = clock_.Now();
  SR_ASSIGN_OR_RETURN(const std::int64_t changed,
                      tx->Execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND "
                                  "revoked_at IS NULL",
                                  {Text(base::FormatRfc3339(now)), Text(session_id)}));
  if (changed == 0) return base::NotFoundError("no open session " + session_id);
  SR_RETURN_IF_ERROR(audit_.Record(audit::MakeEvent(
      actor, now, "auth.logout", "session:" + session_id, audit::Outcome::kAllowed, "")));
  return tx->Commit();
}

base::Result<IssuedApiToken> Sessions::CreateApiToken(const audit::Actor& actor, const UserId& user,
                                                      std::string_view name,
                                                      const std::vector<std::string>& permissions,
                                                      base::Time expires_at) {
  SR_RETURN_IF_ERROR(ValidateTokenName(name));
  const base::Time now = clock_.Now();
  if (expires_at <= now || expires_at - now > policy_.max_token_lifetime) {
    return base::InvalidArgumentError(
        "expires_at must be in the future and at most " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::days>(policy_.max_token_lifetime).count()) +
        " days away");
  }
  if (permissions.empty()) {
    return base::InvalidArgumentError("an API token needs at least one permission");
  }
  IssuedApiToken t;
  t.info.id = NewRandomId("tok");
  t.info.name = std::string(name);
  t.info.permissions = permissions;
  t.info.created_at = now;
  t.info.expires_at = expires_at;
  t.token = NewToken(kApiTokenPrefix);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  auto inserted = tx->Execute(
      "INSERT INTO api_tokens (id, token_hash, user_id, name, permissions, created_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {Text(t.info.id), Blob(TokenHash(t.token.Reveal())), Text(user.value()), Text(name),
       Text(nlohmann::json(permissions).dump()), Text(base::FormatRfc3339(now)),
       Text(base::FormatRfc3339(expires_at))});
  if (inserted.status().code() == base::ErrorCode::kAlreadyExists) {
    return base::AlreadyExistsError("you already have an API token named '" + t.info.name + "'");
  }
  SR_RETURN_IF_ERROR(inserted);
  audit::Event event = audit::MakeEvent(actor, now, "tokens.create", "token:" + t.info.id,
                                        audit::Outcome::kAllowed, "");
  event.details["name"] = t.info.name;
  event.details["permissions"] = nlohmann::json(permissions).dump();
  SR_RETURN_IF_ERROR(audit_.Record(event));
  SR_RETURN_IF_ERROR(tx->Commit());
  return t;
}

base::Result<std::vector<ApiTokenInfo>> Sessions::ListApiTokens(const UserId& user) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query(std::string("SELECT ") + kTokenColumns +
                                               " FROM api_tokens t WHERE t.user_id = ? ORDER BY "
                                               "t.created_at",
                                           {Text(user.value())}));
  std::vector<ApiTokenInfo> out;
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(ApiTokenInfo t, TokenInfoFromRow(row));
    out.push_back(std::move(t));
  }
  return out;
}

base::Status Sessions::RevokeApiToken(const audit::Actor& actor, const UserId& user,
                                      const std::string& token_id) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT revoked_at FROM api_tokens WHERE id = ? AND "
                                           "user_id = ?",
                                           {Text(token_id), Text(user.value())}));
  if (rows.empty()) return base::NotFoundError("you have no API token " + token_id);
  if (!rows[0].IsNull(0)) {
    return base::FailedPreconditionError("API token " + token_id + " is already revoked");
  }
  const base::Time now = clock_.Now();
  SR_RETURN_IF_ERROR(tx->Execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                                 {Text(base::FormatRfc3339(now)), Text(token_id)}));
  SR_RETURN_IF_ERROR(audit_.Record(audit::MakeEvent(
      actor, now, "tokens.revoke", "token:" + token_id, audit::Outcome::kAllowed, "")));
  return tx->Commit();
}

}  // namespace strongroom::identity
