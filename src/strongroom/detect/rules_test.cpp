#include "strongroom/detect/rules.hpp"

#include <gtest/gtest.h>

#include "strongroom/detect/detector.hpp"

namespace strongroom::detect {
namespace {

// Builds the stored events the rules see, one second apart unless told otherwise.
class Stream {
 public:
  audit::StoredEvent& Add(std::string action, std::string outcome, std::string resource) {
    audit::StoredEvent e;
    e.seq = next_seq_++;
    e.time = base::FormatRfc3339(base::FromUnixMillis(1'800'000'000'000) + elapsed_);
    elapsed_ += std::chrono::seconds(1);
    e.action = std::move(action);
    e.outcome = std::move(outcome);
    e.resource = std::move(resource);
    e.source_address = "198.51.100.7";
    e.details = "{}";
    events_.push_back(e);
    return events_.back();
  }
  audit::StoredEvent& FailedSignIn(std::string account, std::string source = "198.51.100.7") {
    auto& e = Add("auth.login", "denied", std::move(account));
    e.reason = "invalid_credentials";
    e.source_address = std::move(source);
    return e;
  }
  audit::StoredEvent& SignIn(std::string user_id, std::string role, std::string source) {
    auto& e = Add("auth.login", "allowed", "user:" + user_id);
    e.actor_id = std::move(user_id);
    e.actor_role = std::move(role);
    e.source_address = std::move(source);
    return e;
  }
  void Wait(std::chrono::seconds d) { elapsed_ += d; }
  // Feeds everything added since the last call; returns the hits.
  std::vector<Hit> FeedTo(Detector& d) {
    std::vector<Hit> hits;
    for (; fed_ < events_.size(); ++fed_) {
      for (Hit& h : d.Observe(events_[fed_])) hits.push_back(std::move(h));
    }
    return hits;
  }

 private:
  std::vector<audit::StoredEvent> events_;
  std::size_t fed_ = 0;
  std::uint64_t next_seq_ = 0;
  std::chrono::seconds elapsed_{0};
};

std::vector<Hit> OfRule(const std::vector<Hit>& hits, std::string_view rule) {
  std::vector<Hit> out;
  for (const Hit& h : hits) {
    if (h.rule == rule) out.push_back(h);
  }
  return out;
}

TEST(SigninFailuresRule, FiresOnTheThresholdthFailureForOneAccountWithinTheWindow) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 4; ++i) s.FailedSignIn("user:usr_a");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "signin_failures").empty());
  s.FailedSignIn("user:usr_a");
  const auto hits = OfRule(s.FeedTo(d), "signin_failures");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "user:usr_a");
  EXPECT_EQ(hits[0].severity, Severity::kMedium);
  EXPECT_EQ(hits[0].event_seqs, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  // The count starts again after an alert.
  for (int i = 0; i < 4; ++i) s.FailedSignIn("user:usr_a");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "signin_failures").empty());
}

TEST(SigninFailuresRule, IgnoresFailuresSpreadBeyondTheWindowAndOtherAccounts) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 10; ++i) {
    s.FailedSignIn("user:usr_a");
    s.Wait(std::chrono::seconds(80));  // 5 minutes hold at most 4 of them.
  }
  for (int i = 0; i < 4; ++i) s.FailedSignIn("user:usr_" + std::to_string(i));
  EXPECT_TRUE(OfRule(s.FeedTo(d), "signin_failures").empty());
}

TEST(SigninFailuresRule, ThresholdAndWindowComeFromTheConfiguration) {
  DetectionConfig c;
  c.signin_failures.threshold = 2;
  c.signin_failures.severity = Severity::kHigh;
  Detector d{c};
  Stream s;
  s.FailedSignIn("username:ab12");
  s.FailedSignIn("username:ab12");
  const auto hits = OfRule(s.FeedTo(d), "signin_failures");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, Severity::kHigh);

  c.signin_failures.enabled = false;
  Detector off{c};
  Stream t;
  for (int i = 0; i < 20; ++i) t.FailedSignIn("user:usr_a");
  EXPECT_TRUE(OfRule(t.FeedTo(off), "signin_failures").empty());
}

TEST(SigninSprayingRule, FiresWhenOneSourceFailsForManyDistinctAccounts) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 30; ++i) s.FailedSignIn("user:usr_same", "203.0.113.9");
  for (int i = 0; i < 8; ++i) s.FailedSignIn("user:usr_" + std::to_string(i), "203.0.113.9");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "signin_spraying").empty());  // 9 accounts.
  s.FailedSignIn("user:usr_8", "203.0.113.9");
  const auto hits = OfRule(s.FeedTo(d), "signin_spraying");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "source:203.0.113.9");
  EXPECT_EQ(hits[0].severity, Severity::kHigh);
  EXPECT_NE(hits[0].summary.find("10 different accounts"), std::string::npos);
}

