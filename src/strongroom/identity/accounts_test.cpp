#include "strongroom/identity/accounts.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::identity {
namespace {

using storage::Text;

class AccountsTest : public testing::IdentityFixture {
 protected:
  std::int64_t Count(const std::string& sql, const std::string& param) {
    auto tx = *store_->BeginRead();
    return *(*tx->Query(sql, {Text(param)}))[0].GetInt(0);
  }
};

TEST_F(AccountsTest, ProviderUsersAlwaysGetASecondFactor) {
  for (Role role :
       {Role::kAdmin, Role::kSecurityOfficer, Role::kService, Role::kAuditor, Role::kStaff}) {
    const CreatedUser u = AddUser("user-" + std::string(RoleName(role)), role);
    EXPECT_TRUE(u.enrollment.has_value()) << RoleName(role);
    EXPECT_TRUE(u.user.two_factor_enrolled);
  }
}

TEST_F(AccountsTest, ClientUsersGetASecondFactorAsTheirTenantDecides) {
  const Tenant strict = AddTenant("Strict");
  Tenant relaxed = AddTenant("Relaxed");
  relaxed = *tenants_->SetRequireClient2fa(Operator(), relaxed.id, false);
  EXPECT_TRUE(AddUser("client1", Role::kClientUser, strict.id).enrollment.has_value());
  const CreatedUser c2 = AddUser("client2", Role::kClientUser, relaxed.id);
  EXPECT_FALSE(c2.enrollment.has_value());
  EXPECT_FALSE(c2.user.two_factor_enrolled);
}

TEST_F(AccountsTest, CreationRulesAreEnforcedAndAudited) {
  const Tenant t = AddTenant("Acme");
  const auto make = [&](std::string name, Role role, std::optional<TenantId> tenant,
                        std::string pass = testing::kGoodPassphrase) {
    return accounts_->Create(Operator(), NewUser{std::move(name), role, std::move(tenant),
                                                 base::SecretString(std::move(pass))});
  };
  EXPECT_EQ(make("a1", Role::kAdmin, std::nullopt).status().code(),
            base::ErrorCode::kInvalidArgument);  // Too short a username.
  EXPECT_EQ(make("cuser", Role::kClientUser, std::nullopt).status().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(make("padmin", Role::kAdmin, t.id).status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(make("cuser", Role::kClientUser, TenantId("ten_none")).status().code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(make("weak", Role::kStaff, std::nullopt, "password1234").status().code(),
            base::ErrorCode::kInvalidArgument);
  ASSERT_TRUE(make("dupe", Role::kStaff, std::nullopt).ok());
  EXPECT_EQ(make("dupe", Role::kStaff, std::nullopt).status().code(),
            base::ErrorCode::kAlreadyExists);
  ASSERT_TRUE(tenants_->Suspend(Operator(), t.id).ok());
  EXPECT_EQ(make("late", Role::kClientUser, t.id).status().code(),
            base::ErrorCode::kFailedPrecondition);

  const auto events = audit_.With("users.create");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_id, "usr_operator");
  EXPECT_EQ(events[0].details.at("username"), "dupe");
  EXPECT_EQ(events[0].details.at("role"), "staff");
}

TEST_F(AccountsTest, AChangeWhoseAuditEventFailsIsRolledBack) {
  audit_.set_fail(true);
  const auto r = accounts_->Create(
      Operator(), NewUser{"ghost", Role::kStaff, std::nullopt,
                          base::SecretString(std::string(testing::kGoodPassphrase))});
  EXPECT_EQ(r.status().code(), base::ErrorCode::kUnavailable);
  audit_.set_fail(false);
  EXPECT_EQ(accounts_->FindByUsername("ghost").status().code(), base::ErrorCode::kNotFound);
}

TEST_F(AccountsTest, DeactivationRevokesSessionsTokensAndGrantsAtOnce) {
  const Tenant t = AddTenant("Acme");
  const CreatedUser svc = AddUser("svc", Role::kService);
  const CreatedUser client_admin = AddUser("cadmin", Role::kClientAdmin, t.id);
  const auto signed_in = SignIn("svc", testing::kGoodPassphrase, CodeFor(*svc.enrollment));
  ASSERT_TRUE(signed_in.status.ok()) << signed_in.status.ToString();
  const auto token = sessions_->CreateApiToken(Operator(), svc.user.id, "ci", {"records.read"},
                                               clock_.Now() + std::chrono::hours(1));
  ASSERT_TRUE(token.ok());
  {
    auto tx = *store_->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO grants (id, kind, tenant_id, grantee_id, issued_by, "
                            "access, collections, reason, created_at, expires_at) VALUES ('grt_1', "
                            "'support', ?, ?, ?, 'read', '[]', 'T-1', 'x', 'y')",
                            {Text(t.id.value()), Text(svc.user.id.value()),
                             Text(client_admin.user.id.value())})
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  ASSERT_TRUE(sessions_->Authenticate(signed_in.success->session.token.Reveal()).ok());

  const auto deactivated = accounts_->Deactivate(Operator(), svc.user.id);
  ASSERT_TRUE(deactivated.ok());
  EXPECT_EQ(deactivated->deactivated_at, clock_.Now());
  EXPECT_EQ(sessions_->Authenticate(signed_in.success->session.token.Reveal()).status().message(),
            "revoked");
  EXPECT_EQ(sessions_->Authenticate(token->token.Reveal()).status().message(), "revoked");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grants WHERE grantee_id = ? AND revoked_at IS NULL",
                  svc.user.id.value()),
            0);
  const auto events = audit_.With("users.deactivate");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].details.at("sessions_revoked"), "1");
  EXPECT_EQ(events[0].details.at("tokens_revoked"), "1");
  EXPECT_EQ(events[0].details.at("grants_revoked"), "1");
  EXPECT_EQ(accounts_->Deactivate(Operator(), svc.user.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(AccountsTest, ReactivationNeedsANewPassphraseAndANewEnrolment) {
  const CreatedUser u = AddUser("carol", Role::kStaff);
  ASSERT_TRUE(accounts_->Deactivate(Operator(), u.user.id).ok());
  const std::string old_code = CodeFor(*u.enrollment);
  EXPECT_EQ(
      accounts_->Reactivate(Operator(), u.user.id, base::SecretString(std::string("too weak")))
          .status()
          .code(),
      base::ErrorCode::kInvalidArgument);
  const auto back = accounts_->Reactivate(
      Operator(), u.user.id, base::SecretString(std::string("brand new glacier orbit 4471")));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->enrollment.has_value());
  EXPECT_TRUE(back->user.active());
  // The old passphrase and the old authenticator no longer work; the new ones do.
  EXPECT_FALSE(SignIn("carol", testing::kGoodPassphrase, old_code).status.ok());
  EXPECT_FALSE(SignIn("carol", "brand new glacier orbit 4471", old_code).status.ok());
  EXPECT_TRUE(
      SignIn("carol", "brand new glacier orbit 4471", CodeFor(*back->enrollment)).status.ok());
  EXPECT_EQ(accounts_
                ->Reactivate(Operator(), u.user.id,
                             base::SecretString(std::string("brand new glacier orbit 4471")))
                .status()
                .code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(AccountsTest, TheLastActiveAdminCannotBeDeactivatedOrDemoted) {
  const CreatedUser first = AddUser("root-admin", Role::kAdmin);
  EXPECT_EQ(accounts_->Deactivate(Operator(), first.user.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(accounts_->SetRole(Operator(), first.user.id, Role::kStaff).status().code(),
            base::ErrorCode::kFailedPrecondition);
  const CreatedUser second = AddUser("second-admin", Role::kAdmin);
  EXPECT_TRUE(accounts_->Deactivate(Operator(), first.user.id).ok());
  EXPECT_EQ(accounts_->Deactivate(Operator(), second.user.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(AccountsTest, RoleChangesStayOnTheirSideAndQualificationIsForServiceUsers) {
  const Tenant t = AddTenant("Acme");
  const CreatedUser svc = AddUser("svc", Role::kService);
  const CreatedUser cu = AddUser("cuser", Role::kClientUser, t.id);
  EXPECT_EQ(accounts_->SetRole(Operator(), cu.user.id, Role::kStaff).status().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(accounts_->SetRole(Operator(), cu.user.id, Role::kClientAdmin)->role,
            Role::kClientAdmin);
  EXPECT_TRUE(accounts_->SetQualified(Operator(), svc.user.id, true)->qualified);
  EXPECT_EQ(accounts_->SetQualified(Operator(), cu.user.id, true).status().code(),
            base::ErrorCode::kFailedPrecondition);
  // Leaving the service role drops the qualification.
  EXPECT_FALSE(accounts_->SetRole(Operator(), svc.user.id, Role::kStaff)->qualified);
  const auto role_events = audit_.With("users.update_role");
  ASSERT_EQ(role_events.size(), 2u);
  EXPECT_EQ(role_events[1].details.at("from"), "service");
  EXPECT_EQ(role_events[1].details.at("to"), "staff");
  EXPECT_EQ(audit_.With("users.update_qualified").size(), 1u);
}

TEST_F(AccountsTest, ListsPageByUsernameAndFilterByTenant) {
  const Tenant t = AddTenant("Acme");
  for (const char* name : {"dora", "bert", "anna", "carl"}) AddUser(name, Role::kStaff);
  AddUser("zed-client", Role::kClientUser, t.id);
  auto page = *accounts_->List(std::nullopt, "", 2);
  ASSERT_EQ(page.users.size(), 2u);
  EXPECT_EQ(page.users[0].username, "anna");
  EXPECT_EQ(page.users[1].username, "bert");
  ASSERT_EQ(page.next_cursor, "bert");
  page = *accounts_->List(std::nullopt, *page.next_cursor, 2);
  EXPECT_EQ(page.users[0].username, "carl");
  page = *accounts_->List(std::nullopt, "dora", 2);
  ASSERT_EQ(page.users.size(), 1u);
  EXPECT_EQ(page.next_cursor, std::nullopt);
  const auto tenant_only = *accounts_->List(t.id);
  ASSERT_EQ(tenant_only.users.size(), 1u);
  EXPECT_EQ(tenant_only.users[0].username, "zed-client");
}

TEST_F(AccountsTest, ResettingTheSecondFactorEndsSessionsAndReplacesTheSecret) {
  const CreatedUser u = AddUser("dave", Role::kStaff);
  const auto signed_in = SignIn("dave", testing::kGoodPassphrase, CodeFor(*u.enrollment));
  ASSERT_TRUE(signed_in.status.ok());
  const auto fresh = accounts_->ResetTwoFactor(Operator(), u.user.id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->secret_base32.Reveal(), u.enrollment->secret_base32.Reveal());
  EXPECT_EQ(sessions_->Authenticate(signed_in.success->session.token.Reveal()).status().message(),
            "revoked");
  EXPECT_EQ(audit_.With("users.reset_2fa").size(), 1u);
}

}  // namespace
}  // namespace strongroom::identity
