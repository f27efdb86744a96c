#include "strongroom/identity/users.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::identity {
namespace {

constexpr crypto::Argon2idParams kFast{1, 8 * 1024};

class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteOptions options;
    options.path = temp_ / "store.db";
    options.create = true;
    store_ = std::move(storage::OpenSqliteStore(options, clock_)).value();
    users_ = std::make_unique<UserStore>(*store_, clock_, kFast);
  }
  void TearDown() override {
    users_.reset();
    store_.reset();
  }

  static NewUser Admin(std::string name, std::string pass = "a long enough passphrase") {
    return NewUser{std::move(name), Role::kAdmin, std::nullopt,
                   base::SecretString(std::move(pass))};
  }

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, CreatesAUserWithAnArgon2idHashOnly) {
  const auto u = users_->Create(Admin("alice"));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_TRUE(u->id.value().starts_with("usr_"));
  EXPECT_EQ(u->id.value().size(), 36u);
  const auto found = users_->FindByUsername("alice");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, u->id);
  EXPECT_EQ(found->role, Role::kAdmin);
  EXPECT_EQ(found->created_at, clock_.Now());
  const std::string hash = *users_->PassphraseHash(u->id);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
  EXPECT_EQ(hash.find("a long enough passphrase"), std::string::npos);
  EXPECT_TRUE(
      *crypto::VerifyPassphrase(hash, base::SecretString(std::string("a long enough passphrase"))));
}

TEST_F(UserStoreTest, UsernamesAreUniqueAndValidated) {
  ASSERT_TRUE(users_->Create(Admin("alice")).ok());
  EXPECT_EQ(users_->Create(Admin("alice")).status().code(), base::ErrorCode::kAlreadyExists);
  for (const char* bad : {"al", "Alice", "al ice", "-alice", "alice@x", ""}) {
    const auto r = users_->Create(Admin(bad));
    EXPECT_EQ(r.status().code(), base::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(users_->Create(Admin("bob.smith-2_x")).ok());
}

TEST_F(UserStoreTest, PassphraseRulesNameTheFailedRuleAndNotThePassphrase) {
  auto r = users_->Create(Admin("carol", "short pass"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("at least 12"), std::string::npos);
  EXPECT_EQ(r.status().message().find("short pass"), std::string::npos);
  r = users_->Create(Admin("carol", "my name is CAROL ok"));
  EXPECT_NE(r.status().message().find("must not contain the username"), std::string::npos);
  r = users_->Create(Admin("carol", std::string(1025, 'x')));
  EXPECT_NE(r.status().message().find("at most 1024"), std::string::npos);
  // Twelve characters of two bytes each are twelve characters, not 24.
  r = users_->Create(Admin("carol", "ééééééééééé"));
  EXPECT_NE(r.status().message().find("at least 12"), std::string::npos);
  EXPECT_TRUE(users_->Create(Admin("carol", "éééééééééééé")).ok());
}

TEST_F(UserStoreTest, ClientRolesNeedATenantAndProviderRolesRefuseOne) {
  NewUser client{"dave", Role::kClientUser, std::nullopt,
                 base::SecretString(std::string("a long enough passphrase"))};
  EXPECT_EQ(users_->Create(client).status().code(), base::ErrorCode::kInvalidArgument);
  client.tenant = TenantId("ten_1");
  EXPECT_TRUE(users_->Create(client).ok());
  NewUser provider = Admin("erin");
  provider.tenant = TenantId("ten_1");
  EXPECT_EQ(users_->Create(provider).status().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace strongroom::identity
