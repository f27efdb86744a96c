#include "strongroom/detect/monitor.hpp"

#include <algorithm>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::detect {
namespace {

constexpr std::string_view kCursorName = "alerts";

// How far back a rebuilt detector must replay so every window is as full as before.
std::chrono::seconds LongestWindow(const DetectionConfig& c) {
  std::chrono::seconds longest{0};
  for (const RuleSettings* s : {&c.signin_failures, &c.signin_spraying, &c.success_after_failures,
                                &c.provider_denied_client_data, &c.mass_export}) {
    if (s->enabled) longest = std::max(longest, s->window);
  }
  return longest;
}

}  // namespace

DetectionMonitor::DetectionMonitor(storage::Store& store, audit::AuditLog& log, AlertStore& alerts,
                                   DetectionConfig config, const base::Clock& clock,
                                   MonitorOptions options)
    : store_(store),
      log_(log),
      alerts_(alerts),
      config_(std::move(config)),
      clock_(clock),
      options_(std::move(options)),
      // Whatever arrives while stopping is judged too.
      thread_(
          [this] {
            auto ran = RunOnce();
            if (ran.ok()) return options_.poll_interval;
            if (options_.on_error) options_.on_error(ran.error());
            return std::max<std::chrono::milliseconds>(options_.poll_interval,
                                                       std::chrono::seconds(5));
          },
          /*run_on_stop=*/true) {}

DetectionMonitor::~DetectionMonitor() { Stop(); }

base::Result<std::uint64_t> DetectionMonitor::LoadCursor() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      const auto rows,
      tx->Query("SELECT next_seq FROM detect_cursor WHERE name = ?", {storage::Text(kCursorName)}));
  if (rows.empty()) return std::uint64_t{0};
  SR_ASSIGN_OR_RETURN(const std::int64_t next, rows[0].GetInt(0));
  return static_cast<std::uint64_t>(next);
}

base::Status DetectionMonitor::Rebuild() {
  auto detector = std::make_unique<Detector>(config_);
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(const auto rows,
                        tx->Query("SELECT user_id, address FROM detect_seen_sources"));
    for (const auto& row : rows) {
      SR_ASSIGN_OR_RETURN(const std::string user, row.GetText(0));
      SR_ASSIGN_OR_RETURN(const std::string address, row.GetText(1));
      detector->history().Remember(user, address);
    }
  }
  SR_ASSIGN_OR_RETURN(const std::uint64_t cursor, LoadCursor());
  if (cursor > 0) {
    // Refill the windows from the events already judged; what they raise was raised then.
    SR_ASSIGN_OR_RETURN(const audit::StoredEvent last, log_.EventAt(cursor - 1));
    SR_ASSIGN_OR_RETURN(const base::Time last_time, base::ParseRfc3339(last.time));
    SR_ASSIGN_OR_RETURN(std::uint64_t from,
                        log_.FirstSeqAtOrAfter(last_time - LongestWindow(config_)));
    while (from < cursor) {
      audit::EventQuery q;
      q.from_seq = from;
      q.limit = std::min<std::uint64_t>(options_.page, cursor - from);
      SR_ASSIGN_OR_RETURN(const audit::EventPage page, log_.Events(q));
      if (page.events.empty()) break;
      for (const auto& e : page.events) {
        if (e.seq >= cursor) break;
        (void)detector->Observe(e);
      }
      from = page.events.back().seq + 1;
    }
  }
  (void)detector->history().TakeNew();  // Already stored when those events were judged.
  detector_ = std::move(detector);
  cursor_ = cursor;
  return base::OkStatus();
}

base::Result<std::size_t> DetectionMonitor::RunOnce() {
  base::MutexLock l(&run_mu_);
  if (!detector_) SR_RETURN_IF_ERROR(Rebuild());
  std::size_t raised = 0;
  for (;;) {
    audit::EventQuery q;
    q.from_seq = cursor_;
    q.limit = options_.page;
    SR_ASSIGN_OR_RETURN(const audit::EventPage page, log_.Events(q));
    if (page.events.empty()) break;
    std::vector<std::pair<std::uint64_t, Hit>> hits;
    for (const auto& e : page.events) {
      for (Hit& h : detector_->Observe(e)) hits.emplace_back(e.seq, std::move(h));
    }
    const auto seen = detector_->history().TakeNew();
    // The detector has moved on: if this page is not committed, it must be rebuilt so the
    // page is judged again from the same state.
    base::Status committed = [&]() -> base::Status {
      SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
      for (const auto& [seq, hit] : hits) {
        SR_ASSIGN_OR_RETURN(const bool fresh, alerts_.Raise(*tx, hit, seq, options_.deliver));
        if (fresh) ++raised;
      }
      const std::string now = base::FormatRfc3339(clock_.Now());
      for (const auto& [user, address] : seen) {
        SR_RETURN_IF_ERROR(
            tx->Execute("INSERT OR IGNORE INTO detect_seen_sources (user_id, address, first_seen) "
                        "VALUES (?, ?, ?)",
                        {storage::Text(user), storage::Text(address), storage::Text(now)}));
      }
      SR_RETURN_IF_ERROR(tx->Execute(
          "INSERT INTO detect_cursor (name, next_seq) VALUES (?, ?) ON CONFLICT (name) DO "
          "UPDATE SET next_seq = excluded.next_seq",
          {storage::Text(kCursorName),
           storage::Int(static_cast<std::int64_t>(page.events.back().seq + 1))}));
      return tx->Commit();
    }();
    if (!committed.ok()) {
      detector_.reset();
      return committed;
    }
    cursor_ = page.events.back().seq + 1;
    if (!page.next_seq) break;
  }
  if (raised > 0 && options_.on_raised) options_.on_raised();
  return raised;
}

void DetectionMonitor::Start() { thread_.Start(); }

void DetectionMonitor::Stop() { thread_.Stop(); }

}  // namespace strongroom::detect
