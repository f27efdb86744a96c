#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/periodic_thread.hpp"
#include "strongroom/detect/alert_store.hpp"
#include "strongroom/detect/config.hpp"
#include "strongroom/detect/detector.hpp"

namespace strongroom::detect {

struct MonitorOptions {
  std::chrono::milliseconds poll_interval{500};
  std::size_t page = 1000;  // Events read and committed at a time.
  bool deliver = false;     // New alerts wait for the webhook dispatcher.
  // Told about failures no caller sees (called on the monitor thread).
  std::function<void(const base::Status&)> on_error;
  // Called after alerts were raised (to wake the dispatcher).
  std::function<void()> on_raised;
};

// Tails the audit log from a cursor kept in the main store, runs the rules over each event and
// raises alerts. The alerts, the sources seen and the cursor move in one transaction, so an event
// is judged once across restarts and crashes: after a restart the rules' windows are rebuilt by
// replaying the events of the longest window before the cursor, which raises nothing again.
// Thread-safe: RunOnce may be called while the thread runs (calls are serialised).
class DetectionMonitor {
 public:
  DetectionMonitor(storage::Store& store, audit::AuditLog& log, AlertStore& alerts,
                   DetectionConfig config, const base::Clock& clock, MonitorOptions options);
  ~DetectionMonitor();

  // Judges every event recorded so far. Returns how many alerts were raised.
  base::Result<std::size_t> RunOnce();
  // Starts the background thread that calls RunOnce every poll_interval.
  void Start();
  // Stops the thread after a last RunOnce. Idempotent.
  void Stop();

 private:
  base::Status Rebuild() SR_REQUIRES(run_mu_);
  base::Result<std::uint64_t> LoadCursor();

  storage::Store& store_;
  audit::AuditLog& log_;
  AlertStore& alerts_;
  const DetectionConfig config_;
  const base::Clock& clock_;
  const MonitorOptions options_;

  base::Mutex run_mu_;
  std::unique_ptr<Detector> detector_ SR_GUARDED_BY(run_mu_);  // Null until rebuilt.
  std::uint64_t cursor_ SR_GUARDED_BY(run_mu_) = 0;

  base::PeriodicThread thread_;
};

}  // namespace strongroom::detect
