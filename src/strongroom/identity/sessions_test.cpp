#include "strongroom/identity/sessions.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::identity {
namespace {

using namespace std::chrono_literals;

class SessionsTest : public testing::IdentityFixture {
 protected:
  void SetUp() override { user_ = AddUser("erin", Role::kStaff); }

  IssuedSession Issue() {
    auto tx = *store_->BeginWrite();
    auto s = sessions_->Issue(*tx, user_.user.id, "203.0.113.9");
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(tx->Commit().ok());
    return std::move(s).value();
  }
  std::string Why(const base::SecretString& token) {
    const auto r = sessions_->Authenticate(token.Reveal());
    return r.ok() ? "ok" : r.status().message();
  }

  CreatedUser user_;
};

TEST_F(SessionsTest, TokensAreRandomPrefixedAndStoredOnlyAsHashes) {
  const IssuedSession s = Issue();
  EXPECT_TRUE(s.token.Reveal().starts_with("srs_"));
  EXPECT_EQ(s.token.Reveal().size(), 4u + 43u);
  EXPECT_NE(Issue().token.Reveal(), s.token.Reveal());
  EXPECT_EQ(s.expires_at, clock_.Now() + 12h);
  auto tx = *store_->BeginRead();
  const auto rows =
      *tx->Query("SELECT token_hash FROM sessions WHERE id = ?", {storage::Text(s.id)});
  EXPECT_EQ(*rows[0].GetBlob(0), TokenHash(s.token.Reveal()));
  const auto all = *tx->Query("SELECT COUNT(*) FROM sessions WHERE instr(token_hash, ?) > 0",
                              {storage::Text(s.token.Reveal())});
  EXPECT_EQ(*all[0].GetInt(0), 0);
}

TEST_F(SessionsTest, AuthenticatesTheUserBehindASession) {
  const IssuedSession s = Issue();
  const auto p = sessions_->Authenticate(s.token.Reveal());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->user.id, user_.user.id);
  EXPECT_EQ(p->kind, CredentialKind::kSession);
  EXPECT_EQ(p->credential_id, s.id);
  EXPECT_FALSE(p->permissions.has_value());
  EXPECT_EQ(Why(base::SecretString(std::string("srs_nope"))), "unknown_credential");
  EXPECT_EQ(Why(base::SecretString(std::string("Bearer x"))), "unknown_credential");
}

TEST_F(SessionsTest, IdleSessionsEndAfterThirtyMinutesAndActivityKeepsThemAlive) {
  const IssuedSession idle = Issue();
  const IssuedSession busy = Issue();
  clock_.Advance(29min);
  EXPECT_EQ(Why(busy.token), "ok");
  clock_.Advance(2min);  // 31 minutes since idle was last used.
  EXPECT_EQ(Why(idle.token), "idle");
  EXPECT_EQ(Why(busy.token), "ok");  // Used two minutes ago.
}

TEST_F(SessionsTest, SessionsEndAfterTwelveHoursWhateverTheActivity) {
  const IssuedSession s = Issue();
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    clock_.Advance(20min);
    ASSERT_EQ(Why(s.token), "ok") << i;
  }
  clock_.Advance(20min);
  EXPECT_EQ(Why(s.token), "expired");
}

TEST_F(SessionsTest, DeactivationAndTenantSuspensionFailTheVeryNextRequest) {
  const IssuedSession s = Issue();
  ASSERT_EQ(Why(s.token), "ok");
  ASSERT_TRUE(accounts_->Deactivate(Operator(), user_.user.id).ok());
  EXPECT_EQ(Why(s.token), "revoked");

  const Tenant t = AddTenant("Acme");
  const CreatedUser client = AddUser("client", Role::kClientUser, t.id);
  auto tx = *store_->BeginWrite();
  const auto cs = *sessions_->Issue(*tx, client.user.id, "x");
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  ASSERT_EQ(Why(cs.token), "ok");
  ASSERT_TRUE(tenants_->Suspend(Operator(), t.id).ok());
  EXPECT_EQ(Why(cs.token), "tenant_suspended");
  ASSERT_TRUE(tenants_->Resume(Operator(), t.id).ok());
  EXPECT_EQ(Why(cs.token), "ok");
}

TEST_F(SessionsTest, SignOutEndsTheSessionAndIsAudited) {
  const IssuedSession s = Issue();
  ASSERT_TRUE(sessions_->EndSession(Operator(), s.id).ok());
  EXPECT_EQ(Why(s.token), "revoked");
  EXPECT_EQ(sessions_->EndSession(Operator(), s.id).code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(audit_.With("auth.logout").size(), 1u);
}

TEST_F(SessionsTest, CsrfTokensAreBoundToTheirSession) {
  const IssuedSession a = Issue();
  const IssuedSession b = Issue();
  EXPECT_TRUE(CsrfTokenMatches(a.token, a.csrf_token.Reveal()));
  EXPECT_FALSE(CsrfTokenMatches(a.token, b.csrf_token.Reveal()));
  EXPECT_FALSE(CsrfTokenMatches(a.token, ""));
  EXPECT_EQ(CsrfTokenFor(a.token).Reveal(), a.csrf_token.Reveal());
}

TEST_F(SessionsTest, ApiTokensCarryTheirPermissionsExpireAndAreRevocable) {
  const auto t =
      sessions_->CreateApiToken(Operator(), user_.user.id, "backup job",
                                {"records.read", "audit.read_tenant"}, clock_.Now() + 24h);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->token.Reveal().starts_with("srt_"));
  const auto p = sessions_->Authenticate(t->token.Reveal());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kind, CredentialKind::kApiToken);
  EXPECT_EQ(*p->permissions, (std::vector<std::string>{"records.read", "audit.read_tenant"}));
  const auto listed = *sessions_->ListApiTokens(user_.user.id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, "backup job");
  EXPECT_EQ(listed[0].last_used_at, clock_.Now());

  EXPECT_EQ(
      sessions_->CreateApiToken(Operator(), user_.user.id, "backup job", {"x"}, clock_.Now() + 1h)
          .status()
          .code(),
      base::ErrorCode::kAlreadyExists);
  EXPECT_EQ(sessions_->CreateApiToken(Operator(), user_.user.id, "old", {"x"}, clock_.Now())
                .status()
                .code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(sessions_
                ->CreateApiToken(Operator(), user_.user.id, "long", {"x"},
                                 clock_.Now() + std::chrono::days(400))
                .status()
                .code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(sessions_->CreateApiToken(Operator(), user_.user.id, "none", {}, clock_.Now() + 1h)
                .status()
                .code(),
            base::ErrorCode::kInvalidArgument);

  clock_.Advance(25h);
  EXPECT_EQ(Why(t->token), "expired");
  const auto other =
      *sessions_->CreateApiToken(Operator(), user_.user.id, "other", {"x"}, clock_.Now() + 1h);
  EXPECT_EQ(sessions_->RevokeApiToken(Operator(), UserId("usr_someone_else"), other.info.id).code(),
            base::ErrorCode::kNotFound);
  ASSERT_TRUE(sessions_->RevokeApiToken(Operator(), user_.user.id, other.info.id).ok());
  EXPECT_EQ(Why(other.token), "revoked");
  EXPECT_EQ(sessions_->RevokeApiToken(Operator(), user_.user.id, other.info.id).code(),
            base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(audit_.With("tokens.create").size(), 2u);
  EXPECT_EQ(audit_.With("tokens.revoke").size(), 1u);
}

}  // namespace
}  // namespace strongroom::identity
