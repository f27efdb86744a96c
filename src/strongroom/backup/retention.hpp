#pragma once

#include <set>
#include <string>
#include <vector>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/status.hpp"

namespace strongroom::backup {

// Grandfather-father-son retention, in UTC calendar terms. The first backup of each day is a
// daily copy, kept for `daily_days` days after it was made; the first of each month a monthly
// copy, kept for `monthly_months` calendar months; the first of each year a yearly copy, kept for
// `yearly_years` calendar years. A backup is kept while any of these holds, while it is under
// legal hold, if it is the newest backup, or if it is dated in the future (a clock set back).
struct RetentionPolicy {
  int daily_days = 35;
  int monthly_months = 12;
  int yearly_years = 7;
};

// Accepted: daily 1..3650 days, monthly 0..1200 months, yearly 0..100 years.
base::Status ValidateRetention(const RetentionPolicy& policy);

struct BackupStamp {
  std::string id;
  base::Time created_at;
  bool held = false;
};

// The ids of `backups` that `policy` keeps at `now`; the rest may be pruned.
std::set<std::string> Retained(const std::vector<BackupStamp>& backups,
                               const RetentionPolicy& policy, base::Time now);

}  // namespace strongroom::backup
