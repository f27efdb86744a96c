#include "strongroom/identity/testing/identity_fixture.hpp"

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/totp.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::identity::testing {

IdentityFixture::IdentityFixture() {
  storage::SqliteOptions options;
  options.path = temp_ / "store.db";
  options.create = true;
  store_ = std::move(storage::OpenSqliteStore(options, clock_)).value();
  key_store_ = std::make_unique<storage::SqlKeyStore>(*store_);
  ring_ = std::move(crypto::KeyRing::Open(root_.Clone(), *key_store_, clock_)).value();
  const std::uint64_t identity_key = *ring_->FindOrCreateKey("identity");
  two_factor_ = std::make_unique<TwoFactor>(*ring_, identity_key, clock_);
  tenants_ = std::make_unique<TenantStore>(*store_, audit_, clock_);
  accounts_ = std::make_unique<Accounts>(*store_, *two_factor_, audit_, clock_, kFastArgon2);
  sessions_ = std::make_unique<Sessions>(*store_, audit_, clock_);
  throttle_ = std::make_unique<SourceThrottle>();
  auto username_key = *UsernameHashKey(*ring_, identity_key);
  login_ = std::move(LoginService::Create(*store_, *two_factor_, *sessions_, *throttle_, audit_,
                                          clock_, std::move(username_key), kFastArgon2))
               .value();
}

IdentityFixture::~IdentityFixture() = default;

CreatedUser IdentityFixture::AddUser(const std::string& username, Role role,
                                     std::optional<TenantId> tenant,
                                     const std::string& passphrase) {
  auto created = accounts_->Create(
      Operator(),
      NewUser{username, role, std::move(tenant), base::SecretString(std::string(passphrase))});
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  return std::move(created).value();
}

Tenant IdentityFixture::AddTenant(const std::string& name) {
  auto t = tenants_->Create(Operator(), name);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return *t;
}

std::string IdentityFixture::CodeFor(const Enrollment& enrollment, int steps_ahead) const {
  const base::Bytes secret = *base::Base32Decode(enrollment.secret_base32.Reveal());
  return crypto::Totp(secret, clock_.Now() + std::chrono::seconds(30 * steps_ahead));
}

LoginResult IdentityFixture::SignIn(const std::string& username, const std::string& passphrase,
                                    const std::string& code, const std::string& source) {
  return login_->Login(LoginRequest{username, base::SecretString(std::string(passphrase)),
                                    base::SecretString(std::string(code)), source, "req-login"});
}

}  // namespace strongroom::identity::testing
