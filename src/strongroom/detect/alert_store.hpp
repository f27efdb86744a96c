#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/detect/rules.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::detect {

enum class Delivery { kNone, kPending, kDelivered, kFailed };
std::string_view DeliveryName(Delivery delivery);

struct Alert {
  std::string id;     // "alr_<seq>_<rule>": one rule raises at most one alert per event.
  std::uint64_t seq;  // The event that completed it.
  std::string rule;
  Severity severity;
  std::string subject;
  std::string summary;
  std::string tenant_id;
  std::vector<std::uint64_t> event_seqs;
  std::string event_time;  // RFC 3339: the completing event's time.
  std::string raised_at;
  bool acknowledged = false;
  std::optional<std::string> acknowledged_by;  // A user id.
  std::optional<std::string> acknowledged_at;
  std::optional<std::string> note;
  Delivery delivery = Delivery::kNone;
  std::int64_t delivery_attempts = 0;
  std::optional<std::string> next_delivery_at;
  std::optional<std::string> delivered_at;
  std::optional<std::string> last_delivery_error;
};

struct AlertQuery {
  std::optional<bool> acknowledged;  // Only open (false) or acknowledged (true) alerts.
  std::optional<std::string> rule;
  std::optional<std::string> tenant_id;
  std::size_t limit = 100;
  std::optional<std::string> cursor;  // From a previous page's next_cursor.
};

struct AlertPage {
  std::vector<Alert> alerts;  // Newest first.
  std::optional<std::string> next_cursor;
};

// Alerts in the main store: raised by the detection monitor, listed and acknowledged over the
// API, delivered by the dispatcher. Every change is audited (alerts.raise, alerts.acknowledge,
// alerts.deliver). Thread-safe.
class AlertStore {
 public:
  AlertStore(storage::Store& store, audit::Sink& audit, const base::Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Inside `tx`: stores the alert for `hit` (pending delivery when `deliver`), unless that alert
  // already exists, and records alerts.raise. Returns whether it was new.
  base::Result<bool> Raise(storage::Transaction& tx, const Hit& hit, std::uint64_t seq,
                           bool deliver);

  // Errors: kInvalidArgument (a bad cursor or limit).
  base::Result<AlertPage> List(const AlertQuery& query);
  // Errors: kNotFound.
  base::Result<Alert> Get(const std::string& id);
  // Marks the alert acknowledged by `actor` (a security officer; the caller checks the
  // permission) with an optional note of at most 2000 characters. Errors: kNotFound,
  // kFailedPrecondition (already acknowledged), kInvalidArgument (the note), kUnavailable (audit).
  base::Result<Alert> Acknowledge(const audit::Actor& actor, const std::string& id,
                                  std::optional<std::string> note);

  // Alerts waiting for delivery whose next attempt is due at `now`, oldest first.
  base::Result<std::vector<Alert>> DueForDelivery(base::Time now, std::size_t limit);
  // The earliest next attempt of any pending alert.
  base::Result<std::optional<base::Time>> NextDeliveryDue();
  base::Status MarkDelivered(const std::string& id);
  // Records a failed attempt; with `retry_at` it is tried again then, otherwise it has failed
  // for good.
  base::Status MarkAttemptFailed(const std::string& id, const std::string& error,
                                 std::optional<base::Time> retry_at);

 private:
  storage::Store& store_;
  audit::Sink& audit_;
  const base::Clock& clock_;
};

}  // namespace strongroom::detect
