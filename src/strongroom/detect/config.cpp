#include "strongroom/detect/config.hpp"

#include <nlohmann/json.hpp>

#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/identity/role.hpp"

namespace strongroom::detect {
namespace {

using nlohmann::json;

constexpr std::string_view kSeverityNames[] = {"low", "medium", "high", "critical"};

base::Status CheckKeys(const json& object, std::string_view where,
                       std::initializer_list<std::string_view> accepted) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view a : accepted) known = known || key == a;
    if (!known) {
      std::string list;
      for (std::string_view a : accepted) list += (list.empty() ? "" : ", ") + std::string(a);
      return base::InvalidArgumentError("unknown key '" + key + "' in " + std::string(where) +
                                        "; accepted: " + list);
    }
  }
  return base::OkStatus();
}

base::Result<std::int64_t> WholeNumber(const json& object, std::string_view key,
                                       std::string_view where, std::int64_t lo, std::int64_t hi,
                                       std::int64_t fallback) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
    return base::InvalidArgumentError(std::string(where) + "." + std::string(key) +
                                      " must be a whole number from " + std::to_string(lo) +
                                      " to " + std::to_string(hi));
  }
  return it->get<std::int64_t>();
}

base::Result<std::string> Text(const json& object, std::string_view key, std::string_view where) {
  const auto it = object.find(key);
  if (it == object.end()) return std::string();
  if (!it->is_string() || it->get<std::string>().empty()) {
    return base::InvalidArgumentError(std::string(where) + "." + std::string(key) +
                                      " must be a non-empty string");
  }
  return it->get<std::string>();
}

base::Result<std::vector<std::string>> TextList(const json& object, std::string_view key,
                                                std::string_view where,
                                                std::vector<std::string> fallback) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  const std::string name = std::string(where) + "." + std::string(key);
  if (!it->is_array() || it->empty()) {
    return base::InvalidArgumentError(name + " must be a non-empty list of strings");
  }
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty()) {
      return base::InvalidArgumentError(name + " must be a non-empty list of strings");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

// `single` rules fire on one event and take neither threshold nor window.
base::Status ParseRule(const json& rules, std::string_view name, bool single,
                       RuleSettings& settings, const json** raw = nullptr) {
  const auto it = rules.find(name);
  if (it == rules.end()) return base::OkStatus();
  const std::string where = "rules." + std::string(name);
  if (!it->is_object()) return base::InvalidArgumentError(where + " must be an object");
  if (raw) *raw = &*it;
  if (single) {
    SR_RETURN_IF_ERROR(
        CheckKeys(*it, where,
                  name == "admin_new_source"
                      ? std::initializer_list<std::string_view>{"enabled", "severity", "roles"}
                      : std::initializer_list<std::string_view>{"enabled", "severity"}));
  } else {
    SR_RETURN_IF_ERROR(
        CheckKeys(*it, where,
                  name == "mass_export"
                      ? std::initializer_list<std::string_view>{"enabled", "severity", "threshold",
                                                                "window_seconds", "actions"}
                      : std::initializer_list<std::string_view>{"enabled", "severity", "threshold",
                                                                "window_seconds"}));
    SR_ASSIGN_OR_RETURN(const std::int64_t threshold,
                        WholeNumber(*it, "threshold", where, 1, 1'000'000, settings.threshold));
    SR_ASSIGN_OR_RETURN(const std::int64_t window, WholeNumber(*it, "window_seconds", where, 1,
                                                               7 * 86400, settings.window.count()));
    settings.threshold = static_cast<std::uint32_t>(threshold);
    settings.window = std::chrono::seconds(window);
  }
  if (const auto e = it->find("enabled"); e != it->end()) {
    if (!e->is_boolean())
      return base::InvalidArgumentError(where + ".enabled must be true or false");
    settings.enabled = e->get<bool>();
  }
  if (const auto s = it->find("severity"); s != it->end()) {
    if (!s->is_string()) {
      return base::InvalidArgumentError(where +
                                        ".severity must be one of low, medium, high, critical");
    }
    auto parsed = ParseSeverity(s->get<std::string>());
    if (!parsed.ok()) return base::InvalidArgumentError(where + ": " + parsed.error().message());
    settings.severity = *parsed;
  }
  return base::OkStatus();
}

base::Result<std::chrono::milliseconds> Seconds(const json& object, std::string_view key,
                                                std::string_view where, std::int64_t lo,
                                                std::int64_t hi,
                                                std::chrono::milliseconds fallback) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number() || it->get<double>() * 1000 < static_cast<double>(lo) ||
      it->get<double>() * 1000 > static_cast<double>(hi)) {
    return base::InvalidArgumentError(
        std::string(where) + "." + std::string(key) + " must be a number of seconds from " +
        std::to_string(static_cast<double>(lo) / 1000) + " to " + std::to_string(hi / 1000));
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(it->get<double>() * 1000));
}

