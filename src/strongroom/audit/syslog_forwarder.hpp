#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/export.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/periodic_thread.hpp"

namespace strongroom::audit {

struct SyslogTarget {
  enum class Transport { kUdp, kTcp };
  Transport transport = Transport::kUdp;
  std::string host;
  std::uint16_t port = 514;
  std::string text;  // As given: names the target's cursor.
};

// "udp://HOST:PORT" (RFC 5426) or "tcp://HOST:PORT" (RFC 6587 octet counting); HOST a name, an
// IPv4 address or [IPv6]. Errors (kInvalidArgument) show the accepted forms.
base::Result<SyslogTarget> ParseSyslogTarget(std::string_view text);

struct SyslogForwarderOptions {
  SyslogIdentity identity;
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds timeout{5000};  // Connecting and sending, per attempt.
  std::size_t page = 500;
  bool checkpoints = true;  // Send each new signed checkpoint too.
  // Told about failures (called on the forwarder thread); the forwarder retries every poll.
  std::function<void(const base::Status&)> on_error;
};

// Forwards every audit event, in order, to a syslog receiver as RFC 5424 messages, and each new
// signed checkpoint after the events it covers. Its position is kept in the audit store, so a
// restart resumes where it stopped and a receiver that was down gets what it missed (over TCP:
// at least once; a message in flight when the connection broke may arrive twice; over UDP
// nothing confirms receipt). A new target starts from the first event. Thread-safe.
class SyslogForwarder {
 public:
  SyslogForwarder(AuditLog& log, storage::Store& audit_store, SyslogTarget target,
                  SyslogForwarderOptions options);
  ~SyslogForwarder();

  // Sends everything not yet sent. Returns the number of messages sent. Errors: kUnavailable
  // when the receiver cannot be reached (what was sent before stays sent).
  base::Result<std::size_t> RunOnce();
  void Start();
  void Stop();  // Sends what is left, once, then stops. Idempotent.

  class Transport;

 private:
  base::Status SaveCursor(std::uint64_t next_seq, std::uint64_t checkpoint_size);

  AuditLog& log_;
  storage::Store& store_;
  const SyslogTarget target_;
  const SyslogForwarderOptions options_;

  base::Mutex run_mu_;
  std::unique_ptr<Transport> transport_ SR_GUARDED_BY(run_mu_);

  base::PeriodicThread thread_;
};

}  // namespace strongroom::audit
