#include "strongroom/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::audit {
namespace {

using base::ErrorCode;

using testing::NaiveRoot;
using testing::TestCheckpointKey;

Event MakeTestEvent(int i, std::string tenant = "") {
  Event e;
  e.time = base::FromUnixMillis(1'790'000'000'000 + i * 1000);
  e.actor_id = "usr_" + std::to_string(i % 7);
  e.actor_role = "service";
  e.tenant_id = std::move(tenant);
  e.action = "records.read";
  e.resource = "record:" + std::to_string(i);
  e.outcome = i % 5 == 0 ? Outcome::kDenied : Outcome::kAllowed;
  e.reason = i % 5 == 0 ? "no_grant" : "via_grant";
  e.source_address = "192.0.2.1";
  e.request_id = "req-" + std::to_string(i);
  e.details["n"] = std::to_string(i);
  return e;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void OpenStore() {
    auto store = OpenAuditStore(temp_ / "audit.db", clock_);
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(*store);
  }
  base::Result<std::unique_ptr<AuditLog>> OpenLog(AuditLogOptions options = {}) {
    return AuditLog::Open(*store_, TestCheckpointKey(), checkpoints_, clock_, std::move(options));
  }
  void SetUp() override {
    OpenStore();
    auto log = OpenLog();
    ASSERT_TRUE(log.ok()) << log.error().message();
    log_ = std::move(*log);
  }
  void CloseAll() {
    if (log_) {
      ASSERT_TRUE(log_->Close().ok());
    }
    log_.reset();
    if (store_) {
      ASSERT_TRUE(store_->Close().ok());
    }
    store_.reset();
  }
  void Reopen() {
    CloseAll();
    OpenStore();
    auto log = OpenLog();
    ASSERT_TRUE(log.ok()) << log.error().message();
    log_ = std::move(*log);
  }
  std::vector<Hash> AllLeafHashes() {
    std::vector<Hash> leaves;
    for (std::uint64_t from = 0;;) {
      EventQuery q;
      q.from_seq = from;
      q.limit = 1000;
      auto page = log_->Events(q);
      EXPECT_TRUE(page.ok());
      for (const auto& e : page->events) leaves.push_back(LeafHashOf(e));
      if (!page->next_seq) break;
      from = *page->next_seq;
    }
    return leaves;
  }

  std::map<std::string, crypto::Ed25519PublicKey> Keys() {
    return {{KeyIdOf(TestCheckpointKey().public_key()), TestCheckpointKey().public_key()}};
  }

  base::testing::FakeClock clock_;
  const base::testing::ScopedTempDir temp_;
  const std::filesystem::path checkpoints_ = temp_ / "audit-checkpoints.jsonl";
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, EventsAreStoredInOrderWithEveryFieldAndNothingElse) {
  ASSERT_TRUE(log_->Record(MakeTestEvent(1, "ten_a")).ok());
  ASSERT_TRUE(log_->Record(MakeTestEvent(5)).ok());
  EXPECT_EQ(log_->size(), 2u);
  const auto first = log_->EventAt(0);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->seq, 0u);
  EXPECT_EQ(first->time, "2026-09-21T14:13:21.000Z");
  EXPECT_EQ(first->actor_id, "usr_1");
  EXPECT_EQ(first->tenant_id, "ten_a");
  EXPECT_EQ(first->action, "records.read");
  EXPECT_EQ(first->resource, "record:1");
  EXPECT_EQ(first->outcome, "allowed");
  EXPECT_EQ(first->reason, "via_grant");
  EXPECT_EQ(first->source_address, "192.0.2.1");
  EXPECT_EQ(first->request_id, "req-1");
  EXPECT_EQ(first->details, R"({"n":"1"})");
  EXPECT_EQ(log_->EventAt(1)->outcome, "denied");
  EXPECT_EQ(log_->EventAt(2).error().code(), ErrorCode::kNotFound);
}