base::Result<DetectionConfig::Webhook> ParseWebhook(const json& w) {
  constexpr std::string_view kWhere = "webhook";
  if (!w.is_object()) return base::InvalidArgumentError("webhook must be an object");
  SR_RETURN_IF_ERROR(
      CheckKeys(w, kWhere,
                {"url", "ca_file", "secret_file", "max_attempts", "initial_backoff_seconds",
                 "max_backoff_seconds", "timeout_seconds"}));
  DetectionConfig::Webhook out;
  SR_ASSIGN_OR_RETURN(out.url, Text(w, "url", kWhere));
  if (!out.url.starts_with("https://") || out.url.size() <= 8) {
    return base::InvalidArgumentError(
        "webhook.url must be an https:// URL (alerts leave only over TLS), e.g. "
        "https://siem.example.com/hooks/strongroom");
  }
  SR_ASSIGN_OR_RETURN(const std::string ca, Text(w, "ca_file", kWhere));
  if (!ca.empty()) out.ca_file = ca;
  SR_ASSIGN_OR_RETURN(const std::string secret, Text(w, "secret_file", kWhere));
  if (!secret.empty()) out.secret_file = secret;
  SR_ASSIGN_OR_RETURN(const std::int64_t attempts,
                      WholeNumber(w, "max_attempts", kWhere, 1, 1000, out.max_attempts));
  out.max_attempts = static_cast<std::uint32_t>(attempts);
  SR_ASSIGN_OR_RETURN(out.initial_backoff, Seconds(w, "initial_backoff_seconds", kWhere, 10,
                                                   3'600'000, out.initial_backoff));
  SR_ASSIGN_OR_RETURN(out.max_backoff,
                      Seconds(w, "max_backoff_seconds", kWhere, 10, 86'400'000, out.max_backoff));
  SR_ASSIGN_OR_RETURN(out.timeout,
                      Seconds(w, "timeout_seconds", kWhere, 100, 300'000, out.timeout));
  if (out.max_backoff < out.initial_backoff) {
    return base::InvalidArgumentError(
        "webhook.max_backoff_seconds must be at least initial_backoff_seconds");
  }
  return out;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  return kSeverityNames[static_cast<int>(severity)];
}

base::Result<Severity> ParseSeverity(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  }
  return base::InvalidArgumentError("unknown severity '" + std::string(name) +
                                    "'; accepted: low, medium, high, critical");
}

base::Result<DetectionConfig> ParseDetectionConfig(std::string_view json_text) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return base::InvalidArgumentError("the detection configuration must be a JSON object");
  }
  SR_RETURN_IF_ERROR(CheckKeys(root, "the detection configuration", {"rules", "webhook"}));
  DetectionConfig config;
  if (const auto rules = root.find("rules"); rules != root.end()) {
    if (!rules->is_object()) return base::InvalidArgumentError("rules must be an object");
    SR_RETURN_IF_ERROR(CheckKeys(*rules, "rules",
                                 {"signin_failures", "signin_spraying", "success_after_failures",
                                  "provider_denied_client_data", "mass_export", "break_glass",
                                  "audit_verification_failed", "admin_new_source"}));
    SR_RETURN_IF_ERROR(ParseRule(*rules, "signin_failures", false, config.signin_failures));
    SR_RETURN_IF_ERROR(ParseRule(*rules, "signin_spraying", false, config.signin_spraying));
    SR_RETURN_IF_ERROR(
        ParseRule(*rules, "success_after_failures", false, config.success_after_failures));
    SR_RETURN_IF_ERROR(ParseRule(*rules, "provider_denied_client_data", false,
                                 config.provider_denied_client_data));
    const json* mass = nullptr;
    SR_RETURN_IF_ERROR(ParseRule(*rules, "mass_export", false, config.mass_export, &mass));
    if (mass) {
      SR_ASSIGN_OR_RETURN(config.data_read_actions, TextList(*mass, "actions", "rules.mass_export",
                                                             config.data_read_actions));
    }
    SR_RETURN_IF_ERROR(ParseRule(*rules, "break_glass", true, config.break_glass));
    SR_RETURN_IF_ERROR(
        ParseRule(*rules, "audit_verification_failed", true, config.audit_verification_failed));
    const json* admin = nullptr;
    SR_RETURN_IF_ERROR(
        ParseRule(*rules, "admin_new_source", true, config.admin_new_source, &admin));
    if (admin) {
      SR_ASSIGN_OR_RETURN(config.admin_roles,
                          TextList(*admin, "roles", "rules.admin_new_source", config.admin_roles));
      for (const std::string& role : config.admin_roles) {
        if (auto parsed = identity::ParseRole(role); !parsed.ok()) {
          return base::InvalidArgumentError("rules.admin_new_source.roles: " +
                                            parsed.error().message());
        }
      }
    }
  }
  if (const auto w = root.find("webhook"); w != root.end()) {
    SR_ASSIGN_OR_RETURN(config.webhook, ParseWebhook(*w));
  }
  return config;
}

base::Result<DetectionConfig> LoadDetectionConfig(const std::filesystem::path& path) {
  auto text = base::ReadSmallFile(path, 1 << 20);
  if (!text.ok()) return text.error();
  auto config = ParseDetectionConfig(*text);
  if (!config.ok()) {
    return base::InvalidArgumentError(path.string() + ": " + config.error().message());
  }
  return config;
}

}  // namespace strongroom::detect
