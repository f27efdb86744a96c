#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/base/periodic_thread.hpp"

namespace strongroom::audit {

// The audit.verify event for a verification's outcome: allowed and "intact", or failed and
// "tampering_found" with the first bad position and how many problems were found.
Event VerificationEvent(const Actor& actor, base::Time time, const VerifyReport& report);

// Verifies the whole audit log at start and then every `interval`, and records each outcome as
// an audit.verify event, so a damaged log becomes an alert (detect's audit_verification_failed
// rule) without anyone having to run `strongroom audit verify`. Thread-safe.
class PeriodicVerifier {
 public:
  PeriodicVerifier(storage::Store& store, std::filesystem::path checkpoint_file,
                   std::map<std::string, crypto::Ed25519PublicKey> keys, Sink& sink,
                   const base::Clock& clock, std::chrono::milliseconds interval,
                   std::function<void(const base::Result<VerifyReport>&)> on_result = {});
  ~PeriodicVerifier();

  // Verifies and records now. Errors: I/O while reading, or the event could not be recorded.
  base::Result<VerifyReport> RunOnce();
  void Start();
  void Stop();  // Idempotent.

 private:
  storage::Store& store_;
  const std::filesystem::path checkpoint_file_;
  const std::map<std::string, crypto::Ed25519PublicKey> keys_;
  Sink& sink_;
  const base::Clock& clock_;
  const std::chrono::milliseconds interval_;
  const std::function<void(const base::Result<VerifyReport>&)> on_result_;

  base::PeriodicThread thread_;
};

}  // namespace strongroom::audit
