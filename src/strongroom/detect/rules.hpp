#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strongroom/audit/record.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/detect/config.hpp"

namespace strongroom::detect {

// An audit event as the rules see it: the stored event with its time and details parsed.
struct ObservedEvent {
  const audit::StoredEvent& stored;
  base::Time time;
  std::map<std::string, std::string> details;  // String and number values; others left out.
};

// What a rule found: the alert to raise, before it is stored.
struct Hit {
  std::string rule;  // The rule's id, e.g. "signin_failures".
  Severity severity = Severity::kMedium;
  std::string subject;    // What the alert is about: "user:usr_...", "source:203.0.113.9".
  std::string summary;    // One sentence for a person; never a secret.
  std::string tenant_id;  // The tenant concerned, when there is one.
  std::vector<std::uint64_t> event_seqs;  // The events behind the alert, in log order.
  base::Time time;                        // The time of the event that completed it.
};

// A detection rule over the audit event stream. Rules see every event once, in log order, and
// judge by the events' own times (never the wall clock), so replaying a stretch of the log gives
// the same hits. Not thread-safe: one thread feeds a rule.
class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  // Appends to `hits` what this event completes.
  virtual void Observe(const ObservedEvent& event, std::vector<Hit>& hits) = 0;
};

// The source addresses each user has signed in from, kept across restarts by the caller, so
// "an address not seen before" means never, not since the server started. Thread-compatible.
class SourceHistory {
 public:
  // Returns true when (user, address) is new; remembers it either way.
  bool Remember(const std::string& user, const std::string& address);
  bool HasAny(const std::string& user) const { return users_.contains(user); }
  // Pairs remembered since the last call, for the caller to persist.
  std::vector<std::pair<std::string, std::string>> TakeNew();

 private:
  std::set<std::pair<std::string, std::string>> seen_;
  std::set<std::string> users_;
  std::vector<std::pair<std::string, std::string>> new_;
};

// The rules `config` enables, in a fixed order. `history` must outlive them.
std::vector<std::unique_ptr<Rule>> MakeRules(const DetectionConfig& config, SourceHistory& history);

}  // namespace strongroom::detect