TEST_F(AuditLogTest, LeafEncodingIsFixedAndCoversEveryField) {
  const StoredEvent e = ToStored(3, MakeTestEvent(1, "ten_a"));
  const base::Bytes data = LeafData(e);
  ASSERT_GE(data.size(), 9u);
  EXPECT_EQ(data[0], 0x01);
  EXPECT_EQ(data[8], 3);    // seq, big-endian.
  EXPECT_EQ(data[12], 24);  // The length of the time, "2026-09-21T14:13:21.000Z".
  // Changing any single field, or the position, changes the leaf.
  const Hash leaf = LeafHashOf(e);
  for (int field = 0; field < 12; ++field) {
    StoredEvent changed = e;
    std::string* fields[] = {&changed.time,       &changed.actor_id, &changed.actor_role,
                             &changed.tenant_id,  &changed.action,   &changed.resource,
                             &changed.outcome,    &changed.reason,   &changed.source_address,
                             &changed.request_id, &changed.details};
    if (field == 11) {
      changed.seq = 4;
    } else {
      *fields[field] += "x";
    }
    EXPECT_NE(LeafHashOf(changed), leaf) << field;
  }
  // Moving a byte between adjacent fields changes the leaf too (lengths are encoded).
  StoredEvent shifted = e;
  shifted.actor_id = "usr_1s";
  shifted.actor_role = "ervice";
  EXPECT_NE(LeafHashOf(shifted), leaf);
}

