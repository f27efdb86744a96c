#pragma once

#include <memory>
#include <string>
#include <vector>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/evidence.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::isms {

// How far a framework's requirements are met, as of any time (docs/isms.md, "Coverage"):
// - a requirement that controls are mapped to (as the controls stood then) is
//   met            when every applicable mapped control is implemented and has evidence in force;
//   partly met     when at least one is implemented but not all are with evidence in force;
//   not met        when none is implemented;
//   not applicable when every mapped control is not applicable (their justifications are the
//                  reasons);
// - a requirement no control is mapped to is assessed through the crosswalks that link it to
//   requirements of other frameworks that controls are mapped to, and says so; without any, it is
//   not met ("no control addresses it");
// - a requirement with children (a category, a theme, a clause) aggregates them: not applicable
//   when all are, met when all are met or not applicable, not met when none is met or partly
//   met, otherwise partly met.
// Withdrawn requirements are not assessed.

enum class CoverageStatus { kMet, kPartlyMet, kNotMet, kNotApplicable };
std::string_view CoverageStatusName(CoverageStatus s);

struct CoverageReason {
  std::string control_id;
  std::string control_title;
  ControlStatus control_status = ControlStatus::kPlanned;
  std::uint64_t evidence_in_force = 0;
  // How the control reaches the requirement: "ours", "crosswalk:<id>" (a mapping derived through
  // a crosswalk), or "crosswalk:<id> via <framework>:<requirement>" (assessed through a crosswalk
  // at computation time).
  std::string via;
  std::string note;  // In words: "implemented, 2 pieces of evidence in force", ...
};

struct RequirementCoverage {
  std::string id;
  std::optional<std::string> parent;
  std::string kind;
  std::string title;
  CoverageStatus status = CoverageStatus::kNotMet;
  std::string basis;  // "mapped", "crosswalk", "children" or "none".
  std::vector<CoverageReason> reasons;
};

struct CoverageSummary {
  std::uint64_t met = 0, partly_met = 0, not_met = 0, not_applicable = 0;  // Over leaves.
};

struct OverdueReview {
  std::string control_id;
  std::string title;
  std::string owner_id;
  std::string next_review;
};

struct Coverage {
  std::string framework;
  std::string as_of;                              // RFC 3339.
  std::vector<RequirementCoverage> requirements;  // Document order.
  CoverageSummary summary;
  // Framework-independent, shared by every framework computed together.
  std::shared_ptr<const std::vector<OverdueReview>> overdue_reviews;  // Applicable controls.
  std::shared_ptr<const std::vector<ExpiredEvidence>> expired_evidence;
};

// Thread-compatible; reads only.
class CoverageCalculator {
 public:
  CoverageCalculator(Frameworks& frameworks, Controls& controls, EvidenceStore& evidence)
      : frameworks_(frameworks), controls_(controls), evidence_(evidence) {}

  // Errors: kNotFound (framework), store errors.
  base::Result<Coverage> Compute(const std::string& framework, base::Time as_of);
  // Several frameworks over one reading of the controls and evidence.
  base::Result<std::vector<Coverage>> ComputeAll(const std::vector<std::string>& frameworks,
                                                 base::Time as_of);

 private:
  Frameworks& frameworks_;
  Controls& controls_;
  EvidenceStore& evidence_;
};

nlohmann::json CoverageJson(const Coverage& c, bool include_lists = true);

}  // namespace strongroom::isms
