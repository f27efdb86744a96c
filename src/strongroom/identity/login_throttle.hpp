#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/mutex.hpp"

namespace strongroom::identity {

struct ThrottlePolicy {
  int account_failures = 5;  // Consecutive failures that lock a username.
  std::chrono::seconds base_lockout = std::chrono::minutes(1);  // Doubles with each lockout...
  std::chrono::seconds max_lockout = std::chrono::hours(1);     // ...up to this.
  int source_failures = 20;  // Failures from one address within the window that block it.
  std::chrono::seconds source_window = std::chrono::minutes(15);
  std::size_t max_sources = 100'000;  // Addresses tracked before the stalest are dropped.
};

// How long the `lockouts`-th consecutive lockout (0-based) lasts: base * 2^lockouts, capped.
std::chrono::seconds LockoutDuration(const ThrottlePolicy& policy, int lockouts);

// Failed sign-ins per source address within a sliding window: too many block the address, so
// trying one passphrase against many accounts (spraying) stops even though no single account
// reaches its lockout. Kept in memory (bounded); the per-username lockout is in the store.
// Thread-safe.
class SourceThrottle {
 public:
  explicit SourceThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}
  const ThrottlePolicy& policy() const { return policy_; }

  // How long `source` must wait, if it is blocked.
  std::optional<std::chrono::seconds> Blocked(const std::string& source, base::Time now);
  void RecordFailure(const std::string& source, base::Time now);

 private:
  void Prune(base::Time now) SR_REQUIRES(mu_);

  const ThrottlePolicy policy_;
  base::Mutex mu_;
  std::map<std::string, std::deque<base::Time>> failures_ SR_GUARDED_BY(mu_);
};

}  // namespace strongroom::identity
