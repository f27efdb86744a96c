#include "strongroom/detect/detector.hpp"

#include <nlohmann/json.hpp>

namespace strongroom::detect {

Detector::Detector(const DetectionConfig& config) : rules_(MakeRules(config, history_)) {}

std::vector<Hit> Detector::Observe(const audit::StoredEvent& event) {
  std::vector<Hit> hits;
  if (event.action.starts_with("alerts.")) return hits;
  const auto time = base::ParseRfc3339(event.time);
  if (!time.ok()) return hits;  // The log writes only valid times; verify reports others.
  ObservedEvent observed{event, *time, {}};
  const auto details = nlohmann::json::parse(event.details, nullptr, /*allow_exceptions=*/false);
  if (details.is_object()) {
    for (const auto& [key, value] : details.items()) {
      if (value.is_string()) {
        observed.details[key] = value.get<std::string>();
      } else if (value.is_number()) {
        observed.details[key] = value.dump();
      }
    }
  }
  for (const auto& rule : rules_) rule->Observe(observed, hits);
  return hits;
}

}  // namespace strongroom::detect
