#include "strongroom/identity/two_factor.hpp"

#include <gtest/gtest.h>

#include <set>

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/totp.hpp"
#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::identity {
namespace {

class TwoFactorTest : public testing::IdentityFixture {
 protected:
  void SetUp() override { user_ = AddUser("alice", Role::kStaff); }

  base::Result<SecondFactor> Verify(const std::string& code) {
    auto tx = *store_->BeginWrite();
    auto r = two_factor_->Verify(*tx, user_.user.id, base::SecretString(std::string(code)));
    EXPECT_TRUE(tx->Commit().ok());
    return r;
  }

  CreatedUser user_;
};

TEST_F(TwoFactorTest, EnrolmentShowsASecretUriQrAndTenRecoveryCodes) {
  ASSERT_TRUE(user_.enrollment.has_value());
  const Enrollment& e = *user_.enrollment;
  EXPECT_EQ(base::Base32Decode(e.secret_base32.Reveal())->size(), 20u);
  EXPECT_EQ(e.otpauth_uri.Reveal(),
            "otpauth://totp/Strongroom%3Aalice?secret=" + e.secret_base32.Reveal() +
                "&issuer=Strongroom&algorithm=SHA1&digits=6&period=30");
  EXPECT_TRUE(e.qr_svg.Reveal().starts_with("<svg"));
  ASSERT_EQ(e.recovery_codes.size(), 10u);
  std::set<std::string> distinct;
  for (const auto& code : e.recovery_codes) {
    EXPECT_EQ(code.Reveal().size(), 19u) << code.Reveal();  // xxxx-xxxx-xxxx-xxxx
    distinct.insert(code.Reveal());
  }
  EXPECT_EQ(distinct.size(), 10u);
}

TEST_F(TwoFactorTest, TheSecretIsStoredSealedAndTheCodesHashed) {
  const Enrollment& e = *user_.enrollment;
  const base::Bytes secret = *base::Base32Decode(e.secret_base32.Reveal());
  auto tx = *store_->BeginRead();
  const auto rows = *tx->Query("SELECT totp_secret FROM users WHERE id = ?",
                               {storage::Text(user_.user.id.value())});
  const base::Bytes stored = *rows[0].GetBlob(0);
  EXPECT_EQ(stored.size(), secret.size() + crypto::kCiphertextOverhead);
  EXPECT_EQ(std::search(stored.begin(), stored.end(), secret.begin(), secret.end()), stored.end());
  const auto codes = *tx->Query("SELECT code_hash FROM recovery_codes WHERE user_id = ?",
                                {storage::Text(user_.user.id.value())});
  ASSERT_EQ(codes.size(), 10u);
  for (const auto& row : codes) {
    const base::Bytes hash = *row.GetBlob(0);
    EXPECT_EQ(hash.size(), 32u);
    for (const auto& code : e.recovery_codes) {
      EXPECT_EQ(base::AsChars(hash).find(code.Reveal()), std::string::npos);
    }
  }
}

TEST_F(TwoFactorTest, AcceptsTheCurrentCodeAndOneStepOfDriftOnce) {
  EXPECT_EQ(*Verify(CodeFor(*user_.enrollment)), SecondFactor::kTotp);
  // The same code again, and an older one, are replays.
  EXPECT_EQ(Verify(CodeFor(*user_.enrollment)).status().message(), "code_reused");
  EXPECT_EQ(Verify(CodeFor(*user_.enrollment, -1)).status().message(), "code_reused");
  // The next step's code (clock drift ahead) is new, so it is accepted once.
  EXPECT_EQ(*Verify(CodeFor(*user_.enrollment, 1)), SecondFactor::kTotp);
  EXPECT_EQ(Verify(CodeFor(*user_.enrollment, 1)).status().message(), "code_reused");
  // Two steps away is outside the window.
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(Verify(CodeFor(*user_.enrollment, 2)).status().message(), "wrong_code");
  EXPECT_EQ(Verify(CodeFor(*user_.enrollment, -2)).status().message(), "wrong_code");
  EXPECT_EQ(*Verify(CodeFor(*user_.enrollment, -1)), SecondFactor::kTotp);
  EXPECT_EQ(Verify("000000").status().code(), base::ErrorCode::kUnauthenticated);
}

TEST_F(TwoFactorTest, RecoveryCodesWorkOnceEachInAnyCase) {
  const auto& codes = user_.enrollment->recovery_codes;
  EXPECT_EQ(*Verify(codes[0].Reveal()), SecondFactor::kRecoveryCode);
  EXPECT_EQ(Verify(codes[0].Reveal()).status().message(), "wrong_code");
  std::string shouted = NormalizeRecoveryCode(codes[1].Reveal());
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(*Verify(shouted), SecondFactor::kRecoveryCode);
  auto tx = *store_->BeginRead();
  EXPECT_EQ(*two_factor_->RemainingRecoveryCodes(*tx, user_.user.id), 8);
}

TEST_F(TwoFactorTest, ReEnrolmentInvalidatesTheOldSecretAndCodes) {
  const Enrollment old = std::move(*user_.enrollment);
  auto tx = *store_->BeginWrite();
  const auto fresh = two_factor_->Enroll(*tx, user_.user.id, "alice");
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  EXPECT_EQ(Verify(CodeFor(old)).status().message(), "wrong_code");
  EXPECT_EQ(Verify(old.recovery_codes[0].Reveal()).status().message(), "wrong_code");
  EXPECT_EQ(*Verify(CodeFor(*fresh)), SecondFactor::kTotp);
}

TEST_F(TwoFactorTest, ASecretMovedToAnotherUserDoesNotDecrypt) {
  const CreatedUser bob = AddUser("bobby", Role::kStaff);
  auto tx = *store_->BeginWrite();
  ASSERT_TRUE(
      tx->Execute("UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE "
                  "id = ?) WHERE id = ?",
                  {storage::Text(user_.user.id.value()), storage::Text(bob.user.id.value())})
          .ok());
  const auto r =
      two_factor_->Verify(*tx, bob.user.id, base::SecretString(CodeFor(*user_.enrollment)));
  EXPECT_EQ(r.status().code(), base::ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace strongroom::identity
