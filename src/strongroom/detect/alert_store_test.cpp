#include "strongroom/detect/alert_store.hpp"

#include <gtest/gtest.h>

#include "strongroom/detect/dispatcher.hpp"
#include "strongroom/detect/testing/detect_fixture.hpp"

namespace strongroom::detect {
namespace {

using base::ErrorCode;

class AlertStoreTest : public testing::DetectFixture {
 protected:
  // Raises `n` alerts directly, one per event position.
  void RaiseAlerts(int n, bool deliver = false, std::string tenant = "") {
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < n; ++i) {
      Hit h{"break_glass", Severity::kCritical,
            "user:usr_so", "summary " + std::to_string(i),
            tenant,        {static_cast<std::uint64_t>(next_)},
            clock_.Now()};
      auto raised = alerts_->Raise(**tx, h, next_++, deliver);
      ASSERT_TRUE(raised.ok()) << raised.error().message();
      EXPECT_TRUE(*raised);
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  audit::Actor Officer() const { return {"usr_so", "security_officer", "192.0.2.5", "req-1"}; }
  std::uint64_t next_ = 0;
};

TEST_F(AlertStoreTest, RaisingTheSameAlertTwiceKeepsOne) {
  RaiseAlerts(1);
  auto tx = store_->BeginWrite();
  Hit h{"break_glass", Severity::kCritical, "user:usr_so", "again", "", {0}, clock_.Now()};
  auto raised = alerts_->Raise(**tx, h, 0, false);
  ASSERT_TRUE(raised.ok());
  EXPECT_FALSE(*raised);
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(alerts_audit_.With("alerts.raise").size(), 1u);
}

TEST_F(AlertStoreTest, ListsNewestFirstInPagesAndFilters) {
  RaiseAlerts(5);
  RaiseAlerts(2, false, "ten_a");
  AlertQuery q;
  q.limit = 3;
  std::vector<std::string> ids;
  for (;;) {
    auto page = alerts_->List(q);
    ASSERT_TRUE(page.ok()) << page.error().message();
    for (const auto& a : page->alerts) ids.push_back(a.id);
    if (!page->next_cursor) break;
    q.cursor = page->next_cursor;
  }
  ASSERT_EQ(ids.size(), 7u);
  EXPECT_EQ(ids.front(), "alr_6_break_glass");
  EXPECT_EQ(ids.back(), "alr_0_break_glass");

  AlertQuery by_tenant;
  by_tenant.tenant_id = "ten_a";
  EXPECT_EQ(alerts_->List(by_tenant)->alerts.size(), 2u);
  AlertQuery bad;
  bad.cursor = "not-a-cursor";
  EXPECT_EQ(alerts_->List(bad).error().code(), ErrorCode::kInvalidArgument);
  bad.cursor.reset();
  bad.limit = 0;
  EXPECT_EQ(alerts_->List(bad).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(AlertStoreTest, AcknowledgesOnceWithANoteAndAuditsIt) {
  RaiseAlerts(1);
  auto acked = alerts_->Acknowledge(Officer(), "alr_0_break_glass", "INC-7: planned exercise");
  ASSERT_TRUE(acked.ok()) << acked.error().message();
  EXPECT_TRUE(acked->acknowledged);
  EXPECT_EQ(acked->acknowledged_by, "usr_so");
  EXPECT_EQ(acked->note, "INC-7: planned exercise");
  const auto events = alerts_audit_.With("alerts.acknowledge");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_id, "usr_so");
  EXPECT_EQ(events[0].resource, "alert:alr_0_break_glass");

  EXPECT_EQ(alerts_->Acknowledge(Officer(), "alr_0_break_glass", std::nullopt).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(alerts_->Acknowledge(Officer(), "alr_9_nope", std::nullopt).error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(
      alerts_->Acknowledge(Officer(), "alr_0_break_glass", std::string(2001, 'x')).error().code(),
      ErrorCode::kInvalidArgument);
  AlertQuery open;
  open.acknowledged = false;
  EXPECT_TRUE(alerts_->List(open)->alerts.empty());
}

TEST_F(AlertStoreTest, AnAcknowledgementThatCannotBeAuditedChangesNothing) {
  RaiseAlerts(1);
  alerts_audit_.set_fail(true);
  EXPECT_FALSE(alerts_->Acknowledge(Officer(), "alr_0_break_glass", std::nullopt).ok());
  alerts_audit_.set_fail(false);
  EXPECT_FALSE(alerts_->Get("alr_0_break_glass")->acknowledged);
}

// Fails the first `failures` deliveries, then accepts; keeps what it was given.
class ScriptedNotifier final : public Notifier {
 public:
  explicit ScriptedNotifier(int failures) : failures_(failures) {}
  base::Status Deliver(const std::string& body) override {
    bodies.push_back(body);
    if (failures_-- > 0) return base::UnavailableError("HTTP 503 from the webhook");
    return base::OkStatus();
  }
  std::vector<std::string> bodies;

 private:
  int failures_;
};

TEST(Backoff, DoublesFromTheInitialDelayUpToTheCap) {
  DispatcherOptions o;
  o.initial_backoff = std::chrono::seconds(2);
  o.max_backoff = std::chrono::seconds(30);
  EXPECT_EQ(BackoffAfter(1, o), std::chrono::seconds(2));
  EXPECT_EQ(BackoffAfter(2, o), std::chrono::seconds(4));
  EXPECT_EQ(BackoffAfter(4, o), std::chrono::seconds(16));
  EXPECT_EQ(BackoffAfter(5, o), std::chrono::seconds(30));
  EXPECT_EQ(BackoffAfter(1000, o), std::chrono::seconds(30));
}

TEST_F(AlertStoreTest, DispatcherRetriesWithBackoffUntilDelivered) {
  RaiseAlerts(1, /*deliver=*/true);
  ScriptedNotifier notifier(2);
  DispatcherOptions o;
  o.initial_backoff = std::chrono::seconds(2);
  AlertDispatcher dispatcher(*alerts_, notifier, clock_, o);

  EXPECT_EQ(*dispatcher.RunOnce(), 0u);  // Attempt 1 fails: next in 2 s.
  EXPECT_EQ(*dispatcher.RunOnce(), 0u);  // Not due yet: no attempt.
  EXPECT_EQ(notifier.bodies.size(), 1u);
  auto a = alerts_->Get("alr_0_break_glass");
  EXPECT_EQ(a->delivery, Delivery::kPending);
  EXPECT_EQ(a->delivery_attempts, 1);
  EXPECT_EQ(a->last_delivery_error, "HTTP 503 from the webhook");
  EXPECT_EQ(*a->next_delivery_at, base::FormatRfc3339(clock_.Now() + std::chrono::seconds(2)));

  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(*dispatcher.RunOnce(), 0u);  // Attempt 2 fails: next in 4 s.
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(*dispatcher.RunOnce(), 0u);
  EXPECT_EQ(notifier.bodies.size(), 2u);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*dispatcher.RunOnce(), 1u);  // Attempt 3 succeeds.
  a = alerts_->Get("alr_0_break_glass");
  EXPECT_EQ(a->delivery, Delivery::kDelivered);
  EXPECT_EQ(a->delivery_attempts, 3);
  EXPECT_EQ(alerts_audit_.With("alerts.deliver").size(), 1u);

  const auto body = nlohmann::json::parse(notifier.bodies.back());
  EXPECT_EQ(body["alert"]["id"], "alr_0_break_glass");
  EXPECT_EQ(body["alert"]["severity"], "critical");
  EXPECT_EQ(body["alert"]["rule"], "break_glass");
}

TEST_F(AlertStoreTest, DispatcherGivesUpAfterMaxAttemptsAndAuditsIt) {
  RaiseAlerts(1, /*deliver=*/true);
  ScriptedNotifier notifier(1000);
  DispatcherOptions o;
  o.max_attempts = 3;
  o.initial_backoff = std::chrono::seconds(1);
  AlertDispatcher dispatcher(*alerts_, notifier, clock_, o);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(dispatcher.RunOnce().ok());
    clock_.Advance(std::chrono::minutes(1));
  }
  EXPECT_EQ(notifier.bodies.size(), 3u);
  const auto a = alerts_->Get("alr_0_break_glass");
  EXPECT_EQ(a->delivery, Delivery::kFailed);
  EXPECT_EQ(a->delivery_attempts, 3);
  const auto gave_up = alerts_audit_.With("alerts.deliver");
  ASSERT_EQ(gave_up.size(), 1u);
  EXPECT_EQ(gave_up[0].outcome, audit::Outcome::kFailed);
}

TEST_F(AlertStoreTest, AlertsNotForDeliveryAreNeverSent) {
  RaiseAlerts(2, /*deliver=*/false);
  ScriptedNotifier notifier(0);
  AlertDispatcher dispatcher(*alerts_, notifier, clock_, DispatcherOptions{});
  EXPECT_EQ(*dispatcher.RunOnce(), 0u);
  EXPECT_TRUE(notifier.bodies.empty());
}

}  // namespace
}  // namespace strongroom::detect
