#include "strongroom/detect/rules.hpp"

#include <algorithm>
#include <charconv>
#include <deque>

#include "strongroom/identity/role.hpp"

namespace strongroom::detect {
namespace {

using audit::StoredEvent;

// Events per key within a sliding window of event time. Keys whose window empties are dropped
// as they are met and by an occasional sweep, so memory follows the activity of the last window.
class KeyedWindow {
 public:
  struct Entry {
    base::Time time;
    std::uint64_t seq;
    std::string value;     // What distinct-counting rules count.
    std::uint64_t weight;  // What summing rules add.
  };

  explicit KeyedWindow(std::chrono::seconds window) : window_(window) {}

  std::deque<Entry>& At(const std::string& key, base::Time now) {
    if (++touches_ % 4096 == 0) Sweep(now);
    std::deque<Entry>& entries = map_[key];
    Evict(entries, now);
    return entries;
  }
  void Erase(const std::string& key) { map_.erase(key); }

 private:
  void Evict(std::deque<Entry>& entries, base::Time now) const {
    while (!entries.empty() && entries.front().time < now - window_) entries.pop_front();
  }
  void Sweep(base::Time now) {
    for (auto it = map_.begin(); it != map_.end();) {
      Evict(it->second, now);
      it = it->second.empty() ? map_.erase(it) : std::next(it);
    }
  }

  std::chrono::seconds window_;
  std::map<std::string, std::deque<Entry>> map_;
  std::uint64_t touches_ = 0;
};

constexpr std::size_t kMaxSeqsPerAlert = 200;

std::vector<std::uint64_t> SeqsOf(const std::deque<KeyedWindow::Entry>& entries) {
  std::vector<std::uint64_t> out;
  const std::size_t skip =
      entries.size() > kMaxSeqsPerAlert ? entries.size() - kMaxSeqsPerAlert : 0;
  for (std::size_t i = skip; i < entries.size(); ++i) out.push_back(entries[i].seq);
  return out;
}

std::string Within(std::chrono::seconds window) {
  if (window.count() % 60 == 0) {
    const auto m = window.count() / 60;
    return std::to_string(m) + (m == 1 ? " minute" : " minutes");
  }
  return std::to_string(window.count()) + " seconds";
}

bool IsFailedSignIn(const StoredEvent& e) {
  return e.action == "auth.login" && e.outcome == "denied";
}

Hit MakeHit(std::string_view rule, const RuleSettings& s, const ObservedEvent& e,
            std::string subject, std::string summary, std::vector<std::uint64_t> seqs) {
  return Hit{
      std::string(rule), s.severity, std::move(subject), std::move(summary), e.stored.tenant_id,
      std::move(seqs),   e.time};
}

class SigninFailures final : public Rule {
 public:
  explicit SigninFailures(RuleSettings s) : s_(s), window_(s.window) {}
  std::string_view id() const override { return "signin_failures"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (!IsFailedSignIn(e.stored)) return;
    auto& entries = window_.At(e.stored.resource, e.time);
    entries.push_back({e.time, e.stored.seq, "", 1});
    if (entries.size() < s_.threshold) return;
    hits.push_back(MakeHit(id(), s_, e, e.stored.resource,
                           std::to_string(entries.size()) + " failed sign-ins for " +
                               e.stored.resource + " within " + Within(s_.window),
                           SeqsOf(entries)));
    window_.Erase(e.stored.resource);
  }

 private:
  RuleSettings s_;
  KeyedWindow window_;
};

class SigninSpraying final : public Rule {
 public:
  explicit SigninSpraying(RuleSettings s) : s_(s), window_(s.window) {}
  std::string_view id() const override { return "signin_spraying"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (!IsFailedSignIn(e.stored) || e.stored.source_address.empty()) return;
    const std::string key = "source:" + e.stored.source_address;
    auto& entries = window_.At(key, e.time);
    entries.push_back({e.time, e.stored.seq, e.stored.resource, 1});
    std::set<std::string_view> accounts;
    for (const auto& entry : entries) accounts.insert(entry.value);
    if (accounts.size() < s_.threshold) return;
    hits.push_back(MakeHit(id(), s_, e, key,
                           "failed sign-ins for " + std::to_string(accounts.size()) +
                               " different accounts from " + e.stored.source_address + " within " +
                               Within(s_.window),
                           SeqsOf(entries)));
    window_.Erase(key);
  }

