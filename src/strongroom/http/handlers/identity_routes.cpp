// The identity and access API: sign-in, /me and API tokens, users, tenants, grants, break-glass,
// and the authenticated metrics endpoint. Each handler parses its input, asks the Authorizer,
// and calls the domain service; the services validate, write and audit.
#include <charconv>
#include <nlohmann/json.hpp>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/http/error_mapping.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/handlers/health.hpp"
#include "strongroom/http/json_body.hpp"
#include "strongroom/identity/json.hpp"

namespace strongroom::http {
namespace {

using access::Action;
using access::Target;
using identity::TenantId;
using identity::UserId;
using nlohmann::json;

constexpr std::size_t kSmallJson = 16 * 1024;

RouteOptions JsonRoute(Executor executor = Executor::kWorkers) {
  return RouteOptions{.max_body_bytes = kSmallJson, .json_body = true, .executor = executor};
}
const RouteOptions kNoBody{};

Target TenantTarget(const TenantId& tenant) {
  return Target{tenant, std::nullopt, "tenant:" + tenant.value()};
}
Target UserTarget(const identity::User& user) {
  return Target{user.tenant, std::nullopt, "user:" + user.id.value()};
}

base::Result<base::Time> RequiredTime(const json& body, std::string_view field) {
  SR_ASSIGN_OR_RETURN(const std::string text, RequiredString(body, field));
  auto t = base::ParseRfc3339(text);
  if (!t.ok()) return t.error().WithContext("field '" + std::string(field) + "'");
  return t;
}

json GrantJson(const access::Grant& g, base::Time now) {
  return {{"id", g.id},
          {"kind", access::GrantKindName(g.kind)},
          {"tenant_id", g.tenant.value()},
          {"grantee_id", g.grantee.value()},
          {"issued_by", g.issued_by.value()},
          {"access", g.read_write ? "read_write" : "read"},
          {"collections", g.collections},
          {"reason", g.reason},
          {"created_at", base::FormatRfc3339(g.created_at)},
          {"expires_at", base::FormatRfc3339(g.expires_at)},
          {"revoked_at", g.revoked_at ? json(base::FormatRfc3339(*g.revoked_at)) : json(nullptr)},
          {"unmask", g.unmask},
          {"active", g.ActiveAt(now)}};
}

json CreatedUserJson(const identity::CreatedUser& created) {
  json body = {{"id", created.user.id.value()}, {"user", identity::ToJson(created.user)}};
  if (created.enrollment) {
    body.update(identity::EnrollmentToJsonRevealingSecrets(*created.enrollment));
  }
  return body;
}

std::string SessionCookie(const base::SecretString& token, std::chrono::seconds max_age) {
  return std::string(kSessionCookie) + "=" + token.Reveal() +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
}

// --- Sign-in ------------------------------------------------------------------------------

Response Login(ApiServices& api, const Request& request) {
  auto body =
      JsonObjectBody(request, {"username", "password", "totp", "recovery_code", "new_password"});
  if (!body.ok()) return ErrorFor(body.error(), request);
  auto username = RequiredString(*body, "username");
  auto password = RequiredString(*body, "password");
  auto totp = OptionalString(*body, "totp");
  auto recovery = OptionalString(*body, "recovery_code");
  auto new_password = OptionalString(*body, "new_password");
  for (const base::Status& s : {username.status(), password.status(), totp.status(),
                                recovery.status(), new_password.status()}) {
    if (!s.ok()) return ErrorFor(s, request);
  }
  if (*totp && *recovery) {
    return ErrorFor(base::InvalidArgumentError("send either totp or recovery_code, not both"),
                    request);
  }
  identity::LoginResult result = api.login.Login(identity::LoginRequest{
      *username, base::SecretString(std::move(*password)),
      base::SecretString(totp->value_or(recovery->value_or(""))), request.remote_address,
      request.request_id, base::SecretString(new_password->value_or(""))});
  if (result.status.code() == base::ErrorCode::kUnauthenticated) {
    Response r = ErrorResponse(401, "invalid_credentials",
                               "the username, passphrase or code is wrong, or the account "
                               "cannot sign in");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"strongroom\"");
    return r;
  }
  if (result.status.code() == base::ErrorCode::kResourceExhausted) {
    Response r = ErrorResponse(429, "too_many_attempts", result.status.message());
    r.headers.emplace_back("Retry-After", std::to_string(result.retry_after.count()));
    return r;
  }
  if (result.enrollment) {
    // The secrets go to whoever knows the passphrase, once per sign-in, as after POST /users.
    return JsonResponse(
        403, {{"error",
               {{"code", "enrollment_required"},
                {"message",
                 "this account has no second factor yet: add the secret to an authenticator app "
                 "and keep the recovery codes, then sign in again with totp (a code from the "
                 "app) and new_password (replacing the passphrase you were given)"}}},
              {"enrollment", identity::EnrollmentToJsonRevealingSecrets(*result.enrollment)}});
  }
  if (!result.status.ok()) return ErrorFor(result.status, request);
  const identity::LoginSuccess& ok = *result.success;
  json out = {{"token", ok.session.token.Reveal()},
              {"csrf_token", ok.session.csrf_token.Reveal()},
              {"expires_at", base::FormatRfc3339(ok.session.expires_at)},
              {"user", identity::ToJson(ok.user)}};
  if (ok.used_recovery_code) out["recovery_codes_left"] = ok.recovery_codes_left;
  Response r = JsonResponse(200, out);
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie(ok.session.token, api.sessions.policy().absolute_timeout));
  return r;
}

