#include "strongroom/backup/config.hpp"

#include <gtest/gtest.h>

namespace strongroom::backup {
namespace {

TEST(BackupConfigTest, DefaultsAreDailyWeeklyVerificationAndThe7YearPolicy) {
  auto c = ParseBackupConfig("{}");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->scheduled());
  EXPECT_EQ(c->create_every, std::chrono::hours(24));
  EXPECT_EQ(c->verify_every, std::chrono::hours(168));
  EXPECT_EQ(c->retention.daily_days, 35);
  EXPECT_EQ(c->retention.monthly_months, 12);
  EXPECT_EQ(c->retention.yearly_years, 7);
}

TEST(BackupConfigTest, ReadsEveryKey) {
  auto c = ParseBackupConfig(R"({"destinations": ["/a", "/b/c"], "create_every_hours": 6,
      "verify_every_hours": 24, "verify_sample": 3,
      "retention": {"daily_days": 10, "monthly_months": 3, "yearly_years": 10}})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->scheduled());
  EXPECT_EQ(c->destinations.size(), 2u);
  EXPECT_EQ(c->create_every, std::chrono::hours(6));
  EXPECT_EQ(c->verify_sample, 3u);
  EXPECT_EQ(c->retention.yearly_years, 10);
}

TEST(BackupConfigTest, BadInputIsRefusedWithWhatIsAccepted) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "JSON object"},
      {R"({"destination": ["/a"]})", "unknown key 'destination'"},
      {R"({"destinations": ["relative/dir"]})", "absolute"},
      {R"({"destinations": "/a"})", "list"},
      {R"({"create_every_hours": 0})", "from 1 to 744"},
      {R"({"verify_every_hours": "daily"})", "whole number"},
      {R"({"retention": {"daily_days": 0}})", "from 1 to 3650"},
      {R"({"retention": {"weekly": 4}})", "unknown key 'weekly'"},
  };
  for (const auto& [text, says] : cases) {
    auto c = ParseBackupConfig(text);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_EQ(c.status().code(), base::ErrorCode::kInvalidArgument);
    EXPECT_NE(c.status().message().find(says), std::string::npos) << c.status().message();
  }
}

TEST(BackupConfigTest, ADestinationInsideTheDataDirectoryIsRefused) {
  EXPECT_FALSE(CheckDestinationOutside("/srv/data/backups", "/srv/data").ok());
  EXPECT_FALSE(CheckDestinationOutside("/srv/data", "/srv/data").ok());
  EXPECT_TRUE(CheckDestinationOutside("/srv/data-backups", "/srv/data").ok());
  EXPECT_TRUE(CheckDestinationOutside("/srv/backups", "/srv/data").ok());
}

}  // namespace
}  // namespace strongroom::backup
