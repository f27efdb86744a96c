#include "strongroom/identity/login.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::identity {
namespace {

using namespace std::chrono_literals;
using testing::kGoodPassphrase;

class LoginTest : public testing::IdentityFixture {
 protected:
  void SetUp() override { frank_ = AddUser("frank", Role::kSecurityOfficer); }
  std::string Code(int ahead = 0) { return CodeFor(*frank_.enrollment, ahead); }
  static std::string Cause(const audit::Event& e) {
    return e.details.contains("cause") ? e.details.at("cause") : "";
  }
  CreatedUser frank_;
};

TEST_F(LoginTest, SignsInWithPassphraseAndCode) {
  const LoginResult r = SignIn("frank", kGoodPassphrase, Code());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.success->user.id, frank_.user.id);
  EXPECT_TRUE(r.success->session.token.Reveal().starts_with("srs_"));
  const auto events = audit_.With("auth.login");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, audit::Outcome::kAllowed);
  EXPECT_EQ(events[0].actor_id, frank_.user.id.value());
  EXPECT_EQ(events[0].details.at("second_factor"), "totp");
  EXPECT_EQ(events[0].source_address, "198.51.100.7");
}

TEST_F(LoginTest, EveryWrongPartGetsTheSameAnswer) {
  const Tenant t = AddTenant("Acme");
  AddUser("gone", Role::kStaff);
  ASSERT_TRUE(accounts_->Deactivate(Operator(), accounts_->FindByUsername("gone")->id).ok());
  const CreatedUser cu = AddUser("client", Role::kClientUser, t.id);
  ASSERT_TRUE(tenants_->Suspend(Operator(), t.id).ok());
  struct Case {
    std::string user, pass, code, cause;
  };
  const std::vector<Case> cases = {
      {"nobody", kGoodPassphrase, "123456", "unknown_user"},
      {"frank", "violet tractor umbrella 1987 loudly", Code(), "wrong_passphrase"},
      {"frank", kGoodPassphrase, "000000", "wrong_code"},
      {"frank", kGoodPassphrase, "", "missing_code"},
      {"gone", kGoodPassphrase, "123456", "deactivated"},
      {"client", kGoodPassphrase, CodeFor(*cu.enrollment), "tenant_suspended"},
  };
  std::string first_message;
  for (const Case& c : cases) {
    audit_.Clear();
    const LoginResult r = SignIn(c.user, c.pass, c.code);
    ASSERT_FALSE(r.status.ok()) << c.cause;
    EXPECT_EQ(r.status.code(), base::ErrorCode::kUnauthenticated) << c.cause;
    if (first_message.empty()) first_message = r.status.message();
    EXPECT_EQ(r.status.message(), first_message) << c.cause;
    const auto events = audit_.With("auth.login");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].outcome, audit::Outcome::kDenied);
    EXPECT_EQ(events[0].reason, "invalid_credentials");
    EXPECT_EQ(Cause(events[0]), c.cause);
  }
}

TEST_F(LoginTest, AnUnknownNameIsAuditedOnlyAsAKeyedHash) {
  ASSERT_FALSE(SignIn("Tr0ub4dor&3 typed as a name", kGoodPassphrase, "").status.ok());
  const auto e = audit_.With("auth.login").at(0);
  EXPECT_EQ(e.actor_id, "");
  EXPECT_EQ(e.resource, "username:" + login_->UsernameHash("Tr0ub4dor&3 typed as a name"));
  for (const auto& [k, v] : e.details) EXPECT_EQ(v.find("Tr0ub4dor"), std::string::npos);
  EXPECT_EQ(e.resource.find("Tr0ub4dor"), std::string::npos);
}

TEST_F(LoginTest, ACodeWorksOnceEvenAfterASuccessfulSignIn) {
  const std::string code = Code();
  ASSERT_TRUE(SignIn("frank", kGoodPassphrase, code).status.ok());
  audit_.Clear();
  const LoginResult replay = SignIn("frank", kGoodPassphrase, code);
  EXPECT_EQ(replay.status.code(), base::ErrorCode::kUnauthenticated);
  EXPECT_EQ(Cause(audit_.With("auth.login").at(0)), "code_reused");
}

