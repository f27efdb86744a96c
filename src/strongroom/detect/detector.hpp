#pragma once

#include <memory>
#include <vector>

#include "strongroom/audit/record.hpp"
#include "strongroom/detect/config.hpp"
#include "strongroom/detect/rules.hpp"

namespace strongroom::detect {

// Runs every enabled rule over audit events in log order. Events the detection itself records
// (alerts.*) are not fed back to the rules. Not thread-safe: one thread feeds a detector.
class Detector {
 public:
  explicit Detector(const DetectionConfig& config);
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // The hits this event completes, in rule order.
  std::vector<Hit> Observe(const audit::StoredEvent& event);

  SourceHistory& history() { return history_; }

 private:
  SourceHistory history_;
  std::vector<std::unique_ptr<Rule>> rules_;
};

}  // namespace strongroom::detect
