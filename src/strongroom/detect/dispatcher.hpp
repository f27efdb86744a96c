#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "strongroom/base/mutex.hpp"
#include "strongroom/base/periodic_thread.hpp"
#include "strongroom/detect/alert_store.hpp"

namespace strongroom::detect {

// The alert as the API lists it and the webhook receives it.
nlohmann::json AlertJson(const Alert& alert);

// Sends one alert out (the HTTPS webhook). Called from the dispatcher's one thread; may block up
// to its own timeout.
class Notifier {
 public:
  virtual ~Notifier() = default;
  // `body` is the JSON document to deliver. Errors: any; the message says why and holds no
  // secret.
  virtual base::Status Deliver(const std::string& body) = 0;
};

struct DispatcherOptions {
  std::uint32_t max_attempts = 12;
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(2)};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(30)};
  std::chrono::milliseconds idle_poll{std::chrono::seconds(5)};
  // Told about failed attempts and store errors (called on the dispatcher thread).
  std::function<void(const std::string& alert_id, const base::Status&)> on_error;
};

// The delay before attempt `attempt` + 1 after `attempt` failed ones: initial_backoff doubled for
// each failure after the first, at most max_backoff.
std::chrono::milliseconds BackoffAfter(std::uint32_t attempt, const DispatcherOptions& options);

// Delivers pending alerts through a Notifier, oldest first, retrying a failed delivery with
// exponential backoff until max_attempts, when the alert is marked failed (and that is audited).
// Delivery state lives in the store, so retries continue after a restart. Thread-safe.
class AlertDispatcher {
 public:
  AlertDispatcher(AlertStore& alerts, Notifier& notifier, const base::Clock& clock,
                  DispatcherOptions options);
  ~AlertDispatcher();

  // Attempts every delivery due now. Returns how many succeeded.
  base::Result<std::size_t> RunOnce();
  void Start();
  // Makes the thread look for due deliveries now (new alerts).
  void Wake();
  void Stop();  // Idempotent.

 private:
  AlertStore& alerts_;
  Notifier& notifier_;
  const base::Clock& clock_;
  const DispatcherOptions options_;

  base::Mutex run_mu_;  // One RunOnce at a time.
  base::PeriodicThread thread_;
};

}  // namespace strongroom::detect
