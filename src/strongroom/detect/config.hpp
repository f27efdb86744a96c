#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/result.hpp"

namespace strongroom::detect {

enum class Severity { kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);
// Errors (kInvalidArgument) list the accepted names.
base::Result<Severity> ParseSeverity(std::string_view name);

// One rule's settings. `threshold` events within `window` make a hit; rules that fire on a
// single event (break-glass, a failed verification) use neither.
struct RuleSettings {
  bool enabled = true;
  std::uint32_t threshold = 1;
  std::chrono::seconds window{60};
  Severity severity = Severity::kMedium;
};

// The detection rules' settings and where alerts are delivered. Defaults are the shipped
// policy; an operator overrides any part with a JSON file (docs/detection.md).
struct DetectionConfig {
  // Sign-in failures for one account.
  RuleSettings signin_failures{true, 5, std::chrono::minutes(5), Severity::kMedium};
  // One source address failing sign-in for `threshold` distinct accounts.
  RuleSettings signin_spraying{true, 10, std::chrono::minutes(10), Severity::kHigh};
  // A successful sign-in after at least `threshold` failures for the account within `window`.
  RuleSettings success_after_failures{true, 3, std::chrono::minutes(15), Severity::kHigh};
  // A provider user denied access to a client's data, `threshold` times within `window`.
  RuleSettings provider_denied_client_data{true, 1, std::chrono::minutes(1), Severity::kMedium};
  // One principal reading more than `threshold` records or files within `window`.
  RuleSettings mass_export{true, 100, std::chrono::minutes(1), Severity::kHigh};
  // Any break-glass access opened.
  RuleSettings break_glass{true, 1, std::chrono::seconds(1), Severity::kCritical};
  // An audit verification that found the log damaged.
  RuleSettings audit_verification_failed{true, 1, std::chrono::seconds(1), Severity::kCritical};
  // A sign-in by one of `admin_roles` from a source address that user has not signed in from.
  RuleSettings admin_new_source{true, 1, std::chrono::seconds(1), Severity::kHigh};
  std::vector<std::string> admin_roles{"admin"};
  // Actions (an event's action, or the permission an access decision was asked for) that count
  // as reading client data for mass_export. An event's details.count, when a whole number,
  // counts that many.
  std::vector<std::string> data_read_actions{"records.read", "files.read"};

  struct Webhook {
    std::string url;                                   // https://host[:port]/path
    std::optional<std::filesystem::path> ca_file;      // Trust only this CA; else the system's.
    std::optional<std::filesystem::path> secret_file;  // HMAC-SHA256 key for the signature.
    std::uint32_t max_attempts = 12;
    std::chrono::milliseconds initial_backoff{std::chrono::seconds(2)};
    std::chrono::milliseconds max_backoff{std::chrono::minutes(30)};
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  };
  std::optional<Webhook> webhook;
};

// Parses a detection configuration (JSON). Anything not given keeps its default. Errors
// (kInvalidArgument) name the offending key and what is accepted; unknown keys are refused so
// a misspelt threshold is not silently ignored.
base::Result<DetectionConfig> ParseDetectionConfig(std::string_view json_text);
// Reads and parses `path`. Errors: kNotFound, kInvalidArgument (with the path).
base::Result<DetectionConfig> LoadDetectionConfig(const std::filesystem::path& path);

}  // namespace strongroom::detect
