#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/identity/users.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::identity {

struct SessionPolicy {
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds absolute_timeout = std::chrono::hours(12);
  // How stale last_seen_at may get before a request rewrites it: idle time is measured to this
  // precision, and authenticating a request is a write at most this often per session.
  std::chrono::seconds touch_interval = std::chrono::seconds(60);
  std::chrono::seconds max_token_lifetime = std::chrono::days(365);
};

// Errors: kInvalidArgument naming the bound: idle timeout 1 minute..24 hours, absolute timeout
// 1 hour..30 days, idle no longer than absolute.
base::Status ValidateSessionPolicy(const SessionPolicy& policy);

struct IssuedSession {
  std::string id;
  base::SecretString token;       // "srs_" + 43 base64url characters (256 random bits).
  base::SecretString csrf_token;  // Derived from the token; needed with the cookie.
  base::Time expires_at;          // Absolute expiry.
};

struct ApiTokenInfo {
  std::string id;
  std::string name;
  std::vector<std::string> permissions;  // Action names the token may use.
  base::Time created_at;
  base::Time expires_at;
  std::optional<base::Time> last_used_at;
  std::optional<base::Time> revoked_at;
};

struct IssuedApiToken {
  ApiTokenInfo info;
  base::SecretString token;  // "srt_" + 43 base64url characters, shown once.
};

enum class CredentialKind { kSession, kApiToken };

// Who a request acts for, once its credential checked out.
struct Principal {
  User user;
  CredentialKind kind = CredentialKind::kSession;
  std::string credential_id;  // Session or API token id: safe to log and audit.
  std::optional<std::vector<std::string>> permissions;  // API tokens: the only actions allowed.
  base::Time expires_at;
};

// The CSRF token of a session: base64url(HMAC-SHA256(session token, "strongroom/v1/csrf")).
base::SecretString CsrfTokenFor(const base::SecretString& session_token);
// Constant-time check of a presented CSRF token against the session's.
bool CsrfTokenMatches(const base::SecretString& session_token, std::string_view presented);

// Sessions (browser sign-ins, also usable as bearer tokens) and named API tokens for machine
// clients. Credentials are 256-bit random tokens stored only as SHA-256 hashes. Every request
// re-reads the session, its user and the user's tenant, so deactivating a user, suspending a
// tenant or revoking a credential takes effect on the very next request. Thread-safe.
class Sessions {
 public:
  Sessions(storage::Store& store, audit::Sink& audit, const base::Clock& clock,
           SessionPolicy policy = {})
      : store_(store), audit_(audit), clock_(clock), policy_(policy) {}

  const SessionPolicy& policy() const { return policy_; }

  // Starts a session inside the caller's (sign-in) transaction.
  base::Result<IssuedSession> Issue(storage::Transaction& tx, const UserId& user,
                                    std::string_view source_address) const;

  // Resolves a session or API token. Errors: kUnauthenticated with a reason code as message:
  // unknown_credential, revoked, expired, idle, deactivated, tenant_suspended.
  base::Result<Principal> Authenticate(std::string_view token);

  // Ends one session (sign-out). Errors: kNotFound.
  base::Status EndSession(const audit::Actor& actor, const std::string& session_id);

  // Creates an API token for `user`. The caller checks that `permissions` is within the user's
  // own. Errors: kInvalidArgument (name 1..100 printable characters; expiry in the future and
  // within max_token_lifetime), kAlreadyExists (name in use by this user).
  base::Result<IssuedApiToken> CreateApiToken(const audit::Actor& actor, const UserId& user,
                                              std::string_view name,
                                              const std::vector<std::string>& permissions,
                                              base::Time expires_at);
  base::Result<std::vector<ApiTokenInfo>> ListApiTokens(const UserId& user);
  // Errors: kNotFound (no such token of this user), kFailedPrecondition (already revoked).
  base::Status RevokeApiToken(const audit::Actor& actor, const UserId& user,
                              const std::string& token_id);

 private:
  base::Result<Principal> AuthenticateSession(const base::Bytes& hash, base::Time now);
  base::Result<Principal> AuthenticateApiToken(const base::Bytes& hash, base::Time now);

  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const SessionPolicy policy_;
};

// Token helpers shared by sessions and API tokens.
base::SecretString NewToken(std::string_view prefix);
base::Bytes TokenHash(std::string_view token);

}  // namespace strongroom::identity
