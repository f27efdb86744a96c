#include <gtest/gtest.h>

#include "strongroom/crypto/totp.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using identity::testing::kGoodPassphrase;
using nlohmann::json;
using namespace std::chrono_literals;

class IdentityApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    admin_ = AddUser("alice-admin", Role::kAdmin);
    tenant_a_ = AddTenant("Acme");
    tenant_b_ = AddTenant("Beta");
  }
  std::string AdminToken() { return SignInToken("alice-admin", &*admin_.enrollment); }

  identity::CreatedUser admin_;
  identity::Tenant tenant_a_, tenant_b_;
};

TEST_F(IdentityApiTest, SignInSetsAHardenedCookieAndReturnsTokenAndCsrf) {
  const Reply r = Call("POST", "/api/v1/auth/login", "",
                       json{{"username", "alice-admin"},
                            {"password", kGoodPassphrase},
                            {"totp", CodeFor(*admin_.enrollment)}});
  ASSERT_EQ(r.status, 200) << r.raw;
  const std::string token = r.body["token"];
  EXPECT_TRUE(token.starts_with("srs_"));
  EXPECT_FALSE(r.body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(r.body["user"]["username"], "alice-admin");
  EXPECT_EQ(r.body["expires_at"], base::FormatRfc3339(clock_.Now() + 12h));
  const std::string cookie = r.http.Header("set-cookie").value_or("");
  EXPECT_TRUE(cookie.starts_with("__Host-strongroom_session=" + token + ";")) << cookie;
  for (const char* attr : {"Path=/", "Secure", "HttpOnly", "SameSite=Strict", "Max-Age=43200"}) {
    EXPECT_NE(cookie.find(attr), std::string::npos) << attr;
  }
  // The token works as a bearer token and as the cookie.
  EXPECT_EQ(Call("GET", "/api/v1/me", token).body["user"]["role"], "admin");
  const Reply by_cookie = Call("GET", "/api/v1/me", "", std::nullopt,
                               {{"Cookie", "__Host-strongroom_session=" + token}});
  EXPECT_EQ(by_cookie.status, 200);
  EXPECT_EQ(by_cookie.body["credential"]["kind"], "session");
  // A page reloaded with the cookie gets the session's CSRF token back; bearer callers need none.
  EXPECT_EQ(by_cookie.body["csrf_token"], r.body["csrf_token"]);
  EXPECT_FALSE(Call("GET", "/api/v1/me", token).body.contains("csrf_token"));
}

TEST_F(IdentityApiTest, AUserCreatedToEnrolAtFirstSignInGetsTheSecretThenSetsAPassphrase) {
  const std::string admin = AdminToken();
  const Reply created = Call("POST", "/api/v1/users", admin,
                             json{{"username", "new-staff"},
                                  {"role", "staff"},
                                  {"password", "temporary passphrase from admin 77"},
                                  {"enroll_at_first_sign_in", true}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_FALSE(created.body.contains("totp_secret"));
  EXPECT_FALSE(created.body.contains("recovery_codes"));
  EXPECT_EQ(created.body["user"]["enrollment_pending"], true);

  const Reply first =
      Call("POST", "/api/v1/auth/login", "",
           json{{"username", "new-staff"}, {"password", "temporary passphrase from admin 77"}});
  ASSERT_EQ(first.status, 403) << first.raw;
  EXPECT_EQ(first.body["error"]["code"], "enrollment_required");
  EXPECT_FALSE(first.body.contains("token"));
  EXPECT_TRUE(first.body["enrollment"]["totp_qr_svg"].get<std::string>().starts_with("<svg"));
  EXPECT_EQ(first.body["enrollment"]["recovery_codes"].size(), 10u);
  EXPECT_EQ(first.http.Header("set-cookie"), std::nullopt);
  const auto secret =
      *base::Base32Decode(first.body["enrollment"]["totp_secret"].get<std::string>());

  const Reply no_new = Call("POST", "/api/v1/auth/login", "",
                            json{{"username", "new-staff"},
                                 {"password", "temporary passphrase from admin 77"},
                                 {"totp", crypto::Totp(secret, clock_.Now())}});
  EXPECT_EQ(no_new.status, 400);
  EXPECT_NE(no_new.raw.find("new_password"), std::string::npos) << no_new.raw;
  const Reply done = Call("POST", "/api/v1/auth/login", "",
                          json{{"username", "new-staff"},
                               {"password", "temporary passphrase from admin 77"},
                               {"totp", crypto::Totp(secret, clock_.Now())},
                               {"new_password", "my own passphrase nobody else knows"}});
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(done.body["user"]["two_factor_enrolled"], true);
  EXPECT_NE(done.http.Header("set-cookie"), std::nullopt);
}

TEST_F(IdentityApiTest, EveryWrongPartIsTheSame401) {
  for (const json& body :
       {json{{"username", "nobody"}, {"password", kGoodPassphrase}, {"totp", "123456"}},
        json{{"username", "alice-admin"}, {"password", "wrong passphrase here"}, {"totp", "1"}},
        json{{"username", "alice-admin"}, {"password", kGoodPassphrase}, {"totp", "000000"}},
        json{{"username", "alice-admin"}, {"password", kGoodPassphrase}}}) {
    const Reply r = Call("POST", "/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body["error"]["code"], "invalid_credentials");
    EXPECT_EQ(r.http.Header("www-authenticate"), "Bearer realm=\"strongroom\"");
  }
  const Reply bad =
      Call("POST", "/api/v1/auth/login", "", json{{"username", "x"}, {"pasword", "y"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body["error"]["message"].get<std::string>().find(
                "unknown field 'pasword'; accepted: username, password, totp, recovery_code, "
                "new_password"),
            std::string::npos);
}

TEST_F(IdentityApiTest, LockoutIs429WithRetryAfter) {
  for (int i = 0; i < 5; ++i) {
    Call("POST", "/api/v1/auth/login", "",
         json{{"username", "alice-admin"}, {"password", "not the passphrase at all"}});
  }
  const Reply r = Call("POST", "/api/v1/auth/login", "",
                       json{{"username", "alice-admin"},
                            {"password", kGoodPassphrase},
                            {"totp", CodeFor(*admin_.enrollment)}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body["error"]["code"], "too_many_attempts");
  EXPECT_EQ(r.http.Header("retry-after"), "60");
}

TEST_F(IdentityApiTest, CookieRequestsThatChangeStateNeedTheCsrfToken) {
  const Reply signed_in = Call("POST", "/api/v1/auth/login", "",
                               json{{"username", "alice-admin"},
                                    {"password", kGoodPassphrase},
                                    {"totp", CodeFor(*admin_.enrollment)}});
  const std::string cookie =
      "__Host-strongroom_session=" + signed_in.body["token"].get<std::string>();
  const std::string csrf = signed_in.body["csrf_token"];
  const json tenant{{"name", "Gamma"}};
  Reply r = Call("POST", "/api/v1/tenants", "", tenant, {{"Cookie", cookie}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.raw.find("CSRF"), std::string::npos);
  r = Call("POST", "/api/v1/tenants", "", tenant, {{"Cookie", cookie}, {"X-CSRF-Token", "nope"}});
  EXPECT_EQ(r.status, 403);
  r = Call("POST", "/api/v1/tenants", "", tenant, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(r.status, 201) << r.raw;
  // Reading needs no CSRF token, and bearer requests never do.
  EXPECT_EQ(Call("GET", "/api/v1/tenants", "", std::nullopt, {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(
      Call("POST", "/api/v1/tenants", signed_in.body["token"], json{{"name", "Delta"}}).status,
      201);
}

TEST_F(IdentityApiTest, SignOutEndsTheSessionAndClearsTheCookie) {
  const std::string token = AdminToken();
  const Reply out = Call("POST", "/api/v1/auth/logout", token);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.http.Header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  const Reply after = Call("GET", "/api/v1/me", token);
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.raw.find("revoked"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/me").status, 401);
}

TEST_F(IdentityApiTest, TheAdminCreatesAUserWhoThenSignsInWithTheShownSecret) {
  const std::string admin = AdminToken();
  const Reply created = Call("POST", "/api/v1/users", admin,
                             json{{"username", "sam-service"},
                                  {"role", "service"},
                                  {"password", "another fine passphrase 2026"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_TRUE(created.body["id"].get<std::string>().starts_with("usr_"));
  EXPECT_TRUE(created.body["totp_qr_svg"].get<std::string>().starts_with("<svg"));
  EXPECT_EQ(created.body["recovery_codes"].size(), 10u);
  const auto secret = *base::Base32Decode(created.body["totp_secret"].get<std::string>());
  const Reply login = Call("POST", "/api/v1/auth/login", "",
                           json{{"username", "sam-service"},
                                {"password", "another fine passphrase 2026"},
                                {"totp", crypto::Totp(secret, clock_.Now())}});
  EXPECT_EQ(login.status, 200) << login.raw;
  // A weak passphrase is refused with the rule that failed.
  const Reply weak =
      Call("POST", "/api/v1/users", admin,
           json{{"username", "weak-one"}, {"role", "staff"}, {"password", "password1234"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(weak.raw.find("too easy to guess"), std::string::npos);
}

TEST_F(IdentityApiTest, DeactivationEndsASessionInTheMiddleOfIt) {
  const identity::CreatedUser bob = AddUser("bob-staff", Role::kStaff);
  const std::string bob_token = SignInToken("bob-staff", &*bob.enrollment);
  ASSERT_EQ(Call("GET", "/api/v1/me", bob_token).status, 200);
  const std::string admin = AdminToken();
  const Reply deactivated =
      Call("POST", "/api/v1/users/" + bob.user.id.value() + "/deactivate", admin);
  ASSERT_EQ(deactivated.status, 200) << deactivated.raw;
  EXPECT_EQ(deactivated.body["user"]["active"], false);
  const Reply next = Call("GET", "/api/v1/me", bob_token);
  EXPECT_EQ(next.status, 401);
  // Reactivation needs a new passphrase and shows a new enrolment.
  const Reply back = Call("POST", "/api/v1/users/" + bob.user.id.value() + "/reactivate", admin,
                          json{{"password", "fresh start gravel lantern 9"}});
  ASSERT_EQ(back.status, 200) << back.raw;
  EXPECT_NE(back.body["totp_secret"], bob.enrollment->secret_base32.Reveal());
}

TEST_F(IdentityApiTest, ClientAdminsSeeTheirOwnTenantOnly) {
  const identity::CreatedUser cadm = AddUser("acme-boss", Role::kClientAdmin, tenant_a_.id);
  const std::string token = SignInToken("acme-boss", &*cadm.enrollment);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/" + tenant_a_.id.value(), token).status, 200);
  const Reply foreign = Call("GET", "/api/v1/tenants/" + tenant_b_.id.value(), token);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.body["error"]["code"], "permission_denied");
  EXPECT_EQ(foreign.body["error"]["message"], "not allowed: foreign_tenant");
  EXPECT_EQ(Call("GET", "/api/v1/tenants", token).status, 403);
  const Reply mine = Call("GET", "/api/v1/users?tenant_id=" + tenant_a_.id.value(), token);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["users"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/users", token).status, 403);
  // The denials were audited.
  EXPECT_GE(audit_.With("access.denied").size(), 3u);
}

TEST_F(IdentityApiTest, GrantsFlowFromClientToQualifiedServiceUser) {
  const identity::CreatedUser cadm = AddUser("acme-boss", Role::kClientAdmin, tenant_a_.id);
  const identity::CreatedUser svc = AddUser("svc-sally", Role::kService);
  const identity::CreatedUser so = AddUser("so-sven", Role::kSecurityOfficer);
  const std::string client = SignInToken("acme-boss", &*cadm.enrollment);
  const std::string officer = SignInToken("so-sven", &*so.enrollment);
  const json grant{{"grantee", "svc-sally"},
                   {"access", "read"},
                   {"collections", {"tickets"}},
                   {"reason", "SUP-77"},
                   {"expires_at", base::FormatRfc3339(clock_.Now() + 24h)}};
  const std::string grants_path = "/api/v1/tenants/" + tenant_a_.id.value() + "/grants";
  // Not qualified yet: refused with the reason.
  Reply r = Call("POST", grants_path, client, grant);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.raw.find("qualified"), std::string::npos);
  // A security officer qualifies the service user; the client grants.
  ASSERT_EQ(
      Call("PATCH", "/api/v1/users/" + svc.user.id.value(), officer, json{{"qualified", true}})
          .status,
      200);
  r = Call("POST", grants_path, client, grant);
  ASSERT_EQ(r.status, 201) << r.raw;
  const std::string grant_id = r.body["id"];
  const std::string service = SignInToken("svc-sally", &*svc.enrollment);
  const Reply held = Call("GET", "/api/v1/me/grants", service);
  ASSERT_EQ(held.body["grants"].size(), 1u);
  EXPECT_EQ(held.body["grants"][0]["access"], "read");
  // More than seven days is refused.
  json too_long = grant;
  too_long["expires_at"] = base::FormatRfc3339(clock_.Now() + std::chrono::days(8));
  EXPECT_EQ(Call("POST", grants_path, client, too_long).status, 400);
  // The client lists and revokes.
  EXPECT_EQ(Call("GET", grants_path, client).body["grants"].size(), 1u);
  EXPECT_EQ(Call("DELETE", grants_path + "/" + grant_id, client).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me/grants", service).body["grants"][0]["active"], false);
  // A service user cannot grant itself anything.
  EXPECT_EQ(Call("POST", grants_path, service, grant).status, 403);
  // A grant may let restricted fields be seen in the clear.
  json unmasked = grant;
  unmasked["unmask"] = true;
  r = Call("POST", grants_path, client, unmasked);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["grant"]["unmask"], true);
}

TEST_F(IdentityApiTest, BreakGlassIsShownToTheClientAsEmergencyAccess) {
  const identity::CreatedUser so = AddUser("so-sven", Role::kSecurityOfficer);
  const identity::CreatedUser cadm = AddUser("acme-boss", Role::kClientAdmin, tenant_a_.id);
  const std::string officer = SignInToken("so-sven", &*so.enrollment);
  const std::string path = "/api/v1/tenants/" + tenant_a_.id.value() + "/break-glass";
  EXPECT_EQ(Call("POST", path, officer, json{{"duration_minutes", 30}}).status, 400);
  EXPECT_EQ(
      Call("POST", path, officer, json{{"incident", "INC-9"}, {"duration_minutes", 241}}).status,
      400);
  const Reply opened =
      Call("POST", path, officer, json{{"incident", "INC-9"}, {"duration_minutes", 90}});
  ASSERT_EQ(opened.status, 201) << opened.raw;
  EXPECT_EQ(opened.body["grant"]["expires_at"], base::FormatRfc3339(clock_.Now() + 90min));
  const Reply seen = Call("GET", "/api/v1/tenants/" + tenant_a_.id.value() + "/grants",
                          SignInToken("acme-boss", &*cadm.enrollment));
  ASSERT_EQ(seen.body["grants"].size(), 1u);
  EXPECT_EQ(seen.body["grants"][0]["kind"], "break_glass");
  EXPECT_EQ(seen.body["grants"][0]["reason"], "INC-9");
  // Only the admin of incidents ends it early; staff cannot open one.
  const identity::CreatedUser staff = AddUser("staff-sue", Role::kStaff);
  EXPECT_EQ(
      Call("POST", path, SignInToken("staff-sue", &*staff.enrollment), json{{"incident", "INC-10"}})
          .status,
      403);
  EXPECT_EQ(Call("DELETE", path + "/" + opened.body["id"].get<std::string>(), officer).status, 200);
}

TEST_F(IdentityApiTest, ApiTokensAreScopedAndCannotMintTokens) {
  const std::string admin = AdminToken();
  const std::string expires = base::FormatRfc3339(clock_.Now() + 24h);
  Reply r = Call(
      "POST", "/api/v1/me/tokens", admin,
      json{{"name", "prometheus"}, {"permissions", {"metrics.read"}}, {"expires_at", expires}});
  ASSERT_EQ(r.status, 201) << r.raw;
  const std::string scrape = r.body["token"];
  EXPECT_TRUE(scrape.starts_with("srt_"));
  // /metrics needs authentication and the metrics.read permission.
  EXPECT_EQ(Call("GET", "/metrics").status, 401);
  const Reply metrics = Call("GET", "/metrics", scrape);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.raw.find("strongroom_http_requests_total"), std::string::npos);
  // The token can do nothing else, not even mint a token.
  EXPECT_EQ(Call("GET", "/api/v1/tenants", scrape).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/me/tokens", scrape,
                 json{{"name", "x"}, {"permissions", {"metrics.read"}}, {"expires_at", expires}})
                .status,
            403);
  // Permissions outside the owner's own are refused at creation.
  r = Call("POST", "/api/v1/me/tokens", admin,
           json{{"name", "reader"}, {"permissions", {"records.read"}}, {"expires_at", expires}});
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.raw.find("not a permission of role admin"), std::string::npos);
  r = Call("POST", "/api/v1/me/tokens", admin,
           json{{"name", "typo"}, {"permissions", {"metrics.reed"}}, {"expires_at", expires}});
  EXPECT_EQ(r.status, 400);
  // Listed without the secret, revocable, then refused.
  const Reply listed = Call("GET", "/api/v1/me/tokens", admin);
  ASSERT_EQ(listed.body["tokens"].size(), 1u);
  EXPECT_EQ(listed.raw.find(scrape), std::string::npos);
  const std::string id = listed.body["tokens"][0]["id"];
  EXPECT_EQ(Call("DELETE", "/api/v1/me/tokens/" + id, admin).status, 204);
  EXPECT_EQ(Call("GET", "/metrics", scrape).status, 401);
}

TEST_F(IdentityApiTest, ListsPaginateWithAnOpaqueCursor) {
  for (const char* name : {"user-b", "user-c", "user-d"}) AddUser(name, Role::kStaff);
  const std::string admin = AdminToken();
  Reply page = Call("GET", "/api/v1/users?limit=2", admin);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["users"].size(), 2u);
  EXPECT_EQ(page.body["users"][0]["username"], "alice-admin");
  const std::string cursor = page.body["next_cursor"];
  page = Call("GET", "/api/v1/users?limit=2&cursor=" + cursor, admin);
  ASSERT_EQ(page.body["users"].size(), 2u);
  EXPECT_EQ(page.body["users"][0]["username"], "user-c");
  EXPECT_TRUE(page.body["next_cursor"].is_null());
  EXPECT_EQ(Call("GET", "/api/v1/users?limit=0", admin).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/users?cursor=%21%21", admin).status, 400);
}

}  // namespace
}  // namespace strongroom::http
