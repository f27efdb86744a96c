#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "strongroom/backup/backups.hpp"
#include "strongroom/backup/config.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/metrics.hpp"

namespace strongroom::backup {

// What the server does about backups on its own, once a minute (server/app.cpp runs RunOnce on
// a background thread):
// - when destinations are configured and the last successful backup is older than
//   create_every, it makes one, then prunes by the retention policy;
// - when the last successful verification is older than verify_every, it verifies the newest
//   backup in the first destination;
// - after a failure it waits 15 minutes before trying that operation again;
// - it publishes the last outcome of every operation (including those run by the CLI, read from
//   the store) as gauges: strongroom_backup_last_success_timestamp_seconds,
//   strongroom_backup_last_duration_seconds, strongroom_backup_last_size_bytes and
//   strongroom_backup_runs (by operation and outcome).
// Thread-compatible: one thread calls RunOnce.
class BackupScheduler {
 public:
  using OnEvent = std::function<void(const std::string& what, const base::Status& outcome)>;

  BackupScheduler(Backups& backups, BackupConfig config, const base::Clock& clock,
                  base::MetricsRegistry& metrics, OnEvent on_event);

  void RunOnce();

  static constexpr std::chrono::minutes kRetryAfterFailure{15};

 private:
  bool Due(const std::vector<Backups::OperationStats>& stats, const std::string& operation,
           std::chrono::hours every) const;
  void Publish(const std::vector<Backups::OperationStats>& stats);

  Backups& backups_;
  const BackupConfig config_;
  const base::Clock& clock_;
  OnEvent on_event_;
  base::Gauge& last_success_;
  base::Gauge& last_duration_;
  base::Gauge& last_size_;
  base::Gauge& runs_;
};

}  // namespace strongroom::backup
