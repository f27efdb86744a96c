#include "strongroom/detect/dispatcher.hpp"

#include <algorithm>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::detect {

nlohmann::json AlertJson(const Alert& a) {
  using nlohmann::json;
  const auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return {{"id", a.id},
          {"rule", a.rule},
          {"severity", SeverityName(a.severity)},
          {"subject", a.subject},
          {"summary", a.summary},
          {"tenant_id", a.tenant_id.empty() ? json(nullptr) : json(a.tenant_id)},
          {"event_seqs", a.event_seqs},
          {"event_time", a.event_time},
          {"raised_at", a.raised_at},
          {"status", a.acknowledged ? "acknowledged" : "open"},
          {"acknowledged_by", opt(a.acknowledged_by)},
          {"acknowledged_at", opt(a.acknowledged_at)},
          {"note", opt(a.note)},
          {"delivery",
           {{"state", DeliveryName(a.delivery)},
            {"attempts", a.delivery_attempts},
            {"next_attempt_at", opt(a.next_delivery_at)},
            {"delivered_at", opt(a.delivered_at)},
            {"last_error", opt(a.last_delivery_error)}}}};
}

std::chrono::milliseconds BackoffAfter(std::uint32_t attempt, const DispatcherOptions& options) {
  std::chrono::milliseconds delay = options.initial_backoff;
  for (std::uint32_t i = 1; i < attempt && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
}

AlertDispatcher::AlertDispatcher(AlertStore& alerts, Notifier& notifier, const base::Clock& clock,
                                 DispatcherOptions options)
    : alerts_(alerts),
      notifier_(notifier),
      clock_(clock),
      options_(std::move(options)),
      thread_([this] {
        auto ran = RunOnce();
        if (!ran.ok() && options_.on_error) options_.on_error("", ran.error());
        // Until the next retry is due, a new alert arrives (Wake), or the idle poll.
        auto wait = options_.idle_poll;
        if (auto next = alerts_.NextDeliveryDue(); next.ok() && *next) {
          const auto until =
              std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_.Now());
          wait = std::clamp(until, std::chrono::milliseconds(10), options_.idle_poll);
        }
        return wait;
      }) {}

AlertDispatcher::~AlertDispatcher() { Stop(); }

base::Result<std::size_t> AlertDispatcher::RunOnce() {
  base::MutexLock l(&run_mu_);
  std::size_t delivered = 0;
  for (;;) {
    SR_ASSIGN_OR_RETURN(const std::vector<Alert> due, alerts_.DueForDelivery(clock_.Now(), 16));
    if (due.empty()) return delivered;
    for (const Alert& alert : due) {
      const std::string body = nlohmann::json{{"alert", AlertJson(alert)}}.dump();
      const base::Status sent = notifier_.Deliver(body);
      if (sent.ok()) {
        SR_RETURN_IF_ERROR(alerts_.MarkDelivered(alert.id));
        ++delivered;
        continue;
      }
      const auto attempts = static_cast<std::uint32_t>(alert.delivery_attempts + 1);
      std::optional<base::Time> retry;
      if (attempts < options_.max_attempts) retry = clock_.Now() + BackoffAfter(attempts, options_);
      if (options_.on_error) options_.on_error(alert.id, sent);
      SR_RETURN_IF_ERROR(alerts_.MarkAttemptFailed(alert.id, sent.message(), retry));
    }
  }
}

void AlertDispatcher::Start() { thread_.Start(); }
void AlertDispatcher::Wake() { thread_.Wake(); }
void AlertDispatcher::Stop() { thread_.Stop(); }

}  // namespace strongroom::detect