TEST_F(LoginTest, RecoveryCodesSignInOnceEach) {
  const std::string recovery = frank_.enrollment->recovery_codes[3].Reveal();
  const LoginResult r = SignIn("frank", kGoodPassphrase, recovery);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.success->used_recovery_code);
  EXPECT_EQ(r.success->recovery_codes_left, 9);
  EXPECT_FALSE(SignIn("frank", kGoodPassphrase, recovery).status.ok());
}

TEST_F(LoginTest, ClientsOfATenantWithout2faSignInWithThePassphraseAlone) {
  const Tenant t = *tenants_->SetRequireClient2fa(Operator(), AddTenant("Relaxed").id, false);
  AddUser("easy", Role::kClientUser, t.id);
  EXPECT_TRUE(SignIn("easy", kGoodPassphrase, "").status.ok());
  // Provider roles never can: there is no switch for them.
  EXPECT_FALSE(SignIn("frank", kGoodPassphrase, "").status.ok());
  // Turning the requirement back on locks out the unenrolled client until it enrols.
  ASSERT_TRUE(tenants_->SetRequireClient2fa(Operator(), t.id, true).ok());
  audit_.Clear();
  EXPECT_FALSE(SignIn("easy", kGoodPassphrase, "").status.ok());
  EXPECT_EQ(Cause(audit_.With("auth.login").at(0)), "not_enrolled");
}

TEST_F(LoginTest, FiveFailuresLockTheAccountWithExponentialBackoff) {
  for (int i = 0; i < 5; ++i) {
    const LoginResult r = SignIn("frank", "wrong passphrase entirely", "");
    ASSERT_EQ(r.status.code(), base::ErrorCode::kUnauthenticated) << i;
  }
  EXPECT_EQ(audit_.With("auth.lockout").size(), 1u);
  // Locked: even the right credentials get 429 with a Retry-After.
  LoginResult locked = SignIn("frank", kGoodPassphrase, Code());
  EXPECT_EQ(locked.status.code(), base::ErrorCode::kResourceExhausted);
  EXPECT_EQ(locked.retry_after, 60s);
  clock_.Advance(61s);
  // Five more failures: the second lockout lasts twice as long.
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(SignIn("frank", "wrong again entirely", "").status.ok());
  locked = SignIn("frank", kGoodPassphrase, Code());
  EXPECT_EQ(locked.retry_after, 120s);
  clock_.Advance(121s);
  // After the lock, the right credentials work and reset the count.
  ASSERT_TRUE(SignIn("frank", kGoodPassphrase, Code()).status.ok());
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(SignIn("frank", "wrong yet again", "").status.ok());
  EXPECT_EQ(SignIn("frank", "wrong yet again", "").status.code(),
            base::ErrorCode::kUnauthenticated);
  EXPECT_EQ(SignIn("frank", kGoodPassphrase, Code(1)).retry_after, 60s);  // Backoff was reset.
}

TEST_F(LoginTest, UnknownNamesLockExactlyLikeRealOnes) {
  std::vector<base::ErrorCode> real, unknown;
  for (int i = 0; i < 6; ++i) {
    real.push_back(
        SignIn("frank", "not the passphrase", "", "192.0.2." + std::to_string(i)).status.code());
    unknown.push_back(
        SignIn("franky", "not the passphrase", "", "192.0.2." + std::to_string(i)).status.code());
  }
  EXPECT_EQ(real, unknown);
  EXPECT_EQ(unknown.back(), base::ErrorCode::kResourceExhausted);
}

TEST_F(LoginTest, OneAddressSprayingManyAccountsIsBlocked) {
  // One failure per name: no account reaches its own lockout, but the address does.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(SignIn("user" + std::to_string(i), "Winter2026!", "", "203.0.113.66").status.code(),
              base::ErrorCode::kUnauthenticated)
        << i;
  }
  const LoginResult blocked = SignIn("frank", kGoodPassphrase, Code(), "203.0.113.66");
  EXPECT_EQ(blocked.status.code(), base::ErrorCode::kResourceExhausted);
  EXPECT_GT(blocked.retry_after.count(), 0);
  EXPECT_EQ(audit_.With("auth.login").back().reason, "source_throttled");
  // Other addresses are unaffected, and the block lifts with the window.
  EXPECT_TRUE(SignIn("frank", kGoodPassphrase, Code(), "203.0.113.67").status.ok());
  clock_.Advance(16min);
  EXPECT_TRUE(SignIn("frank", kGoodPassphrase, Code(), "203.0.113.66").status.ok());
}