base::Result<Response> Logout(ApiServices& api, const Request&, const Caller& caller) {
  if (caller.principal.kind != identity::CredentialKind::kSession) {
    return base::InvalidArgumentError(
        "sign-out ends sessions; revoke an API token with DELETE /api/v1/me/tokens/{id}");
  }
  SR_RETURN_IF_ERROR(api.sessions.EndSession(caller.actor, caller.principal.credential_id));
  Response r = NoContent();
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                           "=; Path=/; Secure; HttpOnly; SameSite=Strict; "
                                           "Max-Age=0");
  return r;
}

// --- /me ----------------------------------------------------------------------------------

base::Result<Response> Me(ApiServices& api, const Request&, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kSelfRead, Target{}));
  const identity::Principal& p = caller.principal;
  json permissions = json(nullptr);
  if (p.permissions) permissions = *p.permissions;
  json out = {{"user", identity::ToJson(p.user)},
              {"credential",
               {{"kind", p.kind == identity::CredentialKind::kSession ? "session" : "api_token"},
                {"id", p.credential_id},
                {"expires_at", base::FormatRfc3339(p.expires_at)},
                {"permissions", permissions}}}};
  // A browser that reloads the page keeps the session cookie but not the CSRF token it was
  // given at sign-in; another origin cannot read this answer.
  if (caller.via_cookie) out["csrf_token"] = identity::CsrfTokenFor(caller.credential).Reveal();
  return JsonResponse(200, out);
}

base::Result<Response> MyGrants(ApiServices& api, const Request&, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kSelfRead, Target{}));
  SR_ASSIGN_OR_RETURN(const auto grants, api.grants.ListHeldBy(caller.principal.user.id));
  json list = json::array();
  for (const auto& g : grants) list.push_back(GrantJson(g, api.clock.Now()));
  return JsonResponse(200, {{"grants", list}, {"next_cursor", nullptr}});
}

base::Result<Response> ListTokens(ApiServices& api, const Request&, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kTokensManage, Target{}));
  SR_ASSIGN_OR_RETURN(const auto tokens, api.sessions.ListApiTokens(caller.principal.user.id));
  json list = json::array();
  for (const auto& t : tokens) list.push_back(identity::ToJson(t));
  return JsonResponse(200, {{"tokens", list}, {"next_cursor", nullptr}});
}