TEST_F(AuditLogTest, RootsAndProofsMatchTheTreeOfTheStoredEvents) {
  // Over 256 events, so the stored level-8 nodes are used.
  std::vector<SignedCheckpoint> checkpoints;
  for (int i = 0; i < 700; ++i) {
    ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
    if (i % 97 == 0) checkpoints.push_back(*log_->Checkpoint());
  }
  checkpoints.push_back(*log_->Checkpoint());
  const auto leaves = AllLeafHashes();
  ASSERT_EQ(leaves.size(), 700u);
  for (const auto& c : checkpoints) {
    EXPECT_EQ(c.root, NaiveRoot(leaves, 0, c.tree_size)) << c.tree_size;
    EXPECT_EQ(*log_->RootAt(c.tree_size), c.root);
    EXPECT_TRUE(VerifyCheckpointSignature(c, Keys()));
  }
  const SignedCheckpoint& last = checkpoints.back();
  for (std::uint64_t seq : {0u, 1u, 255u, 256u, 257u, 511u, 512u, 699u}) {
    const auto proof = log_->InclusionProof(seq, last.tree_size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(VerifyInclusion(seq, last.tree_size, leaves[seq], *proof, last.root)) << seq;
  }
  for (std::size_t i = 0; i + 1 < checkpoints.size(); ++i) {
    const auto& a = checkpoints[i];
    const auto proof = log_->ConsistencyProof(a.tree_size, last.tree_size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(VerifyConsistency(a.tree_size, last.tree_size, *proof, a.root, last.root))
        << a.tree_size;
  }
  EXPECT_EQ(log_->InclusionProof(700, 700).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log_->InclusionProof(1, 701).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(log_->ConsistencyProof(10, 5).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(AuditLogTest, ConcurrentWritersAllGetDistinctContiguousPositions) {
  constexpr int kThreads = 64, kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log_->Record(MakeTestEvent(t * 1000 + i)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log_->size(), std::uint64_t{kThreads * kEach});
  std::set<std::string> requests;
  std::uint64_t expected = 0;
  for (std::uint64_t from = 0;;) {
    EventQuery q;
    q.from_seq = from;
    q.limit = 1000;
    const auto page = *log_->Events(q);
    for (const auto& e : page.events) {
      EXPECT_EQ(e.seq, expected++);
      requests.insert(e.request_id);
    }
    if (!page.next_seq) break;
    from = *page.next_seq;
  }
  EXPECT_EQ(requests.size(), std::size_t{kThreads * kEach});
}

TEST_F(AuditLogTest, TwoProcessesAppendingToOneLogKeepOneTree) {
  // A CLI command appends while the server runs: a second store connection and log.
  auto other_store = *OpenAuditStore(temp_ / "audit.db", clock_, /*create=*/false);
  auto other = *AuditLog::Open(*other_store, TestCheckpointKey(), checkpoints_, clock_);
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE((i % 3 == 0 ? other : log_)->Record(MakeTestEvent(i)).ok()) << i;
  }
  const auto from_other = *other->Checkpoint();
  ASSERT_TRUE(other->Close().ok());
  ASSERT_TRUE(other_store->Close().ok());
  EXPECT_EQ(from_other.tree_size, 300u);
  const auto leaves = AllLeafHashes();
  ASSERT_EQ(leaves.size(), 300u);
  EXPECT_EQ(from_other.root, NaiveRoot(leaves, 0, 300));
  ASSERT_TRUE(log_->Record(MakeTestEvent(300)).ok());
  const auto mine = *log_->Checkpoint();
  EXPECT_EQ(mine.tree_size, 301u);
  EXPECT_EQ(mine.root, NaiveRoot(AllLeafHashes(), 0, 301));
  Reopen();  // Both processes' checkpoints agree with the store.
}

TEST_F(AuditLogTest, ReopeningContinuesTheSameTree) {
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  Reopen();
  EXPECT_EQ(log_->size(), 300u);
  for (int i = 300; i < 520; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  const auto c = *log_->Checkpoint();
  EXPECT_EQ(c.tree_size, 520u);
  EXPECT_EQ(c.root, NaiveRoot(AllLeafHashes(), 0, 520));
}

TEST_F(AuditLogTest, CheckpointsGoToTheStoreAndTheFileAndOneIsMadeAtClose) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  const auto first = *log_->Checkpoint();
  EXPECT_EQ(first.tree_size, 5u);
  EXPECT_EQ(*log_->Checkpoint(), first);  // Nothing new: the same checkpoint.
  ASSERT_TRUE(log_->Record(MakeTestEvent(5)).ok());
  CloseAll();
  const auto filed = CheckpointFile::ReadAll(checkpoints_);
  ASSERT_TRUE(filed.ok());
  ASSERT_EQ(filed->size(), 2u);
  EXPECT_EQ((*filed)[0], first);
  EXPECT_EQ((*filed)[1].tree_size, 6u);  // Made at close.
  for (const auto& c : *filed) EXPECT_TRUE(VerifyCheckpointSignature(c, Keys()));
  auto tampered = (*filed)[1];
  tampered.tree_size = 7;
  EXPECT_FALSE(VerifyCheckpointSignature(tampered, Keys()));
  EXPECT_FALSE(VerifyCheckpointSignature((*filed)[1], {}));
}

TEST_F(AuditLogTest, CheckpointsOnRequestAreSpacedWhenAsked) {
  CloseAll();
  OpenStore();
  AuditLogOptions options;
  options.min_checkpoint_spacing = std::chrono::seconds(1);
  log_ = std::move(*OpenLog(options));
  ASSERT_TRUE(log_->Record(MakeTestEvent(1)).ok());
  const auto first = *log_->Checkpoint();  // None yet: made at once.
  EXPECT_EQ(first.tree_size, 1u);
  ASSERT_TRUE(log_->Record(MakeTestEvent(2)).ok());
  EXPECT_EQ(*log_->Checkpoint(), first);  // Too soon: the newest is returned.
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(log_->Checkpoint()->tree_size, 2u);
}

TEST_F(AuditLogTest, CheckpointsAreMadePeriodicallyWhileEventsArrive) {
  CloseAll();
  OpenStore();
  AuditLogOptions options;
  options.checkpoint_interval = std::chrono::milliseconds(10'000);
  log_ = std::move(*OpenLog(options));
  ASSERT_TRUE(log_->Record(MakeTestEvent(1)).ok());
  EXPECT_FALSE(log_->LatestCheckpoint()->has_value());
  clock_.Advance(std::chrono::seconds(11));
  // The writer looks at least once a second.
  for (int i = 0; i < 50 && !log_->LatestCheckpoint()->has_value(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(log_->LatestCheckpoint()->has_value());
  EXPECT_EQ((*log_->LatestCheckpoint())->tree_size, 1u);
}

TEST_F(AuditLogTest, FailsClosedWhenTheStoreCannotBeWritten) {
  ASSERT_TRUE(log_->Record(MakeTestEvent(1)).ok());
  ASSERT_TRUE(store_->Close().ok());
  const base::Status s = log_->Record(MakeTestEvent(2));
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("cannot record"), std::string::npos) << s.message();
  (void)log_->Close();
  log_.reset();
  store_.reset();
}

TEST_F(AuditLogTest, RecordAfterCloseIsRefused) {
  ASSERT_TRUE(log_->Close().ok());
  EXPECT_EQ(log_->Record(MakeTestEvent(1)).code(), ErrorCode::kUnavailable);
}

TEST_F(AuditLogTest, RefusesToOpenADatabaseRolledBackBehindTheCheckpointFile) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  CloseAll();
  std::filesystem::copy_file(temp_ / "audit.db", temp_ / "old.db");
  OpenStore();
  log_ = std::move(*OpenLog());
  for (int i = 10; i < 20; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  CloseAll();
  std::filesystem::copy_file(temp_ / "old.db", temp_ / "audit.db",
                             std::filesystem::copy_options::overwrite_existing);
  OpenStore();
  const auto reopened = OpenLog();
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(reopened.error().message().find("rolled back"), std::string::npos);
}

TEST_F(AuditLogTest, RefusesToOpenALogModifiedUnderItsCheckpoint) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  CloseAll();
  OpenStore();
  {
    auto tx = *store_->BeginWrite();
    // A rewritten event with a recomputed leaf hash still changes the root.
    StoredEvent forged = ToStored(9, MakeTestEvent(9));
    forged.action = "records.list";
    ASSERT_TRUE(tx->Execute("UPDATE audit_events SET action = ?, leaf_hash = ? WHERE seq = 9",
                            {storage::Text(forged.action), storage::Blob(LeafHashOf(forged))})
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  const auto reopened = OpenLog();
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::kDataLoss);
}

TEST_F(AuditLogTest, AStoredCheckpointMissingFromTheFileIsAppendedAtOpen) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log_->Record(MakeTestEvent(i)).ok());
  CloseAll();
  std::filesystem::resize_file(checkpoints_, 0);  // As if the process stopped before the file.
  OpenStore();
  log_ = std::move(*OpenLog());
  const auto filed = *CheckpointFile::ReadAll(checkpoints_);
  ASSERT_EQ(filed.size(), 1u);
  EXPECT_EQ(filed[0].tree_size, 3u);
}

TEST_F(AuditLogTest, QueriesFilterByTenantAndTimeAndPage) {
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(log_->Record(MakeTestEvent(i, i % 3 == 0 ? "ten_a" : "ten_b")).ok());
  }
  EventQuery q;
  q.tenant_id = "ten_a";
  q.limit = 4;
  auto page = *log_->Events(q);
  ASSERT_EQ(page.events.size(), 4u);
  for (const auto& e : page.events) EXPECT_EQ(e.tenant_id, "ten_a");
  ASSERT_TRUE(page.next_seq.has_value());
  EXPECT_EQ(*page.next_seq, 12u);
  q.from_seq = *page.next_seq;
  q.limit = 100;
  page = *log_->Events(q);
  EXPECT_EQ(page.events.size(), 6u);
  EXPECT_FALSE(page.next_seq.has_value());

  EventQuery since;
  since.since = "2026-09-21T14:13:40+00:00";  // Events 20 onwards.
  page = *log_->Events(since);
  ASSERT_EQ(page.events.size(), 10u);
  EXPECT_EQ(page.events[0].seq, 20u);
  since.since = "yesterday";
  EXPECT_EQ(log_->Events(since).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace strongroom::audit
