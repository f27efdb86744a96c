#include "strongroom/isms/coverage.hpp"

#include <map>
#include <set>

#include "strongroom/base/status_macros.hpp"

namespace strongroom::isms {
namespace {

using nlohmann::json;

// Everything coverage reads, once per computation.
struct Snapshot {
  base::Time as_of;
  std::vector<Control> controls;
  EvidenceInForce in_force;
  // (framework, requirement) -> (control index, source) for every mapping.
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<std::size_t, std::string>>>
      mapped;
  std::vector<StoredCrosswalk> crosswalks;
  std::map<std::string, std::vector<CrosswalkPair>> pairs;  // By crosswalk id.
};

base::Result<std::vector<Requirement>> AllRequirements(Frameworks& frameworks,
                                                       const std::string& framework) {
  std::vector<Requirement> out;
  std::string after;
  for (;;) {
    SR_ASSIGN_OR_RETURN(RequirementPage page,
                        frameworks.Requirements(framework, std::nullopt, after, 1000,
                                                /*with_extra=*/false));
    for (Requirement& r : page.items) out.push_back(std::move(r));
    if (!page.next) return out;
    after = *page.next;
  }
}

CoverageReason ReasonFor(const Snapshot& s, std::size_t index, std::string via) {
  const Control& c = s.controls[index];
  CoverageReason r;
  r.control_id = c.id;
  r.control_title = c.title;
  r.control_status = c.status;
  const auto it = s.in_force.find(c.id);
  r.evidence_in_force = it == s.in_force.end() ? 0 : it->second;
  r.via = std::move(via);
  switch (c.status) {
    case ControlStatus::kNotApplicable:
      r.note = "not applicable: " + c.justification;
      break;
    case ControlStatus::kPlanned:
      r.note = "planned, not implemented";
      break;
    case ControlStatus::kImplemented:
      r.note = r.evidence_in_force == 0 ? "implemented, but no evidence in force"
                                        : "implemented, " + std::to_string(r.evidence_in_force) +
                                              (r.evidence_in_force == 1 ? " piece" : " pieces") +
                                              " of evidence in force";
      break;
  }
  return r;
}

// The status the mapped controls give a requirement.
CoverageStatus FromReasons(const std::vector<CoverageReason>& reasons) {
  std::size_t applicable = 0, implemented = 0, effective = 0;
  for (const CoverageReason& r : reasons) {
    if (r.control_status == ControlStatus::kNotApplicable) continue;
    ++applicable;
    if (r.control_status == ControlStatus::kImplemented) {
      ++implemented;
      if (r.evidence_in_force > 0) ++effective;
    }
  }
  if (applicable == 0) return CoverageStatus::kNotApplicable;
  if (effective == applicable) return CoverageStatus::kMet;
  if (implemented > 0) return CoverageStatus::kPartlyMet;
  return CoverageStatus::kNotMet;
}

CoverageStatus FromChildren(const std::vector<CoverageStatus>& children) {
  std::size_t na = 0, met = 0, partly = 0;
  for (CoverageStatus c : children) {
    if (c == CoverageStatus::kNotApplicable) ++na;
    if (c == CoverageStatus::kMet) ++met;
    if (c == CoverageStatus::kPartlyMet) ++partly;
  }
  if (na == children.size()) return CoverageStatus::kNotApplicable;
  if (met + na == children.size()) return CoverageStatus::kMet;
  if (met + partly == 0) return CoverageStatus::kNotMet;
  return CoverageStatus::kPartlyMet;
}

base::Result<Coverage> ComputeOne(Frameworks& frameworks, const Snapshot& s,
                                  const std::string& framework) {
  SR_RETURN_IF_ERROR(frameworks.Get(framework).status());
  SR_ASSIGN_OR_RETURN(const std::vector<Requirement> items, AllRequirements(frameworks, framework));
  Coverage out;
  out.framework = framework;
  out.as_of = base::FormatRfc3339(s.as_of);

  std::map<std::string, std::vector<std::size_t>> children;  // parent id -> item indexes.
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].parent && !items[i].withdrawn) children[*items[i].parent].push_back(i);
  }
  out.requirements.resize(items.size());
  std::vector<bool> assessed(items.size(), false);
  // Children come after their parents: assess in reverse document order.
  for (std::size_t k = items.size(); k-- > 0;) {
    const Requirement& r = items[k];
    RequirementCoverage& rc = out.requirements[k];
    rc.id = r.id;
    rc.parent = r.parent;
    rc.kind = r.kind;
    rc.title = r.title;
    if (r.withdrawn) continue;
    assessed[k] = true;
    // Controls mapped here, as they stood.
    if (const auto m = s.mapped.find({framework, r.id}); m != s.mapped.end()) {
      for (const auto& [index, source] : m->second)
        rc.reasons.push_back(ReasonFor(s, index, source));
    }
    const auto kids = children.find(r.id);
    if (!rc.reasons.empty()) {
      rc.basis = "mapped";
      rc.status = FromReasons(rc.reasons);
      if (kids != children.end()) {
        std::vector<CoverageStatus> statuses{rc.status};
        for (std::size_t c : kids->second) statuses.push_back(out.requirements[c].status);
        rc.status = FromChildren(statuses);
      }
      continue;
    }
    if (kids != children.end()) {
      rc.basis = "children";
      std::vector<CoverageStatus> statuses;
      for (std::size_t c : kids->second) statuses.push_back(out.requirements[c].status);
      rc.status = FromChildren(statuses);
      continue;
    }
    // Nothing mapped: through the crosswalks that link this requirement elsewhere.
    for (const StoredCrosswalk& x : s.crosswalks) {
      const bool from_here = x.from == framework, to_here = x.to == framework;
      if (!from_here && !to_here) continue;
      const std::string& other = from_here ? x.to : x.from;
      for (const CrosswalkPair& p : s.pairs.at(x.id)) {
        if (!p.to_id) continue;
        const std::string& here = from_here ? p.from_id : *p.to_id;
        if (here != r.id) continue;
        const std::string& there = from_here ? *p.to_id : p.from_id;
        const auto m = s.mapped.find({other, there});
        if (m == s.mapped.end()) continue;
        for (const auto& [index, source] : m->second) {
          rc.reasons.push_back(
              ReasonFor(s, index, "crosswalk:" + x.id + " via " + other + ":" + there));
        }
      }
    }
    if (!rc.reasons.empty()) {
      rc.basis = "crosswalk";
      rc.status = FromReasons(rc.reasons);
    } else {
      rc.basis = "none";
      rc.status = CoverageStatus::kNotMet;
    }
  }
  // The summary counts the requirements assessed on their own (the leaves).
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (!assessed[k] || children.contains(items[k].id)) continue;
    switch (out.requirements[k].status) {
      case CoverageStatus::kMet:
        ++out.summary.met;
        break;
      case CoverageStatus::kPartlyMet:
        ++out.summary.partly_met;
        break;
      case CoverageStatus::kNotMet:
        ++out.summary.not_met;
        break;
      case CoverageStatus::kNotApplicable:
        ++out.summary.not_applicable;
        break;
    }
  }
  // Withdrawn items are not part of the result.
  std::vector<RequirementCoverage> kept;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (assessed[k]) kept.push_back(std::move(out.requirements[k]));
  }
  out.requirements = std::move(kept);
  return out;
}

}  // namespace

