#include "strongroom/backup/retention.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace strongroom::backup {
namespace {

using namespace std::chrono;

base::Time At(int y, unsigned m, unsigned d, int hour = 1) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hour};
}

std::string IdOf(base::Time t) { return "bk-" + std::to_string(t.time_since_epoch().count()); }

// Simulates a daily backup at 01:00 UTC and a prune right after it, every day for 8 years, with
// one backup under legal hold; then compares what is left with the policy worked out by hand.
TEST(RetentionTest, EightSimulatedYearsOfDailyBackupsKeepExactlyThePolicy) {
  const RetentionPolicy policy;  // 35 days, 12 months, 7 years.
  std::vector<BackupStamp> stored;
  const base::Time start = At(2026, 1, 1);
  const base::Time held_at = At(2026, 3, 17);
  const base::Time end = At(2033, 12, 31);
  for (base::Time now = start; now <= end; now += days{1}) {
    stored.push_back({IdOf(now), now, now == held_at});
    const auto keep = Retained(stored, policy, now);
    std::erase_if(stored, [&](const BackupStamp& b) { return !keep.contains(b.id); });
    ASSERT_LE(stored.size(), 35u + 12u + 7u + 1u) << "on day " << IdOf(now);
  }

  std::set<std::string> expected;
  // Daily: the last 35 days (2033-11-27 .. 2033-12-31).
  for (base::Time t = end - days{34}; t <= end; t += days{1}) expected.insert(IdOf(t));
  // Monthly: the first of each month made less than 12 months ago (2033-01-01 .. 2033-12-01).
  for (unsigned m = 1; m <= 12; ++m) expected.insert(IdOf(At(2033, m, 1)));
  // Yearly: the first of each year made less than 7 years ago: 2027 .. 2033 (2026-12-31 + 7
  // years is before the end, so 2026's yearly copy is gone).
  for (int y = 2027; y <= 2033; ++y) expected.insert(IdOf(At(y, 1, 1)));
  // The one under legal hold.
  expected.insert(IdOf(held_at));

  std::set<std::string> left;
  for (const auto& b : stored) left.insert(b.id);
  EXPECT_EQ(left, expected);
}

TEST(RetentionTest, AYearlyCopyIsKeptUntilTheDayItIsSevenYearsOld) {
  const RetentionPolicy policy;
  const std::vector<BackupStamp> stored = {{"old", At(2026, 1, 1), false},
                                           {"newest", At(2033, 6, 1), false}};
  EXPECT_TRUE(Retained(stored, policy, At(2033, 1, 1, 0)).contains("old"));
  EXPECT_FALSE(Retained(stored, policy, At(2033, 1, 1, 1)).contains("old"));
}

TEST(RetentionTest, OnlyTheFirstBackupOfADayIsTheDailyCopyAndTheNewestIsAlwaysKept) {
  const RetentionPolicy policy;
  const std::vector<BackupStamp> stored = {{"a", At(2026, 5, 2, 1), false},
                                           {"b", At(2026, 5, 2, 9), false},
                                           {"c", At(2026, 5, 2, 17), false}};
  const auto keep = Retained(stored, policy, At(2026, 5, 3));
  EXPECT_EQ(keep, (std::set<std::string>{"a", "c"}));
}

TEST(RetentionTest, HeldAndFutureDatedBackupsAreKept) {
  RetentionPolicy policy;
  policy.monthly_months = 0;
  policy.yearly_years = 0;
  const std::vector<BackupStamp> stored = {{"held", At(2020, 5, 2), true},
                                           {"plain", At(2020, 5, 3), false},
                                           {"future", At(2031, 1, 1), false},
                                           {"now", At(2026, 1, 1), false}};
  const auto keep = Retained(stored, policy, At(2026, 1, 1, 2));
  EXPECT_EQ(keep, (std::set<std::string>{"held", "future", "now"}));
}

TEST(RetentionTest, MonthEndsClampWhenMonthsAreAdded) {
  RetentionPolicy policy;
  policy.daily_days = 1;
  policy.monthly_months = 1;
  policy.yearly_years = 0;
  const std::vector<BackupStamp> stored = {{"jan31", At(2027, 1, 31), false},
                                           {"newest", At(2027, 3, 15), false}};
  // January's monthly copy, kept one month: to 28 February (no 31st), same time of day.
  EXPECT_TRUE(Retained(stored, policy, At(2027, 2, 28, 0)).contains("jan31"));
  EXPECT_FALSE(Retained(stored, policy, At(2027, 2, 28, 2)).contains("jan31"));
}

TEST(RetentionTest, PoliciesOutOfRangeAreRefusedWithTheRange) {
  RetentionPolicy p;
  EXPECT_TRUE(ValidateRetention(p).ok());
  p.daily_days = 0;
  EXPECT_NE(ValidateRetention(p).message().find("from 1 to 3650"), std::string::npos);
  p = {};
  p.yearly_years = 101;
  EXPECT_FALSE(ValidateRetention(p).ok());
  p = {};
  p.monthly_months = -1;
  EXPECT_FALSE(ValidateRetention(p).ok());
}

}  // namespace
}  // namespace strongroom::backup