base::Result<Response> CreateToken(ApiServices& api, const Request& request, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kTokensManage, Target{}));
  if (caller.principal.kind != identity::CredentialKind::kSession) {
    return base::PermissionDeniedError("API tokens are created from a signed-in session");
  }
  SR_ASSIGN_OR_RETURN(const json body,
                      JsonObjectBody(request, {"name", "permissions", "expires_at"}));
  SR_ASSIGN_OR_RETURN(const std::string name, RequiredString(body, "name"));
  SR_ASSIGN_OR_RETURN(const auto permissions, StringList(body, "permissions", true));
  SR_ASSIGN_OR_RETURN(const base::Time expires_at, RequiredTime(body, "expires_at"));
  const auto mine = access::PotentialActions(caller.principal.user.role);
  for (const std::string& p : permissions) {
    SR_ASSIGN_OR_RETURN(const Action action, access::ParseAction(p));
    if (std::find(mine.begin(), mine.end(), action) == mine.end()) {
      return base::PermissionDeniedError(
          "'" + p + "' is not a permission of role " +
          std::string(identity::RoleName(caller.principal.user.role)) +
          ", so a token of yours cannot have it");
    }
  }
  SR_ASSIGN_OR_RETURN(const identity::IssuedApiToken token,
                      api.sessions.CreateApiToken(caller.actor, caller.principal.user.id, name,
                                                  permissions, expires_at));
  return JsonResponse(
      201, {{"token", token.token.Reveal()}, {"api_token", identity::ToJson(token.info)}});
}

base::Result<Response> RevokeToken(ApiServices& api, const Request& request, const Caller& caller) {
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kTokensManage, Target{}));
  SR_RETURN_IF_ERROR(api.sessions.RevokeApiToken(caller.actor, caller.principal.user.id,
                                                 request.path_params.at("id")));
  return NoContent();
}

// --- Users --------------------------------------------------------------------------------

base::Result<identity::User> LoadUser(ApiServices& api, const Request& request) {
  return api.accounts.Get(UserId(request.path_params.at("id")));
}

base::Result<Response> CreateUser(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body,
                      JsonObjectBody(request, {"username", "role", "password", "tenant_id",
                                               "enroll_at_first_sign_in"}));
  SR_ASSIGN_OR_RETURN(const std::string username, RequiredString(body, "username"));
  SR_ASSIGN_OR_RETURN(const std::string role_name, RequiredString(body, "role"));
  SR_ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  SR_ASSIGN_OR_RETURN(const auto tenant_id, OptionalString(body, "tenant_id"));
  SR_ASSIGN_OR_RETURN(const auto at_first_sign_in, OptionalBool(body, "enroll_at_first_sign_in"));
  SR_ASSIGN_OR_RETURN(const identity::Role role, identity::ParseRole(role_name));
  std::optional<TenantId> tenant;
  if (tenant_id) tenant = TenantId(*tenant_id);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersCreate,
                           Target{tenant, std::nullopt, "username:" + username}));
  SR_ASSIGN_OR_RETURN(
      const identity::CreatedUser created,
      api.accounts.Create(caller.actor, identity::NewUser{username, role, tenant,
                                                          base::SecretString(std::move(password)),
                                                          at_first_sign_in.value_or(false)}));
  return JsonResponse(201, CreatedUserJson(created));
}

base::Result<Response> ListUsers(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const PageRequest page, Page(request));
  // Without tenant_id: every account (provider roles); client admins name their tenant.
  std::optional<TenantId> tenant;
  if (auto t = request.QueryParam("tenant_id"); t && !t->empty()) tenant = TenantId(*t);
  SR_RETURN_IF_ERROR(
      Allow(api, caller, Action::kUsersList,
            Target{tenant, std::nullopt, tenant ? "tenant:" + tenant->value() : "users"}));
  SR_ASSIGN_OR_RETURN(const identity::UserPage users,
                      api.accounts.List(tenant, page.after, page.limit));
  json list = json::array();
  for (const auto& u : users.users) list.push_back(identity::ToJson(u));
  return JsonResponse(200, {{"users", list}, {"next_cursor", Cursor(users.next_cursor)}});
}

base::Result<Response> GetUser(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const identity::User user, LoadUser(api, request));
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersRead, UserTarget(user)));
  return JsonResponse(200, {{"user", identity::ToJson(user)}});
}

base::Result<Response> PatchUser(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"role", "qualified"}));
  SR_ASSIGN_OR_RETURN(const auto role_name, OptionalString(body, "role"));
  SR_ASSIGN_OR_RETURN(const auto qualified, OptionalBool(body, "qualified"));
  if (!role_name && !qualified) {
    return base::InvalidArgumentError("send role, qualified, or both");
  }
  SR_ASSIGN_OR_RETURN(identity::User user, LoadUser(api, request));
  if (role_name) {
    SR_ASSIGN_OR_RETURN(const identity::Role role, identity::ParseRole(*role_name));
    SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersUpdateRole, UserTarget(user)));
    SR_ASSIGN_OR_RETURN(user, api.accounts.SetRole(caller.actor, user.id, role));
  }
  if (qualified) {
    SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersSetQualified, UserTarget(user)));
    SR_ASSIGN_OR_RETURN(user, api.accounts.SetQualified(caller.actor, user.id, *qualified));
  }
  return JsonResponse(200, {{"user", identity::ToJson(user)}});
}