TEST(SigninSprayingRule, CountsEachSourceApart) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 12; ++i) {
    s.FailedSignIn("user:usr_" + std::to_string(i), "203.0.113." + std::to_string(i % 2));
  }
  EXPECT_TRUE(OfRule(s.FeedTo(d), "signin_spraying").empty());
}

TEST(SuccessAfterFailuresRule, FiresOnASuccessRightAfterManyFailures) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 3; ++i) s.FailedSignIn("user:usr_a");
  s.SignIn("usr_a", "service", "198.51.100.7");
  const auto hits = OfRule(s.FeedTo(d), "success_after_failures");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "user:usr_a");
  EXPECT_EQ(hits[0].event_seqs, (std::vector<std::uint64_t>{0, 1, 2, 3}));
  // The success cleared the failures.
  s.SignIn("usr_a", "service", "198.51.100.7");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "success_after_failures").empty());
}

TEST(SuccessAfterFailuresRule, StaysQuietForFewOrOldFailures) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 2; ++i) s.FailedSignIn("user:usr_a");
  s.SignIn("usr_a", "service", "198.51.100.7");
  for (int i = 0; i < 3; ++i) s.FailedSignIn("user:usr_b");
  s.Wait(std::chrono::minutes(16));
  s.SignIn("usr_b", "service", "198.51.100.7");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "success_after_failures").empty());
}

audit::StoredEvent& Denied(Stream& s, std::string role, std::string tenant, std::string requested) {
  auto& e = s.Add("access.denied", "denied", "tenant:" + tenant);
  e.actor_id = "usr_x";
  e.actor_role = std::move(role);
  e.tenant_id = std::move(tenant);
  e.reason = "no_grant";
  e.details = R"({"requested":")" + requested + R"("})";
  return e;
}

TEST(ProviderDeniedClientDataRule, FiresWhenAProviderUserIsDeniedAClientsData) {
  Detector d{DetectionConfig{}};
  Stream s;
  Denied(s, "service", "ten_a", "records.read");
  const auto hits = OfRule(s.FeedTo(d), "provider_denied_client_data");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "user:usr_x");
  EXPECT_EQ(hits[0].tenant_id, "ten_a");
  EXPECT_NE(hits[0].summary.find("records.read"), std::string::npos);
  Denied(s, "admin", "ten_a", "files.write");
  EXPECT_EQ(OfRule(s.FeedTo(d), "provider_denied_client_data").size(), 1u);
}

TEST(ProviderDeniedClientDataRule, IgnoresClientUsersAndNonDataActions) {
  Detector d{DetectionConfig{}};
  Stream s;
  Denied(s, "client_user", "ten_a", "records.read");
  Denied(s, "service", "ten_a", "tenants.read");
  Denied(s, "service", "", "records.read");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "provider_denied_client_data").empty());
}

audit::StoredEvent& Read(Stream& s, std::string actor, std::string details = "") {
  auto& e = s.Add("access.allowed", "allowed", "tenant:ten_a");
  e.actor_id = std::move(actor);
  e.actor_role = "client_user";
  e.tenant_id = "ten_a";
  e.details = details.empty() ? R"({"requested":"records.read"})" : details;
  return e;
}

TEST(MassExportRule, FiresWhenOnePrincipalReadsMoreThanTheThresholdWithinAMinute) {
  DetectionConfig c;
  c.mass_export.threshold = 20;
  Detector d{c};
  Stream s;
  for (int i = 0; i < 20; ++i) {
    Read(s, "usr_reader");
    s.Wait(std::chrono::seconds(1));
  }
  EXPECT_TRUE(OfRule(s.FeedTo(d), "mass_export").empty());
  Read(s, "usr_reader");
  const auto hits = OfRule(s.FeedTo(d), "mass_export");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "user:usr_reader");
  EXPECT_EQ(hits[0].event_seqs.size(), 21u);
}

TEST(MassExportRule, CountsADeclaredCountAndTheVaultsOwnReadEvents) {
  DetectionConfig c;
  c.mass_export.threshold = 30;
  Detector d{c};
  Stream s;
  Read(s, "usr_a", R"({"requested":"records.read","count":31})");
  EXPECT_EQ(OfRule(s.FeedTo(d), "mass_export").size(), 1u);
  for (int i = 0; i < 31; ++i) {
    auto& e = s.Add("files.read", "allowed", "file:f" + std::to_string(i));
    e.actor_id = "usr_b";
  }
  EXPECT_EQ(OfRule(s.FeedTo(d), "mass_export").size(), 1u);
}