TEST_F(LoginTest, OutdatedHashParametersAreUpgradedOnSuccess) {
  // A service with stronger parameters than the stored hash was made with.
  const crypto::Argon2idParams stronger{2, 16 * 1024};
  auto key = *UsernameHashKey(*ring_, *ring_->FindOrCreateKey("identity"));
  auto upgraded = *LoginService::Create(*store_, *two_factor_, *sessions_, *throttle_, audit_,
                                        clock_, std::move(key), stronger);
  const LoginResult r =
      upgraded->Login(LoginRequest{"frank", base::SecretString(std::string(kGoodPassphrase)),
                                   base::SecretString(Code()), "x", "r"});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  auto tx = *store_->BeginRead();
  const std::string hash =
      *(*tx->Query("SELECT passphrase_hash FROM users WHERE username = 'frank'"))[0].GetText(0);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=16384,t=2,p=1$")) << hash;
  EXPECT_EQ(audit_.With("auth.login").back().details.at("passphrase_rehashed"), "true");
}

TEST_F(LoginTest, NoSignInWithoutItsAuditEvent) {
  audit_.set_fail(true);
  const LoginResult r = SignIn("frank", kGoodPassphrase, Code());
  EXPECT_EQ(r.status.code(), base::ErrorCode::kUnavailable);
  audit_.set_fail(false);
  auto tx = *store_->BeginRead();
  EXPECT_EQ(*(*tx->Query("SELECT COUNT(*) FROM sessions"))[0].GetInt(0), 0);
}

class EnrolAtFirstSignInTest : public testing::IdentityFixture {
 protected:
  void SetUp() override {
    auto created = accounts_->Create(
        Operator(), NewUser{"erin", Role::kStaff, std::nullopt,
                            base::SecretString(std::string(kGoodPassphrase)), true});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    erin_ = std::move(created).value();
  }
  LoginResult Finish(const std::string& code, const std::string& new_passphrase,
                     const std::string& passphrase = kGoodPassphrase) {
    return login_->Login(LoginRequest{
        "erin", base::SecretString(std::string(passphrase)), base::SecretString(std::string(code)),
        "198.51.100.7", "req-enrol", base::SecretString(std::string(new_passphrase))});
  }
  static constexpr const char* kNewPassphrase = "marble lantern orchard 2031 gently";
  CreatedUser erin_;
};

TEST_F(EnrolAtFirstSignInTest, TheCreatorNeverSeesTheSecret) {
  EXPECT_FALSE(erin_.enrollment.has_value());
  EXPECT_TRUE(erin_.user.enrollment_pending);
  EXPECT_FALSE(erin_.user.two_factor_enrolled);
  EXPECT_EQ(audit_.With("users.create")[0].details.at("enrollment"), "at_first_sign_in");
}

