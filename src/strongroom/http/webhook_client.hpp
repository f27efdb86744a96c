#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/detect/config.hpp"
#include "strongroom/detect/dispatcher.hpp"

namespace strongroom::http {

// Delivers alerts to an HTTPS webhook: one POST of the JSON body per alert, TLS 1.2+ with the
// server's certificate verified (against the configured CA, else the system's) and its name
// checked, and a 2xx answer within the timeout counted as delivered. With a secret, each request
// carries `X-Strongroom-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256(secret, t "." body)>`
// so the receiver can check origin and freshness. Thread-compatible: the dispatcher's one thread
// calls it.
class WebhookNotifier final : public detect::Notifier {
 public:
  // Errors (kInvalidArgument): a URL that is not https://host[:port][/path], an unusable CA
  // file, a secret file that is missing, empty or readable by group or others.
  static base::Result<std::unique_ptr<WebhookNotifier>> Create(
      const detect::DetectionConfig::Webhook& config, const base::Clock& clock);
  ~WebhookNotifier() override;

  base::Status Deliver(const std::string& body) override;

  struct Impl;

 private:
  explicit WebhookNotifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strongroom::http
