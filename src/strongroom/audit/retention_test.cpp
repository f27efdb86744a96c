#include "strongroom/audit/retention.hpp"

#include <gtest/gtest.h>

#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/merkle.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::audit {
namespace {

using base::ErrorCode;
using std::chrono::days;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { CloseAll(); }
  void Open() {
    store_ = std::move(OpenAuditStore(temp_ / "audit.db", clock_)).value();
    log_ = std::move(AuditLog::Open(*store_, testing::TestCheckpointKey(),
                                    temp_ / "checkpoints.jsonl", clock_))
               .value();
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
  // `n` events at `age` before the fake clock's now.
  void RecordAt(int n, base::Duration age) {
    for (int i = 0; i < n; ++i) {
      Event e = MakeEvent(Actor{"usr_a", "service", "198.51.100.7", "req"}, clock_.Now() - age,
                          "records.read", "record:r" + std::to_string(i), Outcome::kAllowed,
                          "via_grant", "ten_a");
      e.details["who"] = "someone@example.com";
      ASSERT_TRUE(log_->Record(e).ok());
    }
  }
  VerifyReport Verify() {
    const std::map<std::string, crypto::Ed25519PublicKey> keys{
        {KeyIdOf(testing::TestCheckpointKey().public_key()),
         testing::TestCheckpointKey().public_key()}};
    auto r = VerifyAuditLog(*store_, temp_ / "checkpoints.jsonl", keys);
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : VerifyReport{};
  }
  const Actor kOperator{"cli:root", "operator", "local", "cli-1"};

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_{base::FromUnixMillis(1'800'000'000'000)};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(RetentionTest, KeepsSevenYearsByDefault) {
  EXPECT_EQ(*RetentionDays(*store_), 2557);
  RecordAt(3, days(2556));  // A day short of seven years: kept.
  auto r = PruneExpired(*log_, *store_, kOperator, clock_.Now());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->pruned, 0u);
  EXPECT_FALSE(r->through_seq.has_value());
  EXPECT_EQ(log_->size(), 3u);  // Nothing to prune: nothing recorded either.
}

TEST_F(RetentionTest, EmptiesOnlyExpiredEventsAndTheLogStillVerifies) {
  RecordAt(10, days(2600));  // Older than seven years.
  RecordAt(5, days(1));
  ASSERT_TRUE(log_->Checkpoint().ok());
  const Hash root_before = *log_->RootAt(15);
  auto r = PruneExpired(*log_, *store_, kOperator, clock_.Now());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->pruned, 10u);
  EXPECT_EQ(r->through_seq, 9u);

  const auto old = *log_->EventAt(3);
  EXPECT_TRUE(old.pruned);
  EXPECT_EQ(old.action, "records.read");
  EXPECT_EQ(old.outcome, "allowed");
  EXPECT_TRUE(old.actor_id.empty());
  EXPECT_TRUE(old.resource.empty());
  EXPECT_EQ(old.details, "{}");
  const auto young = *log_->EventAt(12);
  EXPECT_FALSE(young.pruned);
  EXPECT_EQ(young.actor_id, "usr_a");
  const auto recorded = *log_->EventAt(15);
  EXPECT_EQ(recorded.action, "audit.prune");
  EXPECT_EQ(recorded.actor_id, "cli:root");

  // The tree is the same tree: roots and proofs still hold for pruned events.
  EXPECT_EQ(*log_->RootAt(15), root_before);
  const auto proof = *log_->InclusionProof(3, 15);
  EXPECT_TRUE(VerifyInclusion(3, 15, LeafOf(old), proof, root_before));
  EXPECT_EQ(PruneExpired(*log_, *store_, kOperator, clock_.Now())->pruned, 0u);  // Done once.

  CloseAll();
  Open();
  const VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
}

TEST_F(RetentionTest, AnEventEmptiedOutsideAPruningIsReported) {
  RecordAt(10, days(2600));
  RecordAt(5, days(1));
  ASSERT_TRUE(PruneExpired(*log_, *store_, kOperator, clock_.Now()).ok());
  CloseAll();
  Open();
  {  // Someone hides a recent event by making it look pruned; its leaf hash is left alone.
    auto tx = *store_->BeginWrite();
    ASSERT_TRUE(tx->Execute("UPDATE audit_events SET actor_id = '', resource = '', pruned = 1 "
                            "WHERE seq = 12")
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok());
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, 12u);
  EXPECT_NE(report.problems.front().find("no recorded pruning"), std::string::npos)
      << report.problems.front();
}

TEST_F(RetentionTest, RetentionIsConfigurableWithinBoundsAndAudited) {
  const auto bad = SetRetentionDays(*log_, *store_, kOperator, 30, clock_.Now());
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("from 365"), std::string::npos);
  EXPECT_EQ(log_->size(), 0u);  // Refused: nothing recorded, nothing changed.
  ASSERT_TRUE(SetRetentionDays(*log_, *store_, kOperator, 400, clock_.Now()).ok());
  EXPECT_EQ(*RetentionDays(*store_), 400);
  const auto set = *log_->EventAt(0);
  EXPECT_EQ(set.action, "audit.retention.set");
  EXPECT_NE(set.details.find("\"new_days\":\"400\""), std::string::npos) << set.details;
  EXPECT_NE(set.details.find("\"old_days\":\"2557\""), std::string::npos) << set.details;

  // Pruned under one retention, the events stay legitimately pruned when it is raised again.
  RecordAt(4, days(500));
  RecordAt(1, days(10));
  EXPECT_EQ(PruneExpired(*log_, *store_, kOperator, clock_.Now())->pruned, 4u);
  ASSERT_TRUE(SetRetentionDays(*log_, *store_, kOperator, 2557, clock_.Now()).ok());
  EXPECT_FALSE(log_->EventAt(0)->pruned);  // The log's own retention events are kept whole.
  CloseAll();
  Open();
  EXPECT_TRUE(Verify().ok());
}

}  // namespace
}  // namespace strongroom::audit