base::Result<Response> DeactivateUser(ApiServices& api, const Request& request,
                                      const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const identity::User user, LoadUser(api, request));
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersDeactivate, UserTarget(user)));
  SR_ASSIGN_OR_RETURN(const identity::User after, api.accounts.Deactivate(caller.actor, user.id));
  return JsonResponse(200, {{"user", identity::ToJson(after)}});
}

base::Result<Response> ReactivateUser(ApiServices& api, const Request& request,
                                      const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"password"}));
  SR_ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  SR_ASSIGN_OR_RETURN(const identity::User user, LoadUser(api, request));
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersReactivate, UserTarget(user)));
  SR_ASSIGN_OR_RETURN(
      const identity::CreatedUser back,
      api.accounts.Reactivate(caller.actor, user.id, base::SecretString(std::move(password))));
  return JsonResponse(200, CreatedUserJson(back));
}

base::Result<Response> ResetTwoFactor(ApiServices& api, const Request& request,
                                      const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const identity::User user, LoadUser(api, request));
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kUsersResetTwoFactor, UserTarget(user)));
  SR_ASSIGN_OR_RETURN(const identity::Enrollment enrollment,
                      api.accounts.ResetTwoFactor(caller.actor, user.id));
  json body = identity::EnrollmentToJsonRevealingSecrets(enrollment);
  body["user"] = identity::ToJson(user);
  return JsonResponse(200, body);
}

// --- Tenants ------------------------------------------------------------------------------

TenantId PathTenant(const Request& request) { return TenantId(request.path_params.at("tenant")); }

base::Result<Response> CreateTenant(ApiServices& api, const Request& request,
                                    const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"name"}));
  SR_ASSIGN_OR_RETURN(const std::string name, RequiredString(body, "name"));
  SR_RETURN_IF_ERROR(
      Allow(api, caller, Action::kTenantsCreate, Target{std::nullopt, std::nullopt, "tenants"}));
  SR_ASSIGN_OR_RETURN(const identity::Tenant t, api.tenants.Create(caller.actor, name));
  return JsonResponse(201, {{"id", t.id.value()}, {"tenant", identity::ToJson(t)}});
}

base::Result<Response> ListTenants(ApiServices& api, const Request&, const Caller& caller) {
  SR_RETURN_IF_ERROR(
      Allow(api, caller, Action::kTenantsList, Target{std::nullopt, std::nullopt, "tenants"}));
  SR_ASSIGN_OR_RETURN(const auto tenants, api.tenants.List());
  json list = json::array();
  for (const auto& t : tenants) list.push_back(identity::ToJson(t));
  return JsonResponse(200, {{"tenants", list}, {"next_cursor", nullptr}});
}

base::Result<Response> GetTenant(ApiServices& api, const Request& request, const Caller& caller) {
  const TenantId id = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kTenantsRead, TenantTarget(id)));
  SR_ASSIGN_OR_RETURN(const identity::Tenant t, api.tenants.Get(id));
  return JsonResponse(200, {{"tenant", identity::ToJson(t)}});
}

base::Result<Response> PatchTenant(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"require_client_2fa"}));
  SR_ASSIGN_OR_RETURN(const auto require, OptionalBool(body, "require_client_2fa"));
  if (!require) return base::InvalidArgumentError("send require_client_2fa (true or false)");
  const TenantId id = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kTenantsUpdateSettings, TenantTarget(id)));
  SR_ASSIGN_OR_RETURN(const identity::Tenant t,
                      api.tenants.SetRequireClient2fa(caller.actor, id, *require));
  return JsonResponse(200, {{"tenant", identity::ToJson(t)}});
}