TEST(MassExportRule, IgnoresSlowReadsDeniedReadsAndWrites) {
  DetectionConfig c;
  c.mass_export.threshold = 10;
  Detector d{c};
  Stream s;
  for (int i = 0; i < 30; ++i) {
    Read(s, "usr_slow");
    s.Wait(std::chrono::seconds(6));
  }
  for (int i = 0; i < 30; ++i) {
    auto& e = Read(s, "usr_denied");
    e.outcome = "denied";
  }
  for (int i = 0; i < 30; ++i) Read(s, "usr_writer", R"({"requested":"records.write"})");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "mass_export").empty());
}

TEST(BreakGlassRule, FiresOnEveryBreakGlassOpened) {
  Detector d{DetectionConfig{}};
  Stream s;
  auto& e = s.Add("break_glass.open", "allowed", "grant:grt_1");
  e.actor_id = "usr_so";
  e.tenant_id = "ten_a";
  e.details = R"({"incident":"INC-42"})";
  auto& denied = s.Add("break_glass.open", "denied", "grant:grt_2");
  denied.actor_id = "usr_so";
  const auto hits = OfRule(s.FeedTo(d), "break_glass");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, Severity::kCritical);
  EXPECT_EQ(hits[0].tenant_id, "ten_a");
  EXPECT_NE(hits[0].summary.find("INC-42"), std::string::npos);
}

TEST(AuditVerificationFailedRule, FiresOnAFailedVerificationOnly) {
  Detector d{DetectionConfig{}};
  Stream s;
  s.Add("audit.verify", "allowed", "audit_log");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "audit_verification_failed").empty());
  auto& e = s.Add("audit.verify", "failed", "audit_log");
  e.reason = "tampering_found";
  e.details = R"({"first_bad_seq":"17"})";
  const auto hits = OfRule(s.FeedTo(d), "audit_verification_failed");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].severity, Severity::kCritical);
  EXPECT_NE(hits[0].summary.find("17"), std::string::npos);
}

TEST(AdminNewSourceRule, FiresWhenAnAdminSignsInFromAnAddressNotSeenBefore) {
  Detector d{DetectionConfig{}};
  Stream s;
  s.SignIn("usr_adm", "admin", "192.0.2.10");  // The first sign-in sets the baseline.
  s.SignIn("usr_adm", "admin", "192.0.2.10");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "admin_new_source").empty());
  s.SignIn("usr_adm", "admin", "203.0.113.50");
  const auto hits = OfRule(s.FeedTo(d), "admin_new_source");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].subject, "user:usr_adm");
  EXPECT_NE(hits[0].summary.find("203.0.113.50"), std::string::npos);
  s.SignIn("usr_adm", "admin", "203.0.113.50");
  s.SignIn("usr_svc", "service", "192.0.2.10");
  s.SignIn("usr_svc", "service", "203.0.113.77");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "admin_new_source").empty());
}

TEST(AdminNewSourceRule, RemembersSourcesKeptFromEarlierRuns) {
  Detector d{DetectionConfig{}};
  d.history().Remember("usr_adm", "192.0.2.10");
  (void)d.history().TakeNew();
  Stream s;
  s.SignIn("usr_adm", "admin", "192.0.2.10");
  EXPECT_TRUE(OfRule(s.FeedTo(d), "admin_new_source").empty());
  EXPECT_TRUE(d.history().TakeNew().empty());
  s.SignIn("usr_adm", "admin", "192.0.2.11");
  EXPECT_EQ(OfRule(s.FeedTo(d), "admin_new_source").size(), 1u);
  EXPECT_EQ(d.history().TakeNew().size(), 1u);
}

TEST(Detector, DoesNotJudgeItsOwnAlertEvents) {
  Detector d{DetectionConfig{}};
  Stream s;
  for (int i = 0; i < 10; ++i) {
    auto& e = s.Add("alerts.raise", "denied", "alert:x");
    e.action = "alerts.raise";
  }
  auto& bg = s.Add("alerts.deliver", "allowed", "alert:x");
  bg.details = R"({"incident":"x"})";
  EXPECT_TRUE(s.FeedTo(d).empty());
}

TEST(Detector, GivesTheSameHitsWhenTheSameEventsAreReplayed) {
  Stream s;
  for (int i = 0; i < 40; ++i) s.FailedSignIn("user:usr_" + std::to_string(i % 3), "203.0.113.1");
  Detector first{DetectionConfig{}};
  Detector second{DetectionConfig{}};
  const auto a = s.FeedTo(first);
  Stream t;
  for (int i = 0; i < 40; ++i) t.FailedSignIn("user:usr_" + std::to_string(i % 3), "203.0.113.1");
  const auto b = t.FeedTo(second);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].rule, b[i].rule);
    EXPECT_EQ(a[i].event_seqs, b[i].event_seqs);
  }
}

}  // namespace
}  // namespace strongroom::detect
