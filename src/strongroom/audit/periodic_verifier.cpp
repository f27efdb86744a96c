#include "strongroom/audit/periodic_verifier.hpp"

#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {

Event VerificationEvent(const Actor& actor, base::Time time, const VerifyReport& report) {
  Event e = MakeEvent(actor, time, "audit.verify", "audit_log",
                      report.ok() ? Outcome::kAllowed : Outcome::kFailed,
                      report.ok() ? "intact" : "tampering_found");
  e.details["events"] = std::to_string(report.events);
  e.details["checkpoints"] = std::to_string(report.checkpoints);
  e.details["covered"] = std::to_string(report.covered);
  if (report.first_bad_seq) e.details["first_bad_seq"] = std::to_string(*report.first_bad_seq);
  if (!report.ok()) e.details["problems"] = std::to_string(report.problems.size());
  return e;
}

PeriodicVerifier::PeriodicVerifier(storage::Store& store, std::filesystem::path checkpoint_file,
                                   std::map<std::string, crypto::Ed25519PublicKey> keys, Sink& sink,
                                   const base::Clock& clock, std::chrono::milliseconds interval,
                                   std::function<void(const base::Result<VerifyReport>&)> on_result)
    : store_(store),
      checkpoint_file_(std::move(checkpoint_file)),
      keys_(std::move(keys)),
      sink_(sink),
      clock_(clock),
      interval_(interval),
      on_result_(std::move(on_result)),
      thread_([this] {
        auto result = RunOnce();
        if (on_result_) on_result_(result);
        return interval_;
      }) {}

PeriodicVerifier::~PeriodicVerifier() { Stop(); }

base::Result<VerifyReport> PeriodicVerifier::RunOnce() {
  SR_ASSIGN_OR_RETURN(VerifyReport report, VerifyAuditLog(store_, checkpoint_file_, keys_));
  SR_RETURN_IF_ERROR(sink_.Record(
      VerificationEvent(Actor{"audit-verifier", "system", "local", ""}, clock_.Now(), report)));
  return report;
}

void PeriodicVerifier::Start() { thread_.Start(); }

void PeriodicVerifier::Stop() { thread_.Stop(); }

}  // namespace strongroom::audit