base::Result<Response> SetTenantState(ApiServices& api, const Request& request,
                                      const Caller& caller, bool suspend) {
  const TenantId id = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, suspend ? Action::kTenantsSuspend : Action::kTenantsResume,
                           TenantTarget(id)));
  SR_ASSIGN_OR_RETURN(const identity::Tenant t, suspend ? api.tenants.Suspend(caller.actor, id)
                                                        : api.tenants.Resume(caller.actor, id));
  return JsonResponse(200, {{"tenant", identity::ToJson(t)}});
}

// --- Grants and break-glass ----------------------------------------------------------------

base::Result<Response> CreateGrant(ApiServices& api, const Request& request, const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body, JsonObjectBody(request, {"grantee", "access", "collections",
                                                                "reason", "expires_at", "unmask"}));
  SR_ASSIGN_OR_RETURN(const std::string grantee, RequiredString(body, "grantee"));
  SR_ASSIGN_OR_RETURN(const std::string access, RequiredString(body, "access"));
  SR_ASSIGN_OR_RETURN(const auto collections, StringList(body, "collections", false));
  SR_ASSIGN_OR_RETURN(const std::string reason, RequiredString(body, "reason"));
  SR_ASSIGN_OR_RETURN(const base::Time expires_at, RequiredTime(body, "expires_at"));
  SR_ASSIGN_OR_RETURN(const auto unmask, OptionalBool(body, "unmask"));
  if (access != "read" && access != "read_write") {
    return base::InvalidArgumentError("access must be read or read_write");
  }
  const TenantId tenant = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kGrantsCreate, TenantTarget(tenant)));
  // The grantee is named by user id or by username (which a ticket usually carries).
  auto user = grantee.starts_with("usr_") ? api.accounts.Get(UserId(grantee))
                                          : api.accounts.FindByUsername(grantee);
  if (!user.ok()) return base::NotFoundError("no user '" + grantee + "' to grant access to");
  SR_ASSIGN_OR_RETURN(
      const access::Grant g,
      api.grants.CreateSupportGrant(
          caller.actor, access::SupportGrantRequest{tenant, caller.principal.user.id, user->id,
                                                    access == "read_write", collections, reason,
                                                    expires_at, unmask.value_or(false)}));
  return JsonResponse(201, {{"id", g.id}, {"grant", GrantJson(g, api.clock.Now())}});
}

base::Result<Response> ListGrants(ApiServices& api, const Request& request, const Caller& caller) {
  const TenantId tenant = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kGrantsList, TenantTarget(tenant)));
  SR_ASSIGN_OR_RETURN(const auto grants, api.grants.ListForTenant(tenant));
  json list = json::array();
  for (const auto& g : grants) list.push_back(GrantJson(g, api.clock.Now()));
  return JsonResponse(200, {{"grants", list}, {"next_cursor", nullptr}});
}

base::Result<Response> RevokeGrant(ApiServices& api, const Request& request, const Caller& caller,
                                   access::GrantKind kind) {
  const TenantId tenant = PathTenant(request);
  SR_RETURN_IF_ERROR(
      Allow(api, caller,
            kind == access::GrantKind::kSupport ? Action::kGrantsRevoke : Action::kBreakGlassOpen,
            TenantTarget(tenant)));
  SR_ASSIGN_OR_RETURN(const access::Grant g,
                      api.grants.Revoke(caller.actor, tenant, request.path_params.at("id"),
                                        caller.principal.user.id, kind));
  return JsonResponse(200, {{"grant", GrantJson(g, api.clock.Now())}});
}

base::Result<Response> OpenBreakGlass(ApiServices& api, const Request& request,
                                      const Caller& caller) {
  SR_ASSIGN_OR_RETURN(const json body,
                      JsonObjectBody(request, {"incident", "access", "duration_minutes"}));
  SR_ASSIGN_OR_RETURN(const std::string incident, RequiredString(body, "incident"));
  SR_ASSIGN_OR_RETURN(const auto access, OptionalString(body, "access"));
  SR_ASSIGN_OR_RETURN(const auto minutes, OptionalInt(body, "duration_minutes"));
  if (access && *access != "read" && *access != "read_write") {
    return base::InvalidArgumentError("access must be read or read_write");
  }
  const TenantId tenant = PathTenant(request);
  SR_RETURN_IF_ERROR(Allow(api, caller, Action::kBreakGlassOpen, TenantTarget(tenant)));
  SR_ASSIGN_OR_RETURN(
      const access::Grant g,
      api.grants.OpenBreakGlass(
          caller.actor, access::BreakGlassRequest{tenant, caller.principal.user.id, incident,
                                                  access.value_or("read") == "read_write",
                                                  std::chrono::minutes(minutes.value_or(60))}));
  return JsonResponse(201, {{"id", g.id}, {"grant", GrantJson(g, api.clock.Now())}});
}