TEST_F(EnrolAtFirstSignInTest, ThePassphraseShowsTheEnrolmentAndACodeWithANewPassphraseFinishesIt) {
  const LoginResult first = SignIn("erin", kGoodPassphrase, "");
  EXPECT_EQ(first.status.code(), base::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(first.enrollment.has_value());
  EXPECT_FALSE(first.success.has_value());
  EXPECT_EQ(first.enrollment->recovery_codes.size(), 10u);
  EXPECT_NE(first.enrollment->qr_svg.Reveal().find("<svg"), std::string::npos);
  ASSERT_EQ(audit_.With("auth.enroll").size(), 1u);
  EXPECT_EQ(audit_.With("auth.enroll")[0].reason, "started");

  clock_.Advance(31s);
  const LoginResult done = Finish(CodeFor(*first.enrollment), kNewPassphrase);
  ASSERT_TRUE(done.status.ok()) << done.status.ToString();
  EXPECT_TRUE(done.success->user.two_factor_enrolled);
  EXPECT_FALSE(done.success->user.enrollment_pending);
  ASSERT_EQ(audit_.With("auth.enroll").size(), 2u);
  EXPECT_EQ(audit_.With("auth.enroll")[1].reason, "completed");
  for (const auto& e : audit_.events()) {
    for (const auto& [k, v] : e.details) EXPECT_EQ(v.find("marble"), std::string::npos) << k;
  }

  // From now on: the new passphrase and a code; the old passphrase is gone.
  clock_.Advance(31s);
  EXPECT_EQ(SignIn("erin", kGoodPassphrase, CodeFor(*first.enrollment)).status.code(),
            base::ErrorCode::kUnauthenticated);
  EXPECT_EQ(SignIn("erin", kNewPassphrase, "").status.code(), base::ErrorCode::kUnauthenticated);
  clock_.Advance(31s);
  EXPECT_TRUE(SignIn("erin", kNewPassphrase, CodeFor(*first.enrollment)).status.ok());
}

TEST_F(EnrolAtFirstSignInTest, EachFirstStepReplacesTheSecret) {
  const LoginResult a = SignIn("erin", kGoodPassphrase, "");
  const LoginResult b = SignIn("erin", kGoodPassphrase, "");
  ASSERT_TRUE(a.enrollment && b.enrollment);
  EXPECT_NE(a.enrollment->secret_base32.Reveal(), b.enrollment->secret_base32.Reveal());
  EXPECT_EQ(Finish(CodeFor(*a.enrollment), kNewPassphrase).status.code(),
            base::ErrorCode::kUnauthenticated);
  EXPECT_TRUE(Finish(CodeFor(*b.enrollment, 1), kNewPassphrase).status.ok());
}

TEST_F(EnrolAtFirstSignInTest, FinishingNeedsAnAcceptableNewPassphraseAndATotpCode) {
  const LoginResult first = SignIn("erin", kGoodPassphrase, "");
  ASSERT_TRUE(first.enrollment);
  const std::string code = CodeFor(*first.enrollment);
  struct Case {
    std::string code, new_passphrase, says;
  };
  for (const Case& c : std::vector<Case>{
           {code, "", "new passphrase"},
           {code, kGoodPassphrase, "must differ"},
           {code, "password1", "new_password"},
           {first.enrollment->recovery_codes[0].Reveal(), kNewPassphrase, "6-digit code"}}) {
    const LoginResult r = Finish(c.code, c.new_passphrase);
    EXPECT_EQ(r.status.code(), base::ErrorCode::kInvalidArgument) << c.says;
    EXPECT_NE(r.status.message().find(c.says), std::string::npos) << r.status.message();
  }
  // None of these used the code up or changed the account.
  EXPECT_TRUE(accounts_->Get(erin_.user.id)->enrollment_pending);
  EXPECT_TRUE(Finish(code, kNewPassphrase).status.ok());
}

TEST_F(EnrolAtFirstSignInTest, AWrongPassphraseOrCodeIsAnOrdinaryFailure) {
  EXPECT_EQ(SignIn("erin", "violet tractor umbrella 1987 loudly", "").status.code(),
            base::ErrorCode::kUnauthenticated);
  EXPECT_EQ(Finish("123456", kNewPassphrase).status.code(),  // No enrolment started yet.
            base::ErrorCode::kUnauthenticated);
  const LoginResult first = SignIn("erin", kGoodPassphrase, "");
  ASSERT_TRUE(first.enrollment);
  const std::string wrong = CodeFor(*first.enrollment) == "000000" ? "111111" : "000000";
  EXPECT_EQ(Finish(wrong, kNewPassphrase).status.code(), base::ErrorCode::kUnauthenticated);
  EXPECT_EQ(audit_.With("auth.login").back().details.at("cause"), "wrong_code");
  EXPECT_TRUE(accounts_->Get(erin_.user.id)->enrollment_pending);
}

TEST_F(EnrolAtFirstSignInTest, AResetByAnAdministratorEnrolsAtOnce) {
  ASSERT_TRUE(SignIn("erin", kGoodPassphrase, "").enrollment);
  const auto reset = accounts_->ResetTwoFactor(Operator(), erin_.user.id);
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(accounts_->Get(erin_.user.id)->enrollment_pending);
  EXPECT_TRUE(accounts_->Get(erin_.user.id)->two_factor_enrolled);
  clock_.Advance(31s);
  EXPECT_TRUE(SignIn("erin", kGoodPassphrase, CodeFor(*reset)).status.ok());
}

}  // namespace
}  // namespace strongroom::identity
