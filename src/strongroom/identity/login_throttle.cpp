#include "strongroom/identity/login_throttle.hpp"

#include <algorithm>

namespace strongroom::identity {

std::chrono::seconds LockoutDuration(const ThrottlePolicy& policy, int lockouts) {
  std::chrono::seconds d = policy.base_lockout;
  for (int i = 0; i < lockouts && d < policy.max_lockout; ++i) d *= 2;
  return std::min(d, policy.max_lockout);
}

void SourceThrottle::Prune(base::Time now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    auto& times = it->second;
    while (!times.empty() && now - times.front() > policy_.source_window) times.pop_front();
    it = times.empty() ? failures_.erase(it) : std::next(it);
  }
  while (failures_.size() >= policy_.max_sources) {
    auto stalest = std::min_element(
        failures_.begin(), failures_.end(),
        [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
    failures_.erase(stalest);
  }
}

std::optional<std::chrono::seconds> SourceThrottle::Blocked(const std::string& source,
                                                            base::Time now) {
  base::MutexLock lock(&mu_);
  auto it = failures_.find(source);
  if (it == failures_.end()) return std::nullopt;
  auto& times = it->second;
  while (!times.empty() && now - times.front() > policy_.source_window) times.pop_front();
  if (static_cast<int>(times.size()) < policy_.source_failures) return std::nullopt;
  // Free again once the oldest counted failure leaves the window.
  const base::Time free_at = times.front() + policy_.source_window;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(free_at - now));
}

void SourceThrottle::RecordFailure(const std::string& source, base::Time now) {
  base::MutexLock lock(&mu_);
  if (!failures_.contains(source) && failures_.size() >= policy_.max_sources) Prune(now);
  auto& times = failures_[source];
  times.push_back(now);
  // Only the newest `source_failures` matter for the block.
  while (static_cast<int>(times.size()) > policy_.source_failures) times.pop_front();
}

}  // namespace strongroom::identity
