#include "strongroom/backup/keys.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;

class TenantKeyEscrowTest : public ::testing::Test {
 protected:
  TenantKeyEscrowTest() : keys_(*DeriveBackupKeys(crypto::GenerateRootKey())) {}
  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_;
  BackupKeys keys_;
};

TEST_F(TenantKeyEscrowTest, AKeyIsMadeOnceCopiedWhereMissingAndNeverReplaced) {
  TenantKeyEscrow escrow(keys_.wrapping, clock_);
  const fs::path a = temp_.path() / "a", b = temp_.path() / "b";
  auto first = escrow.Ensure({a}, "ten_1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 1u);
  auto both = escrow.Ensure({b, a}, "ten_1");
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 1u);  // b got a's key.
  EXPECT_EQ((*both)[0].fingerprint, (*first)[0].fingerprint);
  EXPECT_EQ(escrow.Fingerprint(*escrow.Load(b, "ten_1")), (*first)[0].fingerprint);
  EXPECT_EQ(escrow.Load(a, "ten_2").status().code(), base::ErrorCode::kNotFound);
  // Another root key does not open it.
  TenantKeyEscrow other((*DeriveBackupKeys(crypto::GenerateRootKey())).wrapping, clock_);
  EXPECT_EQ(other.Load(a, "ten_1").status().code(), base::ErrorCode::kDataLoss);
}

TEST_F(TenantKeyEscrowTest, DestinationsWithDifferentKeysEachKeepTheirsAndAllAreReturned) {
  TenantKeyEscrow escrow(keys_.wrapping, clock_);
  const fs::path a = temp_.path() / "a", b = temp_.path() / "b";
  const std::string ka = (*escrow.Ensure({a}, "ten_1"))[0].fingerprint;
  const std::string kb = (*escrow.Ensure({b}, "ten_1"))[0].fingerprint;
  EXPECT_NE(ka, kb);
  auto both = escrow.Ensure({a, b}, "ten_1");
  ASSERT_TRUE(both.ok());
  std::set<std::string> got;
  for (const auto& k : *both) got.insert(k.fingerprint);
  EXPECT_EQ(got, (std::set<std::string>{ka, kb}));
}

// Two backups at once (the server's scheduler and an operator's CLI), listing the destinations in
// opposite orders, for many new tenants: every destination ends with one key, and each caller's
// keys include the key every one of its destinations holds, so each backup opens from each.
TEST_F(TenantKeyEscrowTest, ConcurrentCallersNeverLoseAKeyTheyUsed) {
  const fs::path a = temp_.path() / "a", b = temp_.path() / "b";
  for (int t = 0; t < 40; ++t) {
    const std::string tenant = "ten_" + std::to_string(t);
    std::vector<std::set<std::string>> used(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        TenantKeyEscrow escrow(keys_.wrapping, clock_);
        auto keys = i == 0 ? escrow.Ensure({a, b}, tenant) : escrow.Ensure({b, a}, tenant);
        ASSERT_TRUE(keys.ok()) << keys.status().ToString();
        for (const auto& k : *keys) used[static_cast<std::size_t>(i)].insert(k.fingerprint);
      });
    }
    for (auto& th : threads) th.join();
    TenantKeyEscrow escrow(keys_.wrapping, clock_);
    for (const fs::path& d : {a, b}) {
      const std::string on_disk = escrow.Fingerprint(*escrow.Load(d, tenant));
      EXPECT_TRUE(used[0].contains(on_disk)) << tenant << " " << d;
      EXPECT_TRUE(used[1].contains(on_disk)) << tenant << " " << d;
    }
  }
}

TEST_F(TenantKeyEscrowTest, DestroyOverwritesRemovesAndRecordsTheShredEverywhere) {
  TenantKeyEscrow escrow(keys_.wrapping, clock_);
  const fs::path a = temp_.path() / "a", b = temp_.path() / "b";
  ASSERT_TRUE(escrow.Ensure({a, b}, "ten_1").ok());
  ASSERT_TRUE(escrow.Destroy({a, b}, "ten_1", "2026-12-02T10:00:00Z").ok());
  for (const fs::path& d : {a, b}) {
    EXPECT_FALSE(fs::exists(d / "tenant-keys" / "ten_1.key"));
    EXPECT_EQ(escrow.ShreddedAt(d, "ten_1"), std::optional<std::string>("2026-12-02T10:00:00Z"));
  }
  EXPECT_EQ(escrow.Ensure({a}, "ten_1").status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(escrow.Destroy({a, b}, "ten_1", "later").ok());  // Idempotent.
  EXPECT_EQ(escrow.ShreddedAt(a, "ten_1"), std::optional<std::string>("2026-12-02T10:00:00Z"));
  EXPECT_EQ(escrow.Ensure({a}, "../escape").status().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace strongroom::backup
