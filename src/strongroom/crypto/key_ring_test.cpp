#include "strongroom/crypto/key_ring.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/crypto/testing/memory_key_store.hpp"

namespace strongroom::crypto {
namespace {

RootKey CopyOf(const RootKey& k) { return k.Clone(); }

class KeyRingTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyRing> OpenRing(const RootKey& root) {
    auto ring = KeyRing::Open(CopyOf(root), store_, clock_);
    EXPECT_TRUE(ring.ok()) << ring.status().ToString();
    return ring.ok() ? std::move(ring).value() : nullptr;
  }
  base::testing::FakeClock clock_;
  testing::MemoryKeyStore store_;
  RootKey root_ = GenerateRootKey();
};

TEST_F(KeyRingTest, SealsAndOpensAcrossReopen) {
  auto ring = OpenRing(root_);
  const auto id = ring->CreateKey("tenant:a:data");
  ASSERT_TRUE(id.ok());
  const auto ct = ring->Seal(*id, base::AsBytes("aad"), base::AsBytes("record"));
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(ParseCiphertextHeader(*ct)->key, (KeyRef{*id, 1}));

  auto reopened = OpenRing(root_);
  const auto pt = reopened->Open(base::AsBytes("aad"), *ct);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(base::AsChars(*pt), "record");
  EXPECT_EQ(*reopened->Purpose(*id), "tenant:a:data");
}

TEST_F(KeyRingTest, StoresOnlyWrappedKeys) {
  auto ring = OpenRing(root_);
  ASSERT_TRUE(ring->CreateKey("k").ok());
  ASSERT_EQ(store_.keys().size(), 1u);
  const auto& w = store_.keys()[0];
  EXPECT_EQ(w.wrapped.size(), kAes256KeySize + kCiphertextOverhead);
  EXPECT_EQ(ParseCiphertextHeader(w.wrapped)->key, (KeyRef{0, 1}));
}

TEST_F(KeyRingTest, RotationSealsWithTheNewVersionAndOldDataStillOpens) {
  auto ring = OpenRing(root_);
  const auto id = *ring->CreateKey("tenant:a:data");
  const auto old_ct = *ring->Seal(id, {}, base::AsBytes("v1 data"));
  EXPECT_EQ(*ring->RotateKey(id), 2u);
  EXPECT_EQ(ring->Current(id)->version, 2u);
  const auto new_ct = *ring->Seal(id, {}, base::AsBytes("v2 data"));
  EXPECT_EQ(ParseCiphertextHeader(new_ct)->key.version, 2u);

  auto reopened = OpenRing(root_);
  EXPECT_EQ(base::AsChars(*reopened->Open({}, old_ct)), "v1 data");
  EXPECT_EQ(base::AsChars(*reopened->Open({}, new_ct)), "v2 data");
  EXPECT_EQ(reopened->Current(id)->version, 2u);
  EXPECT_EQ(reopened->RotateKey(12345).status().code(), base::ErrorCode::kNotFound);
}

TEST_F(KeyRingTest, AWrongRootKeyIsRefused) {
  ASSERT_TRUE(OpenRing(root_)->CreateKey("k").ok());
  const auto r = KeyRing::Open(GenerateRootKey(), store_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("does not belong to this data directory"), std::string::npos);
}

TEST_F(KeyRingTest, AWrappedKeyMovedToAnotherIdOrPurposeDoesNotUnwrap) {
  auto ring = OpenRing(root_);
  ASSERT_TRUE(ring->CreateKey("tenant:a:data").ok());
  ASSERT_TRUE(ring->CreateKey("tenant:b:data").ok());
  // Swap the wrapped bytes of the two keys, as someone editing the database might.
  std::swap(store_.keys()[0].wrapped, store_.keys()[1].wrapped);
  EXPECT_EQ(KeyRing::Open(CopyOf(root_), store_, clock_).status().code(),
            base::ErrorCode::kFailedPrecondition);
  std::swap(store_.keys()[0].wrapped, store_.keys()[1].wrapped);
  store_.keys()[0].purpose = "tenant:b:data";
  EXPECT_FALSE(KeyRing::Open(CopyOf(root_), store_, clock_).ok());
}

TEST_F(KeyRingTest, CiphertextOfOneKeyNeverOpensUnderAnother) {
  auto ring = OpenRing(root_);
  const auto a = *ring->CreateKey("tenant:a:data");
  const auto b = *ring->CreateKey("tenant:b:data");
  base::Bytes ct = *ring->Seal(a, base::AsBytes("tenant=a"), base::AsBytes("a's record"));
  // Rewrite the header to name tenant b's key: the header is authenticated and b's key differs.
  const KeyRef b_ref = *ring->Current(b);
  for (int i = 0; i < 8; ++i) ct[1 + i] = static_cast<std::uint8_t>(b_ref.key_id >> (56 - 8 * i));
  const auto r = ring->Open(base::AsBytes("tenant=a"), ct);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), base::ErrorCode::kDataLoss);
}

