#include "strongroom/detect/config.hpp"

#include <gtest/gtest.h>

namespace strongroom::detect {
namespace {

using base::ErrorCode;

TEST(DetectionConfig, DefaultsAreTheShippedPolicy) {
  auto c = ParseDetectionConfig("{}");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->signin_failures.threshold, 5u);
  EXPECT_EQ(c->signin_failures.window, std::chrono::minutes(5));
  EXPECT_EQ(c->mass_export.threshold, 100u);
  EXPECT_EQ(c->break_glass.severity, Severity::kCritical);
  EXPECT_EQ(c->admin_roles, std::vector<std::string>{"admin"});
  EXPECT_FALSE(c->webhook.has_value());
}

TEST(DetectionConfig, OverridesWhatIsGivenAndKeepsTheRest) {
  auto c = ParseDetectionConfig(R"({
    "rules": {
      "signin_failures": {"threshold": 8, "window_seconds": 120, "severity": "high"},
      "mass_export": {"threshold": 500, "actions": ["records.read"]},
      "admin_new_source": {"roles": ["admin", "security_officer"]},
      "break_glass": {"enabled": false}
    },
    "webhook": {"url": "https://siem.example.com/hook", "ca_file": "/etc/ca.pem",
                "max_attempts": 5, "initial_backoff_seconds": 0.5, "max_backoff_seconds": 60}
  })");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->signin_failures.threshold, 8u);
  EXPECT_EQ(c->signin_failures.window, std::chrono::seconds(120));
  EXPECT_EQ(c->signin_failures.severity, Severity::kHigh);
  EXPECT_EQ(c->signin_spraying.threshold, 10u);
  EXPECT_EQ(c->mass_export.threshold, 500u);
  EXPECT_EQ(c->data_read_actions, std::vector<std::string>{"records.read"});
  EXPECT_EQ(c->admin_roles.size(), 2u);
  EXPECT_FALSE(c->break_glass.enabled);
  ASSERT_TRUE(c->webhook.has_value());
  EXPECT_EQ(c->webhook->url, "https://siem.example.com/hook");
  EXPECT_EQ(c->webhook->max_attempts, 5u);
  EXPECT_EQ(c->webhook->initial_backoff, std::chrono::milliseconds(500));
  EXPECT_EQ(c->webhook->max_backoff, std::chrono::seconds(60));
}

struct BadCase {
  const char* json;
  const char* says;  // Part of the error message.
};

TEST(DetectionConfig, RefusesBadInputWithAClearMessage) {
  const BadCase cases[] = {
      {"[]", "JSON object"},
      {"{", "JSON object"},
      {R"({"rule": {}})", "unknown key 'rule'"},
      {R"({"rules": {"signin_failure": {}}})", "unknown key 'signin_failure'"},
      {R"({"rules": {"signin_failures": {"treshold": 3}}})", "unknown key 'treshold'"},
      {R"({"rules": {"signin_failures": {"threshold": 0}}})", "from 1 to 1000000"},
      {R"({"rules": {"signin_failures": {"threshold": "5"}}})", "whole number"},
      {R"({"rules": {"signin_failures": {"window_seconds": 999999999}}})", "window_seconds"},
      {R"({"rules": {"signin_failures": {"severity": "urgent"}}})", "low, medium, high, critical"},
      {R"({"rules": {"signin_failures": {"enabled": "no"}}})", "true or false"},
      {R"({"rules": {"break_glass": {"threshold": 2}}})", "unknown key 'threshold'"},
      {R"({"rules": {"admin_new_source": {"roles": ["root"]}}})", "root"},
      {R"({"rules": {"mass_export": {"actions": []}}})", "non-empty list"},
      {R"({"webhook": {"url": "http://siem.example.com/hook"}})", "https://"},
      {R"({"webhook": {}})", "https://"},
      {R"({"webhook": {"url": "https://x", "max_attempts": 0}})", "max_attempts"},
      {R"({"webhook": {"url": "https://x", "initial_backoff_seconds": 100,
           "max_backoff_seconds": 10}})",
       "at least initial_backoff_seconds"},
  };
  for (const BadCase& c : cases) {
    auto parsed = ParseDetectionConfig(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_NE(parsed.error().message().find(c.says), std::string::npos)
        << c.json << " -> " << parsed.error().message();
  }
}

}  // namespace
}  // namespace strongroom::detect
