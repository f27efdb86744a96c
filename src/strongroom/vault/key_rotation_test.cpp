#include "strongroom/vault/key_rotation.hpp"

#include <gtest/gtest.h>

#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

using access::Action;
using nlohmann::json;

class KeyRotationTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    rotation_ = std::make_unique<KeyRotation>(*store_, *keys_, audit_, clock_);
    Declare("c");
  }
  void Put(const std::string& id) {
    ASSERT_TRUE(records_
                    ->Put(Permit(admin_, Action::kRecordsWrite, "c"), "c", id, json{{"id", id}}, {},
                          nullptr)
                    .ok());
  }
  std::int64_t KeyVersionOf(const std::string& id) {
    auto tx = *store_->BeginRead();
    return *(*tx->Query("SELECT key_version FROM vault_records WHERE id = ?",
                        {storage::Text(id)}))[0]
                .GetInt(0);
  }
  KeyStatus Status() {
    auto s = rotation_->Status(Permit(admin_, Action::kKeysRead, std::nullopt));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : KeyStatus{};
  }
  const audit::Actor kSystem{"key-rotation", "system", "local", ""};
  std::unique_ptr<KeyRotation> rotation_;
};

TEST_F(KeyRotationTest, NewWritesUseTheNewVersionAtOnceAndOldDataStillOpens) {
  Put("old");
  auto v = rotation_->Rotate(Permit(admin_, Action::kKeysRotate, std::nullopt));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 2u);
  Put("new");
  EXPECT_EQ(KeyVersionOf("old"), 1);
  EXPECT_EQ(KeyVersionOf("new"), 2);
  EXPECT_TRUE(records_->Get(Permit(admin_, Action::kRecordsRead, "c"), "c", "old", nullptr).ok());
  const KeyStatus s = Status();
  EXPECT_EQ(s.current_version, 2u);
  ASSERT_EQ(s.versions.size(), 2u);
  EXPECT_EQ(s.versions[0].records, 1u);
  EXPECT_EQ(s.versions[1].records, 1u);
  const auto rotated = audit_.With("keys.rotate");
  ASSERT_EQ(rotated.size(), 1u);
  EXPECT_EQ(rotated[0].details.at("to_version"), "2");
  EXPECT_EQ(rotated[0].tenant_id, tenant_.id.value());
}

TEST_F(KeyRotationTest, TheBackgroundJobReencryptsInBatchesThenRetiresTheOldVersion) {
  for (int i = 0; i < 5; ++i) Put("r" + std::to_string(i));
  base::Bytes v1_ciphertext;
  {
    auto tx = *store_->BeginRead();
    v1_ciphertext =
        *(*tx->Query("SELECT ciphertext FROM vault_records WHERE id = 'r0'"))[0].GetBlob(0);
  }
  ASSERT_TRUE(rotation_->Rotate(Permit(admin_, Action::kKeysRotate, std::nullopt)).ok());
  auto first = rotation_->RunOnce(kSystem, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->reencrypted, 2u);
  EXPECT_FALSE(first->done);
  EXPECT_EQ(Status().versions[0].records, 3u);

  // A restart: a new job over the same store and a reopened key ring carries on.
  auto ring = *crypto::KeyRing::Open(root_.Clone(), *key_store_, clock_);
  TenantKeys keys(*ring);
  KeyRotation after_restart(*store_, keys, audit_, clock_);
  ReencryptProgress p;
  for (int runs = 0; runs < 5; ++runs) {
    p = *after_restart.RunOnce(kSystem, 2);
    if (p.done) break;
  }
  EXPECT_TRUE(p.done);
  EXPECT_EQ(*ring->Versions(*ring->FindKey(DataKeyPurpose(tenant_.id))),
            (std::vector<std::uint32_t>{2}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(KeyVersionOf("r" + std::to_string(i)), 2);
  // Every record still reads back, and the retired version opens nothing any more.
  Records reopened(*store_, keys, audit_, clock_);
  for (int i = 0; i < 5; ++i) {
    auto r = reopened.Get(Permit(admin_, Action::kRecordsRead, "c"), "c", "r" + std::to_string(i),
                          nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->data["id"], "r" + std::to_string(i));
  }
  EXPECT_EQ(ring->Open(RecordAad(tenant_.id, "c", "r0", 1), v1_ciphertext).status().code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(audit_.With("keys.retire").size(), 1u);
  EXPECT_GE(audit_.With("records.reencrypt").size(), 3u);
}

TEST_F(KeyRotationTest, ATenantWithNothingWrittenHasNoKeyYet) {
  const identity::Tenant fresh = AddTenant("Fresh");
  const identity::User fresh_admin =
      AddUser("fresh-admin", identity::Role::kClientAdmin, fresh.id).user;
  auto s = rotation_->Status(Permit(fresh_admin, Action::kKeysRead, std::nullopt));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->key_id, 0u);
  EXPECT_TRUE(s->versions.empty());
  EXPECT_TRUE(rotation_->RunOnce(kSystem)->done);
}

}  // namespace
}  // namespace strongroom::vault
