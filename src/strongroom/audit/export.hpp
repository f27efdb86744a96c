#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/record.hpp"
#include "strongroom/base/result.hpp"

namespace strongroom::audit {

// An event as the API and the JSON Lines export give it: every stored field, details as an
// object, and the leaf hash (hex) so a reader can check it against a proof.
nlohmann::json EventToJson(const StoredEvent& event);

// What syslog messages say about where they come from (RFC 5424 HEADER fields).
struct SyslogIdentity {
  int facility = 13;  // "log audit" (RFC 5424 table 1); 0..23.
  std::string hostname = "-";
  std::string app_name = "strongroom";
  std::string proc_id = "-";
};

// The RFC 5424 message for an event: PRI from the facility and the outcome (allowed:
// informational, denied: warning, failed: error), the event's own time, MSGID the action, the
// fields as structured data [audit@32473 ...] and the JSON form as MSG (BOM, UTF-8). When the
// whole message would exceed `max_bytes`, MSG says where to fetch the event instead and the
// structured data alone travels. 32473 is the enterprise number RFC 5612 reserves for examples:
// Strongroom has none of its own.
std::string SyslogEventMessage(const StoredEvent& event, const SyslogIdentity& id,
                               std::size_t max_bytes = 8192);
// The RFC 5424 message for a signed checkpoint (MSGID "checkpoint", severity notice), so the
// log's state is also held outside the server by whoever keeps the syslog.
std::string SyslogCheckpointMessage(const SignedCheckpoint& checkpoint, const SyslogIdentity& id);

}  // namespace strongroom::audit
