#include "strongroom/backup/scheduler.hpp"

#include <algorithm>

namespace strongroom::backup {
namespace {

const audit::Actor kSystem{"backup-scheduler", "system", "local", ""};

double Seconds(base::Time t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

}  // namespace

BackupScheduler::BackupScheduler(Backups& backups, BackupConfig config, const base::Clock& clock,
                                 base::MetricsRegistry& metrics, OnEvent on_event)
    : backups_(backups),
      config_(std::move(config)),
      clock_(clock),
      on_event_(std::move(on_event)),
      last_success_(metrics.AddGauge("strongroom_backup_last_success_timestamp_seconds",
                                     "When each backup operation last succeeded (Unix time)",
                                     {"operation"})),
      last_duration_(metrics.AddGauge("strongroom_backup_last_duration_seconds",
                                      "How long each backup operation's last success took",
                                      {"operation"})),
      last_size_(metrics.AddGauge("strongroom_backup_last_size_bytes",
                                  "Bytes written (create), read (verify, restore) or backups "
                                  "removed (prune) by the last success",
                                  {"operation"})),
      runs_(metrics.AddGauge("strongroom_backup_runs", "Backup operations run so far, by outcome",
                             {"operation", "outcome"})) {}

bool BackupScheduler::Due(const std::vector<Backups::OperationStats>& stats,
                          const std::string& operation, std::chrono::hours every) const {
  const base::Time now = clock_.Now();
  const auto it = std::find_if(stats.begin(), stats.end(),
                               [&](const auto& s) { return s.operation == operation; });
  if (it == stats.end()) return true;
  if (it->last_failure_at) {
    auto failed = base::ParseRfc3339(*it->last_failure_at);
    const bool newer_than_success =
        !it->last_success_at || *it->last_failure_at > *it->last_success_at;
    if (failed.ok() && newer_than_success && now - *failed < kRetryAfterFailure) return false;
  }
  if (!it->last_success_at) return true;
  auto last = base::ParseRfc3339(*it->last_success_at);
  return !last.ok() || now - *last >= every;
}

void BackupScheduler::Publish(const std::vector<Backups::OperationStats>& stats) {
  for (const auto& s : stats) {
    if (s.last_success_at) {
      if (auto t = base::ParseRfc3339(*s.last_success_at); t.ok()) {
        last_success_.Set({s.operation}, Seconds(*t));
      }
      last_duration_.Set({s.operation}, static_cast<double>(s.last_duration_ms) / 1000.0);
      last_size_.Set({s.operation}, static_cast<double>(s.last_bytes));
    }
    runs_.Set({s.operation, "success"}, static_cast<double>(s.successes));
    runs_.Set({s.operation, "failure"}, static_cast<double>(s.failures));
  }
}

void BackupScheduler::RunOnce() {
  auto stats = backups_.Stats();
  if (!stats.ok()) {
    on_event_("backup_stats_failed", stats.status());
    return;
  }
  if (config_.scheduled()) {
    if (Due(*stats, "create", config_.create_every)) {
      auto made = backups_.Create(kSystem, config_.destinations);
      on_event_("backup_created", made.status());
      if (made.ok()) {
        auto pruned = backups_.Prune(kSystem, config_.destinations, config_.retention);
        on_event_("backup_pruned", pruned.status());
      }
    }
    if (Due(*stats, "verify", config_.verify_every)) {
      auto listed = backups_.List({config_.destinations.front()});
      if (!listed.ok()) {
        on_event_("backup_verify_failed", listed.status());
      } else {
        const auto newest = std::find_if(listed->begin(), listed->end(),
                                         [](const BackupInfo& b) { return b.problem.empty(); });
        if (newest != listed->end()) {
          auto v = backups_.Verify(kSystem, newest->directory, config_.verify_sample);
          on_event_("backup_verified", !v.ok() ? v.status()
                                       : v->ok ? base::OkStatus()
                                               : base::DataLossError(v->problems.front()));
        }
      }
    }
    stats = backups_.Stats();
    if (!stats.ok()) return;
  }
  Publish(*stats);
}

}  // namespace strongroom::backup
