#include "strongroom/backup/retention.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace strongroom::backup {
namespace {

using namespace std::chrono;

year_month_day DayOf(base::Time t) { return year_month_day{floor<days>(t)}; }

// `t` moved by whole calendar months, the day clamped to the target month's last day (so
// 31 January + 1 month is 28 or 29 February), the time of day kept.
base::Time AddMonths(base::Time t, int n) {
  const auto day = floor<days>(t);
  const auto time_of_day = t - day;
  year_month_day ymd{day};
  year_month_day moved = ymd + months{n};
  if (!moved.ok()) moved = moved.year() / moved.month() / last;
  return sys_days{moved} + time_of_day;
}

}  // namespace

base::Status ValidateRetention(const RetentionPolicy& p) {
  if (p.daily_days < 1 || p.daily_days > 3650) {
    return base::InvalidArgumentError("retention.daily_days must be from 1 to 3650");
  }
  if (p.monthly_months < 0 || p.monthly_months > 1200) {
    return base::InvalidArgumentError("retention.monthly_months must be from 0 to 1200");
  }
  if (p.yearly_years < 0 || p.yearly_years > 100) {
    return base::InvalidArgumentError("retention.yearly_years must be from 0 to 100");
  }
  return base::OkStatus();
}

std::set<std::string> Retained(const std::vector<BackupStamp>& backups,
                               const RetentionPolicy& policy, base::Time now) {
  std::vector<const BackupStamp*> sorted;
  for (const auto& b : backups) sorted.push_back(&b);
  std::sort(sorted.begin(), sorted.end(), [](const BackupStamp* a, const BackupStamp* b) {
    return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
  });
  std::set<std::string> keep;
  if (!sorted.empty()) keep.insert(sorted.back()->id);
  std::map<sys_days, const BackupStamp*> first_of_day;
  std::map<year_month, const BackupStamp*> first_of_month;
  std::map<year, const BackupStamp*> first_of_year;
  for (const BackupStamp* b : sorted) {
    if (b->held || b->created_at > now) keep.insert(b->id);
    const year_month_day d = DayOf(b->created_at);
    first_of_day.emplace(sys_days{d}, b);
    first_of_month.emplace(d.year() / d.month(), b);
    first_of_year.emplace(d.year(), b);
  }
  for (const auto& [day, b] : first_of_day) {
    if (now < b->created_at + days{policy.daily_days}) keep.insert(b->id);
  }
  for (const auto& [month, b] : first_of_month) {
    if (now < AddMonths(b->created_at, policy.monthly_months)) keep.insert(b->id);
  }
  for (const auto& [y, b] : first_of_year) {
    if (now < AddMonths(b->created_at, 12 * policy.yearly_years)) keep.insert(b->id);
  }
  return keep;
}

}  // namespace strongroom::backup