std::string_view CoverageStatusName(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kMet:
      return "met";
    case CoverageStatus::kPartlyMet:
      return "partly_met";
    case CoverageStatus::kNotMet:
      return "not_met";
    case CoverageStatus::kNotApplicable:
      return "not_applicable";
  }
  return "not_met";
}

base::Result<std::vector<Coverage>> CoverageCalculator::ComputeAll(
    const std::vector<std::string>& frameworks, base::Time as_of) {
  Snapshot s;
  s.as_of = as_of;
  SR_ASSIGN_OR_RETURN(s.controls, controls_.AllAsOf(as_of));
  SR_ASSIGN_OR_RETURN(s.in_force, evidence_.InForceAt(as_of));
  for (std::size_t i = 0; i < s.controls.size(); ++i) {
    for (const RequirementRef& r : s.controls[i].requirements) {
      s.mapped[{r.framework, r.requirement}].emplace_back(i, r.source);
    }
  }
  SR_ASSIGN_OR_RETURN(s.crosswalks, frameworks_.Crosswalks());
  for (const StoredCrosswalk& x : s.crosswalks) {
    SR_ASSIGN_OR_RETURN(s.pairs[x.id], frameworks_.CrosswalkPairs(x.id));
  }
  SR_ASSIGN_OR_RETURN(std::vector<ExpiredEvidence> expired, evidence_.ExpiredAt(as_of));
  const std::shared_ptr<const std::vector<ExpiredEvidence>> expired_shared =
      std::make_shared<const std::vector<ExpiredEvidence>>(std::move(expired));
  auto overdue = std::make_shared<std::vector<OverdueReview>>();
  const std::string today = base::FormatRfc3339(as_of).substr(0, 10);
  for (const Control& c : s.controls) {
    if (c.status != ControlStatus::kNotApplicable && c.next_review < today) {
      overdue->push_back({c.id, c.title, c.owner_id, c.next_review});
    }
  }
  const std::shared_ptr<const std::vector<OverdueReview>> overdue_shared = std::move(overdue);
  std::vector<Coverage> out;
  for (const std::string& f : frameworks) {
    SR_ASSIGN_OR_RETURN(Coverage c, ComputeOne(frameworks_, s, f));
    c.expired_evidence = expired_shared;
    c.overdue_reviews = overdue_shared;
    out.push_back(std::move(c));
  }
  return out;
}

