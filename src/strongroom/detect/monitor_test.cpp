#include "strongroom/detect/monitor.hpp"

#include <gtest/gtest.h>

#include "strongroom/detect/testing/detect_fixture.hpp"

namespace strongroom::detect {
namespace {

class DetectionMonitorTest : public testing::DetectFixture {
 protected:
  std::unique_ptr<DetectionMonitor> NewMonitor(DetectionConfig config = {}) {
    return std::make_unique<DetectionMonitor>(*store_, *log_, *alerts_, std::move(config), clock_,
                                              MonitorOptions{});
  }
  std::vector<Alert> AllAlerts() {
    AlertQuery q;
    q.limit = 1000;
    auto page = alerts_->List(q);
    EXPECT_TRUE(page.ok()) << page.error().message();
    return page.ok() ? page->alerts : std::vector<Alert>{};
  }
};

TEST_F(DetectionMonitorTest, RaisesAnAlertOnceAndAuditsIt) {
  auto monitor = NewMonitor();
  for (int i = 0; i < 5; ++i) FailedSignIn("user:usr_a");
  auto raised = monitor->RunOnce();
  ASSERT_TRUE(raised.ok()) << raised.error().message();
  EXPECT_EQ(*raised, 1u);
  auto again = monitor->RunOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);

  const auto alerts = AllAlerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "signin_failures");
  EXPECT_EQ(alerts[0].event_seqs, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(alerts[0].acknowledged);
  EXPECT_EQ(alerts[0].delivery, Delivery::kNone);

  // The alert is itself an audit event, and the monitor does not judge it.
  const auto raise_events = alerts_audit_.With("alerts.raise");
  ASSERT_EQ(raise_events.size(), 1u);
  EXPECT_EQ(raise_events[0].resource, "alert:" + alerts[0].id);
  EXPECT_EQ(raise_events[0].reason, "signin_failures");
  EXPECT_EQ(log_->size(), 6u);
}

TEST_F(DetectionMonitorTest, JudgesEachEventOnceAcrossARestartAndRefillsItsWindows) {
  {
    auto monitor = NewMonitor();
    for (int i = 0; i < 7; ++i) FailedSignIn("user:usr_a");  // One alert at the fifth.
    for (int i = 0; i < 3; ++i) FailedSignIn("user:usr_b");
    ASSERT_EQ(*monitor->RunOnce(), 1u);
  }
  // A new monitor (a restarted server) raises nothing again for the judged events, and still
  // knows usr_b has failed three times.
  auto monitor = NewMonitor();
  ASSERT_EQ(*monitor->RunOnce(), 0u);
  FailedSignIn("user:usr_b");
  FailedSignIn("user:usr_b");
  ASSERT_EQ(*monitor->RunOnce(), 1u);
  const auto alerts = AllAlerts();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].subject, "user:usr_b");  // Newest first.
  EXPECT_EQ(alerts[1].subject, "user:usr_a");
}

TEST_F(DetectionMonitorTest, RemembersAdminSourcesAcrossRestarts) {
  {
    auto monitor = NewMonitor();
    Record("auth.login", audit::Outcome::kAllowed, "user:usr_adm", "192.0.2.1", "usr_adm", "admin");
    ASSERT_EQ(*monitor->RunOnce(), 0u);
  }
  // Long after the replay window: the baseline comes from the store, not from replay.
  clock_.Advance(std::chrono::hours(24 * 30));
  auto monitor = NewMonitor();
  Record("auth.login", audit::Outcome::kAllowed, "user:usr_adm", "192.0.2.1", "usr_adm", "admin");
  ASSERT_EQ(*monitor->RunOnce(), 0u);
  Record("auth.login", audit::Outcome::kAllowed, "user:usr_adm", "192.0.2.99", "usr_adm", "admin");
  ASSERT_EQ(*monitor->RunOnce(), 1u);
  EXPECT_EQ(AllAlerts()[0].rule, "admin_new_source");
}

TEST_F(DetectionMonitorTest, RaisesNothingWhenTheAlertCannotBeAuditedAndCatchesUpLater) {
  auto monitor = NewMonitor();
  for (int i = 0; i < 5; ++i) FailedSignIn("user:usr_a");
  alerts_audit_.set_fail(true);
  auto failed = monitor->RunOnce();
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(AllAlerts().empty());
  alerts_audit_.set_fail(false);
  auto raised = monitor->RunOnce();
  ASSERT_TRUE(raised.ok()) << raised.error().message();
  EXPECT_EQ(*raised, 1u);
  EXPECT_EQ(AllAlerts().size(), 1u);
  EXPECT_EQ(AllAlerts()[0].event_seqs.size(), 5u);  // Judged from the same state, not twice.
}

TEST_F(DetectionMonitorTest, MarksNewAlertsForDeliveryWhenAWebhookIsConfigured) {
  MonitorOptions options;
  options.deliver = true;
  bool woken = false;
  options.on_raised = [&] { woken = true; };
  DetectionMonitor monitor(*store_, *log_, *alerts_, DetectionConfig{}, clock_, options);
  Record("break_glass.open", audit::Outcome::kAllowed, "grant:grt_1", "10.0.0.1", "usr_so",
         "security_officer", "ten_a");
  ASSERT_EQ(*monitor.RunOnce(), 1u);
  EXPECT_TRUE(woken);
  const auto alerts = AllAlerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].delivery, Delivery::kPending);
  EXPECT_EQ(alerts[0].tenant_id, "ten_a");
}

TEST_F(DetectionMonitorTest, TheBackgroundThreadJudgesWhatArrives) {
  MonitorOptions options;
  options.poll_interval = std::chrono::milliseconds(10);
  DetectionMonitor monitor(*store_, *log_, *alerts_, DetectionConfig{}, clock_, options);
  monitor.Start();
  Record("break_glass.open", audit::Outcome::kAllowed, "grant:grt_1", "10.0.0.1", "usr_so",
         "security_officer", "ten_a");
  for (int i = 0; i < 500 && AllAlerts().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  monitor.Stop();
  EXPECT_EQ(AllAlerts().size(), 1u);
}

}  // namespace
}  // namespace strongroom::detect