TEST_F(KeyRingTest, FindOrCreateKeyCreatesOnceAndThenFinds) {
  auto ring = OpenRing(root_);
  const auto first = ring->FindOrCreateKey("identity");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*ring->FindOrCreateKey("identity"), *first);
  EXPECT_EQ(*OpenRing(root_)->FindOrCreateKey("identity"), *first);
  EXPECT_NE(*ring->FindOrCreateKey("other"), *first);
  EXPECT_EQ(store_.keys().size(), 2u);
}

TEST_F(KeyRingTest, ConcurrentFindOrCreateKeyMakesOneKey) {
  auto ring = OpenRing(root_);
  std::vector<std::uint64_t> ids(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&ring, &ids, i] { ids[i] = *ring->FindOrCreateKey("tenant:t:data"); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), 1u);
  EXPECT_EQ(store_.keys().size(), 1u);
}

TEST_F(KeyRingTest, ARetiredVersionIsGoneFromTheStoreAndOpensNothing) {
  auto ring = OpenRing(root_);
  const auto id = *ring->CreateKey("tenant:a:data");
  const auto old_ct = *ring->Seal(id, {}, base::AsBytes("v1 data"));
  ASSERT_EQ(*ring->RotateKey(id), 2u);
  const auto new_ct = *ring->Seal(id, {}, base::AsBytes("v2 data"));

  EXPECT_EQ(ring->RetireVersion({id, 2}).code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ring->RetireVersion({id, 7}).code(), base::ErrorCode::kNotFound);
  ASSERT_TRUE(ring->RetireVersion({id, 1}).ok());
  EXPECT_EQ(*ring->Versions(id), (std::vector<std::uint32_t>{2}));
  ASSERT_EQ(store_.keys().size(), 1u);
  EXPECT_EQ(store_.keys()[0].version, 2u);
  EXPECT_EQ(ring->Open({}, old_ct).status().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(base::AsChars(*ring->Open({}, new_ct)), "v2 data");
  EXPECT_EQ(OpenRing(root_)->Open({}, old_ct).status().code(), base::ErrorCode::kNotFound);
}

TEST_F(KeyRingTest, ADestroyedKeyOpensNothingEvenAfterReopen) {
  auto ring = OpenRing(root_);
  const auto id = *ring->CreateKey("tenant:a:data");
  const auto keep = *ring->CreateKey("tenant:b:data");
  const auto ct = *ring->Seal(id, {}, base::AsBytes("secret"));
  ASSERT_EQ(*ring->RotateKey(id), 2u);
  ASSERT_TRUE(ring->DestroyKey(id).ok());
  EXPECT_TRUE(ring->DestroyKey(id).ok());  // Idempotent.
  EXPECT_EQ(ring->Open({}, ct).status().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(ring->Seal(id, {}, base::AsBytes("x")).status().code(), base::ErrorCode::kNotFound);
  EXPECT_EQ(ring->FindKey("tenant:a:data").status().code(), base::ErrorCode::kNotFound);
  ASSERT_EQ(store_.keys().size(), 1u);
  EXPECT_EQ(store_.keys()[0].key_id, keep);
  EXPECT_EQ(OpenRing(root_)->Open({}, ct).status().code(), base::ErrorCode::kNotFound);
}

TEST_F(KeyRingTest, SubkeysAreDeterministicAndSeparatedByInfo) {
  auto ring = OpenRing(root_);
  const auto id = *ring->CreateKey("k");
  const KeyRef ref = *ring->Current(id);
  const auto a1 = ring->DeriveSubkey(ref, "blind-index");
  const auto a2 = OpenRing(root_)->DeriveSubkey(ref, "blind-index");
  const auto b = ring->DeriveSubkey(ref, "other");
  EXPECT_EQ(a1->Reveal(), a2->Reveal());
  EXPECT_NE(a1->Reveal(), b->Reveal());
  EXPECT_EQ(ring->DeriveSubkey(KeyRef{id, 9}, "x").status().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::crypto