base::Result<Response> Metrics(ApiServices& api, const Request&, const Caller& caller) {
  SR_RETURN_IF_ERROR(
      Allow(api, caller, Action::kMetricsRead, Target{std::nullopt, std::nullopt, "metrics"}));
  return MetricsResponse(api.metrics);
}

}  // namespace

void AddIdentityRoutes(Router& router, ApiServices& api) {
  using namespace std::placeholders;
  const auto auth = [&api](auto fn) {
    return Authenticated(api,
                         [&api, fn](const Request& r, const Caller& c) { return fn(api, r, c); });
  };
  router.Add(
      "POST", "/api/v1/auth/login", [&api](const Request& r) { return Login(api, r); },
      JsonRoute(Executor::kSignIn));
  router.Add("POST", "/api/v1/auth/logout", auth(Logout), kNoBody);
  router.Add("GET", "/api/v1/me", auth(Me), kNoBody);
  router.Add("GET", "/api/v1/me/grants", auth(MyGrants), kNoBody);
  router.Add("GET", "/api/v1/me/tokens", auth(ListTokens), kNoBody);
  router.Add("POST", "/api/v1/me/tokens", auth(CreateToken), JsonRoute());
  router.Add("DELETE", "/api/v1/me/tokens/{id}", auth(RevokeToken), kNoBody);

  router.Add("POST", "/api/v1/users", auth(CreateUser), JsonRoute());
  router.Add("GET", "/api/v1/users", auth(ListUsers), kNoBody);
  router.Add("GET", "/api/v1/users/{id}", auth(GetUser), kNoBody);
  router.Add("PATCH", "/api/v1/users/{id}", auth(PatchUser), JsonRoute());
  router.Add("POST", "/api/v1/users/{id}/deactivate", auth(DeactivateUser), kNoBody);
  router.Add("POST", "/api/v1/users/{id}/reactivate", auth(ReactivateUser), JsonRoute());
  router.Add("POST", "/api/v1/users/{id}/reset-2fa", auth(ResetTwoFactor), kNoBody);

  router.Add("POST", "/api/v1/tenants", auth(CreateTenant), JsonRoute());
  router.Add("GET", "/api/v1/tenants", auth(ListTenants), kNoBody);
  router.Add("GET", "/api/v1/tenants/{tenant}", auth(GetTenant), kNoBody);
  router.Add("PATCH", "/api/v1/tenants/{tenant}", auth(PatchTenant), JsonRoute());
  router.Add("POST", "/api/v1/tenants/{tenant}/suspend",
             auth([](ApiServices& a, const Request& r, const Caller& c) {
               return SetTenantState(a, r, c, true);
             }),
             kNoBody);
  router.Add("POST", "/api/v1/tenants/{tenant}/resume",
             auth([](ApiServices& a, const Request& r, const Caller& c) {
               return SetTenantState(a, r, c, false);
             }),
             kNoBody);

  router.Add("POST", "/api/v1/tenants/{tenant}/grants", auth(CreateGrant), JsonRoute());
  router.Add("GET", "/api/v1/tenants/{tenant}/grants", auth(ListGrants), kNoBody);
  router.Add("DELETE", "/api/v1/tenants/{tenant}/grants/{id}",
             auth([](ApiServices& a, const Request& r, const Caller& c) {
               return RevokeGrant(a, r, c, access::GrantKind::kSupport);
             }),
             kNoBody);
  router.Add("POST", "/api/v1/tenants/{tenant}/break-glass", auth(OpenBreakGlass), JsonRoute());
  router.Add("DELETE", "/api/v1/tenants/{tenant}/break-glass/{id}",
             auth([](ApiServices& a, const Request& r, const Caller& c) {
               return RevokeGrant(a, r, c, access::GrantKind::kBreakGlass);
             }),
             kNoBody);

  router.Add("GET", "/metrics", auth(Metrics), kNoBody);
}

}  // namespace strongroom::http