base::Result<Coverage> CoverageCalculator::Compute(const std::string& framework, base::Time as_of) {
  SR_ASSIGN_OR_RETURN(std::vector<Coverage> all, ComputeAll({framework}, as_of));
  return std::move(all.front());
}

json CoverageJson(const Coverage& c, bool include_lists) {
  json requirements = json::array();
  for (const RequirementCoverage& r : c.requirements) {
    json reasons = json::array();
    for (const CoverageReason& why : r.reasons) {
      reasons.push_back({{"control_id", why.control_id},
                         {"control_title", why.control_title},
                         {"control_status", ControlStatusName(why.control_status)},
                         {"evidence_in_force", why.evidence_in_force},
                         {"via", why.via},
                         {"note", why.note}});
    }
    requirements.push_back({{"id", r.id},
                            {"parent", r.parent ? json(*r.parent) : json(nullptr)},
                            {"kind", r.kind},
                            {"title", r.title},
                            {"status", CoverageStatusName(r.status)},
                            {"basis", r.basis},
                            {"reasons", reasons}});
  }
  json out = {{"framework", c.framework},
              {"as_of", c.as_of},
              {"summary",
               {{"met", c.summary.met},
                {"partly_met", c.summary.partly_met},
                {"not_met", c.summary.not_met},
                {"not_applicable", c.summary.not_applicable}}},
              {"requirements", requirements}};
  if (include_lists) {
    json overdue = json::array();
    if (c.overdue_reviews) {
      for (const OverdueReview& o : *c.overdue_reviews) {
        overdue.push_back({{"control_id", o.control_id},
                           {"title", o.title},
                           {"owner_id", o.owner_id},
                           {"next_review", o.next_review}});
      }
    }
    json expired = json::array();
    if (c.expired_evidence) {
      for (const ExpiredEvidence& e : *c.expired_evidence) {
        expired.push_back({{"evidence_id", e.id},
                           {"control_id", e.control_id},
                           {"title", e.title},
                           {"expires_at", e.expires_at}});
      }
    }
    out["overdue_reviews"] = overdue;
    out["expired_evidence"] = expired;
  }
  return out;
}

}  // namespace strongroom::isms