 private:
  RuleSettings s_;
  KeyedWindow window_;
};

class SuccessAfterFailures final : public Rule {
 public:
  explicit SuccessAfterFailures(RuleSettings s) : s_(s), window_(s.window) {}
  std::string_view id() const override { return "success_after_failures"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.action != "auth.login") return;
    auto& entries = window_.At(e.stored.resource, e.time);
    if (e.stored.outcome == "denied") {
      entries.push_back({e.time, e.stored.seq, "", 1});
      return;
    }
    if (e.stored.outcome != "allowed") return;
    if (entries.size() >= s_.threshold) {
      std::vector<std::uint64_t> seqs = SeqsOf(entries);
      seqs.push_back(e.stored.seq);
      hits.push_back(MakeHit(id(), s_, e, e.stored.resource,
                             "successful sign-in for " + e.stored.resource + " after " +
                                 std::to_string(entries.size()) + " failures within " +
                                 Within(s_.window),
                             std::move(seqs)));
    }
    window_.Erase(e.stored.resource);
  }

 private:
  RuleSettings s_;
  KeyedWindow window_;
};

bool IsProviderRoleName(std::string_view name) {
  const auto role = identity::ParseRole(name);
  return role.ok() && identity::IsProviderRole(*role);
}

class ProviderDeniedClientData final : public Rule {
 public:
  explicit ProviderDeniedClientData(RuleSettings s) : s_(s), window_(s.window) {}
  std::string_view id() const override { return "provider_denied_client_data"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.action != "access.denied" || e.stored.tenant_id.empty() ||
        e.stored.actor_id.empty() || !IsProviderRoleName(e.stored.actor_role)) {
      return;
    }
    const auto requested = e.details.find("requested");
    if (requested == e.details.end() ||
        !(requested->second.starts_with("records.") || requested->second.starts_with("files."))) {
      return;
    }
    const std::string key = "user:" + e.stored.actor_id;
    auto& entries = window_.At(key, e.time);
    entries.push_back({e.time, e.stored.seq, "", 1});
    if (entries.size() < s_.threshold) return;
    hits.push_back(MakeHit(id(), s_, e, key,
                           e.stored.actor_role + " " + key + " was denied " + requested->second +
                               " on tenant " + e.stored.tenant_id +
                               (entries.size() > 1 ? " (" + std::to_string(entries.size()) +
                                                         " times within " + Within(s_.window) + ")"
                                                   : ""),
                           SeqsOf(entries)));
    window_.Erase(key);
  }

 private:
  RuleSettings s_;
  KeyedWindow window_;
};

class MassExport final : public Rule {
 public:
  MassExport(RuleSettings s, std::vector<std::string> actions)
      : s_(s), actions_(actions.begin(), actions.end()), window_(s.window) {}
  std::string_view id() const override { return "mass_export"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.outcome != "allowed" || e.stored.actor_id.empty()) return;
    const auto requested = e.details.find("requested");
    if (!actions_.contains(e.stored.action) &&
        (requested == e.details.end() || !actions_.contains(requested->second))) {
      return;
    }
    std::uint64_t weight = 1;
    if (const auto count = e.details.find("count"); count != e.details.end()) {
      std::uint64_t n = 0;
      const std::string& text = count->second;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) weight = n;
    }
    const std::string key = "user:" + e.stored.actor_id;
    auto& entries = window_.At(key, e.time);
    entries.push_back({e.time, e.stored.seq, "", weight});
    std::uint64_t total = 0;
    for (const auto& entry : entries) total += entry.weight;
    if (total <= s_.threshold) return;
    hits.push_back(MakeHit(id(), s_, e, key,
                           key + " (" + e.stored.actor_role + ") read " + std::to_string(total) +
                               " records or files within " + Within(s_.window) + " (more than " +
                               std::to_string(s_.threshold) + ")",
                           SeqsOf(entries)));
    window_.Erase(key);
  }

 private:
  RuleSettings s_;
  std::set<std::string, std::less<>> actions_;
  KeyedWindow window_;
};

