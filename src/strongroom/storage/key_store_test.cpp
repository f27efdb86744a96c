#include "strongroom/storage/key_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::storage {
namespace {

class SqlKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = temp_ / "store.db";
    options_.create = true;
  }

  base::testing::ScopedTempDir temp_;
  SqliteOptions options_;
  base::testing::FakeClock clock_;
};

TEST_F(SqlKeyStoreTest, KeysSurviveReopeningTheStoreAndOldVersionsStillOpen) {
  const crypto::RootKey root = crypto::GenerateRootKey();
  base::Bytes ct_v1, ct_v2;
  std::uint64_t id = 0;
  {
    auto store = *OpenSqliteStore(options_, clock_);
    SqlKeyStore keys(*store);
    auto ring = *crypto::KeyRing::Open(root.Clone(), keys, clock_);
    id = *ring->CreateKey("tenant:t1:data");
    ct_v1 = *ring->Seal(id, base::AsBytes("aad"), base::AsBytes("one"));
    ASSERT_TRUE(ring->RotateKey(id).ok());
    ct_v2 = *ring->Seal(id, base::AsBytes("aad"), base::AsBytes("two"));
    ASSERT_TRUE(store->Close().ok());
  }
  options_.create = false;
  auto store = *OpenSqliteStore(options_, clock_);
  SqlKeyStore keys(*store);
  auto ring = crypto::KeyRing::Open(root.Clone(), keys, clock_);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(base::AsChars(*(*ring)->Open(base::AsBytes("aad"), ct_v1)), "one");
  EXPECT_EQ(base::AsChars(*(*ring)->Open(base::AsBytes("aad"), ct_v2)), "two");
  EXPECT_EQ((*ring)->Current(id)->version, 2u);
  // A different root key cannot open this store's keys.
  EXPECT_EQ(crypto::KeyRing::Open(crypto::GenerateRootKey(), keys, clock_).status().code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(SqlKeyStoreTest, TheDatabaseFileHoldsNoDataKeyInTheClear) {
  const crypto::RootKey root = crypto::GenerateRootKey();
  auto store = *OpenSqliteStore(options_, clock_);
  SqlKeyStore keys(*store);
  auto ring = *crypto::KeyRing::Open(root.Clone(), keys, clock_);
  ASSERT_TRUE(ring->CreateKey("tenant:t1:data").ok());
  const auto wrapped = *keys.LoadWrappedKeys();
  ASSERT_TRUE(store->Close().ok());
  ASSERT_EQ(wrapped.size(), 1u);

  // Unwrap independently of the ring, as documented: KEK = HKDF-SHA256(root, no salt,
  // "strongroom/v1/key-wrapping-key"), AES-256-GCM with the wrapping AAD.
  const auto kek_bytes =
      *crypto::HkdfSha256(root.Reveal(), {}, base::AsBytes("strongroom/v1/key-wrapping-key"), 32);
  crypto::Aes256Key kek;
  std::copy(kek_bytes.Reveal().begin(), kek_bytes.Reveal().end(), kek.mutable_value().begin());
  const auto& w = wrapped[0];
  const auto data_key = crypto::AeadOpen(
      kek, crypto::KeyRef{0, 1}, crypto::WrappingAad(w.key_id, w.version, w.purpose), w.wrapped);
  ASSERT_TRUE(data_key.ok()) << data_key.status().ToString();
  ASSERT_EQ(data_key->size(), 32u);

  std::ifstream in(options_.path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(file.size(), 0u);
  EXPECT_EQ(file.find(base::AsChars(*data_key)), std::string::npos);
  EXPECT_NE(file.find(base::AsChars(w.wrapped)), std::string::npos);  // The wrapped form is there.
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(SqlKeyStoreTest, ADestroyedKeyLeavesNoBytesInTheDatabaseOrItsLog) {
  const crypto::RootKey root = crypto::GenerateRootKey();
  auto store = *OpenSqliteStore(options_, clock_);
  SqlKeyStore keys(*store);
  auto ring = *crypto::KeyRing::Open(root.Clone(), keys, clock_);
  const std::uint64_t doomed = *ring->CreateKey("tenant:t1:data");
  ASSERT_TRUE(ring->RotateKey(doomed).ok());
  ASSERT_TRUE(ring->CreateKey("tenant:t2:data").ok());
  std::vector<base::Bytes> wrapped;
  const auto loaded = keys.LoadWrappedKeys();
  ASSERT_TRUE(loaded.ok());
  for (const auto& w : loaded.value()) {
    if (w.key_id == doomed) wrapped.push_back(w.wrapped);
  }
  ASSERT_EQ(wrapped.size(), 2u);
  ASSERT_TRUE(ring->DestroyKey(doomed).ok());
  ASSERT_TRUE(store->Checkpoint().ok());

  EXPECT_EQ(keys.LoadWrappedKeys()->size(), 1u);
  const std::filesystem::path wal = options_.path.string() + "-wal";
  EXPECT_EQ(std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0u, 0u);
  const std::string file = ReadAll(options_.path);
  for (const auto& w : wrapped) {
    EXPECT_EQ(file.find(base::AsChars(w)), std::string::npos);
  }
}

}  // namespace
}  // namespace strongroom::storage
