#include "strongroom/vault/shred.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "strongroom/audit/keys.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"
#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

using access::Action;
using nlohmann::json;

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ShredTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    provider_admin_ = AddUser("ops-admin", identity::Role::kAdmin).user;
    shredder_ = std::make_unique<Shredder>(*store_, *keys_, audit_, clock_,
                                           *audit::CheckpointSigningKey(*ring_), temp_ / "files");
    CollectionSpec spec;
    spec.lookup_fields = {"email"};
    Declare("people", spec);
    for (const char* id : {"p1", "p2"}) {
      ASSERT_TRUE(records_
                      ->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", id,
                            json{{"email", std::string(id) + "@acme.example"}}, {}, nullptr)
                      .ok());
    }
    // A bystander tenant whose data must survive.
    other_ = AddTenant("Globex");
    other_admin_ = AddUser("globex-admin", identity::Role::kClientAdmin, other_.id).user;
    Declare("people", {}, other_admin_);
    ASSERT_TRUE(records_
                    ->Put(Permit(other_admin_, Action::kRecordsWrite, "people"), "people", "g1",
                          json{{"name", "Globex"}}, {}, nullptr)
                    .ok());
  }
  access::Permit ShredPermit() {
    return Permit(provider_admin_, Action::kTenantsShred, std::nullopt, tenant_.id);
  }
  std::vector<base::Bytes> Ciphertexts(const std::string& tenant) {
    auto tx = *store_->BeginRead();
    std::vector<base::Bytes> out;
    const auto rows = *tx->Query("SELECT ciphertext FROM vault_records WHERE tenant_id = ?",
                                 {storage::Text(tenant)});
    for (const auto& row : rows) {
      out.push_back(*row.GetBlob(0));
    }
    return out;
  }

  identity::User provider_admin_, other_admin_;
  identity::Tenant other_;
  std::unique_ptr<Shredder> shredder_;
};

TEST_F(ShredTest, RefusesAnActiveTenantAWrongNameAndALegalHold) {
  auto active = shredder_->Shred(ShredPermit(), "Acme");
  EXPECT_EQ(active.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(active.status().message().find("suspend"), std::string::npos);
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  EXPECT_EQ(shredder_->Shred(ShredPermit(), "acme").status().code(),
            base::ErrorCode::kInvalidArgument);
  const identity::User so = AddUser("so-sam", identity::Role::kSecurityOfficer).user;
  LegalHolds holds(*store_, audit_, clock_);
  const access::Permit manage = Permit(so, Action::kLegalHoldsManage, std::nullopt, tenant_.id);
  const LegalHold hold = *holds.Place(manage, std::nullopt, "Case 4");
  auto held = shredder_->Shred(ShredPermit(), "Acme");
  EXPECT_EQ(held.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(held.status().message().find(hold.id), std::string::npos);
  EXPECT_TRUE(audit_.With("tenants.shred").empty());
  EXPECT_EQ(Ciphertexts(tenant_.id.value()).size(), 2u);  // Nothing was destroyed.
}

TEST_F(ShredTest, DestroysKeysAndDataAndReturnsASignedReceipt) {
  const std::vector<base::Bytes> before = Ciphertexts(tenant_.id.value());
  ASSERT_EQ(before.size(), 2u);
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  auto receipt = shredder_->Shred(ShredPermit(), "Acme");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();

  // The receipt is signed by the instance's audit key and says what was destroyed.
  EXPECT_TRUE(VerifyShredReceipt(*receipt));
  ShredReceipt forged = *receipt;
  forged.receipt.replace(forged.receipt.find("\"records_destroyed\":2"), 21,
                         "\"records_destroyed\":0");
  EXPECT_FALSE(VerifyShredReceipt(forged));
  const json r = json::parse(receipt->receipt);
  EXPECT_EQ(r["tenant_id"], tenant_.id.value());
  EXPECT_EQ(r["records_destroyed"], 2);
  EXPECT_EQ(r["keys_destroyed"].size(), 2u);
  const auto shredded = audit_.With("tenants.shred");
  ASSERT_EQ(shredded.size(), 1u);
  EXPECT_EQ(shredded[0].details.at("signature"), receipt->signature);

  // The keys are gone from memory and from the store; the data is gone from the database.
  EXPECT_EQ(ring_->FindKey(DataKeyPurpose(tenant_.id)).status().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(ring_->FindKey(IndexKeyPurpose(tenant_.id)).status().code(),
            base::ErrorCode::kNotFound);
  auto fresh_ring = *crypto::KeyRing::Open(root_.Clone(), *key_store_, clock_);
  EXPECT_EQ(fresh_ring->FindKey(DataKeyPurpose(tenant_.id)).status().code(),
            base::ErrorCode::kNotFound);
  for (const base::Bytes& ct : before) {
    EXPECT_FALSE(fresh_ring->Open(RecordAad(tenant_.id, "people", "p1", 1), ct).ok());
    EXPECT_FALSE(fresh_ring->Open(RecordAad(tenant_.id, "people", "p2", 1), ct).ok());
  }
  EXPECT_TRUE(Ciphertexts(tenant_.id.value()).empty());
  // Not a byte of the old ciphertexts is left in the database file or its log.
  const std::string db = FileBytes(temp_ / "store.db") + FileBytes(temp_ / "store.db-wal");
  for (const base::Bytes& ct : before) {
    EXPECT_EQ(db.find(std::string(base::AsChars(ct).substr(40, 24))), std::string::npos);
  }

  // The bystander is untouched; the shredded tenant cannot come back.
  EXPECT_TRUE(
      records_->Get(Permit(other_admin_, Action::kRecordsRead, "people"), "people", "g1", nullptr)
          .ok());
  EXPECT_EQ(tenants_->Resume(Operator(), tenant_.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(shredder_->Shred(ShredPermit(), "Acme").status().code(),
            base::ErrorCode::kFailedPrecondition);
}

// What docs/vault.md claims for copies taken before a shred: a copy of the store and its key
// table, opened with the same root key, still opens the tenant's data. Shredding destroys keys
// where the server keeps them; it cannot reach a copy it does not control. (Backups are made
// safe by the backup module, which keeps tenant keys apart and honours the shred register.)
TEST_F(ShredTest, ACopyTakenBeforeTheShredStillOpensWithTheSameRootKey) {
  ASSERT_TRUE(store_->Checkpoint().ok());
  const auto copy = temp_ / "copy.db";
  std::filesystem::copy_file(temp_ / "store.db", copy);
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  ASSERT_TRUE(shredder_->Shred(ShredPermit(), "Acme").ok());

  storage::SqliteOptions options;
  options.path = copy;
  auto copy_store = *storage::OpenSqliteStore(options, clock_);
  storage::SqlKeyStore copy_keys(*copy_store);
  auto copy_ring = *crypto::KeyRing::Open(root_.Clone(), copy_keys, clock_);
  TenantKeys keys(*copy_ring);
  Records records(*copy_store, keys, audit_, clock_);
  auto tx = *copy_store->BeginRead();
  const auto rows = *tx->Query("SELECT ciphertext FROM vault_records WHERE id = 'p1'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(copy_ring->Open(RecordAad(tenant_.id, "people", "p1", 1), *rows[0].GetBlob(0)).ok());
}

}  // namespace
}  // namespace strongroom::vault