class BreakGlass final : public Rule {
 public:
  explicit BreakGlass(RuleSettings s) : s_(s) {}
  std::string_view id() const override { return "break_glass"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.action != "break_glass.open" || e.stored.outcome != "allowed") return;
    const auto incident = e.details.find("incident");
    hits.push_back(MakeHit(id(), s_, e, "user:" + e.stored.actor_id,
                           "break-glass access to tenant " + e.stored.tenant_id + " opened by " +
                               e.stored.actor_id +
                               (incident != e.details.end() ? " for " + incident->second : ""),
                           {e.stored.seq}));
  }

 private:
  RuleSettings s_;
};

class AuditVerificationFailed final : public Rule {
 public:
  explicit AuditVerificationFailed(RuleSettings s) : s_(s) {}
  std::string_view id() const override { return "audit_verification_failed"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.action != "audit.verify" || e.stored.outcome != "failed") return;
    const auto first_bad = e.details.find("first_bad_seq");
    hits.push_back(
        MakeHit(id(), s_, e, "audit_log",
                "audit log verification failed" + (first_bad != e.details.end()
                                                       ? ": first bad position " + first_bad->second
                                                       : std::string(": ") + e.stored.reason),
                {e.stored.seq}));
  }

 private:
  RuleSettings s_;
};

class AdminNewSource final : public Rule {
 public:
  AdminNewSource(RuleSettings s, std::vector<std::string> roles, SourceHistory& history)
      : s_(s), roles_(roles.begin(), roles.end()), history_(history) {}
  std::string_view id() const override { return "admin_new_source"; }
  void Observe(const ObservedEvent& e, std::vector<Hit>& hits) override {
    if (e.stored.action != "auth.login" || e.stored.outcome != "allowed" ||
        e.stored.actor_id.empty() || e.stored.source_address.empty() ||
        !roles_.contains(e.stored.actor_role)) {
      return;
    }
    // A first sign-in sets the baseline; from then on every new address is reported.
    const bool had_history = history_.HasAny(e.stored.actor_id);
    if (!history_.Remember(e.stored.actor_id, e.stored.source_address) || !had_history) return;
    hits.push_back(MakeHit(id(), s_, e, "user:" + e.stored.actor_id,
                           e.stored.actor_role + " user:" + e.stored.actor_id + " signed in from " +
                               e.stored.source_address +
                               ", an address not seen for this user before",
                           {e.stored.seq}));
  }

 private:
  RuleSettings s_;
  std::set<std::string, std::less<>> roles_;
  SourceHistory& history_;
};

}  // namespace

bool SourceHistory::Remember(const std::string& user, const std::string& address) {
  users_.insert(user);
  if (!seen_.emplace(user, address).second) return false;
  new_.emplace_back(user, address);
  return true;
}

std::vector<std::pair<std::string, std::string>> SourceHistory::TakeNew() {
  return std::exchange(new_, {});
}

std::vector<std::unique_ptr<Rule>> MakeRules(const DetectionConfig& c, SourceHistory& history) {
  std::vector<std::unique_ptr<Rule>> rules;
  if (c.signin_failures.enabled)
    rules.push_back(std::make_unique<SigninFailures>(c.signin_failures));
  if (c.signin_spraying.enabled)
    rules.push_back(std::make_unique<SigninSpraying>(c.signin_spraying));
  if (c.success_after_failures.enabled) {
    rules.push_back(std::make_unique<SuccessAfterFailures>(c.success_after_failures));
  }
  if (c.provider_denied_client_data.enabled) {
    rules.push_back(std::make_unique<ProviderDeniedClientData>(c.provider_denied_client_data));
  }
  if (c.mass_export.enabled) {
    rules.push_back(std::make_unique<MassExport>(c.mass_export, c.data_read_actions));
  }
  if (c.break_glass.enabled) rules.push_back(std::make_unique<BreakGlass>(c.break_glass));
  if (c.audit_verification_failed.enabled) {
    rules.push_back(std::make_unique<AuditVerificationFailed>(c.audit_verification_failed));
  }
  if (c.admin_new_source.enabled) {
    rules.push_back(std::make_unique<AdminNewSource>(c.admin_new_source, c.admin_roles, history));
  }
  return rules;
}

}  // namespace strongroom::detect
