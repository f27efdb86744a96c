#include "strongroom/cli/isms_commands.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>

#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/cli/cli.hpp"
#include "strongroom/cli/opened_data_dir.hpp"
#include "strongroom/isms/controls.hpp"
#include "strongroom/isms/coverage.hpp"
#include "strongroom/isms/dates.hpp"
#include "strongroom/isms/evidence.hpp"
#include "strongroom/isms/export.hpp"
#include "strongroom/isms/frameworks.hpp"

namespace strongroom::cli {
namespace {

using nlohmann::json;

// The ISMS services over an opened data directory.
struct Isms {
  explicit Isms(OpenedDataDir& dir, const base::Clock& clock)
      : frameworks(dir.store(), dir.audit_log(), clock),
        controls(dir.store(), dir.audit_log(), clock),
        evidence(dir.store(), dir.audit_log(), clock),
        coverage(frameworks, controls, evidence) {}
  isms::Frameworks frameworks;
  isms::Controls controls;
  isms::EvidenceStore evidence;
  isms::CoverageCalculator coverage;
};

int Run(const CommandContext& ctx, const std::function<base::Status(OpenedDataDir&, Isms&)>& body) {
  auto dir = OpenedDataDir::Open(ctx.data_dir, ctx.clock);
  if (!dir.ok()) {
    ctx.err << "strongroom: " << dir.error().message() << "\n";
    return kExitUsage;
  }
  Isms isms(**dir, ctx.clock);
  const base::Status s = body(**dir, isms);
  const base::Status closed = (*dir)->Close();
  if (!s.ok() || !closed.ok()) {
    ctx.err << "strongroom: " << (s.ok() ? closed : s).message() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

base::Result<std::string> UserIdFor(OpenedDataDir& dir, const std::string& name_or_id) {
  if (name_or_id.starts_with("usr_")) return name_or_id;
  SR_ASSIGN_OR_RETURN(const identity::User u, dir.accounts().FindByUsername(name_or_id));
  return u.id.value();
}

base::Result<std::vector<isms::RequirementRef>> Maps(const std::vector<std::string>& maps) {
  std::vector<isms::RequirementRef> out;
  for (const std::string& m : maps) {
    const auto colon = m.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == m.size()) {
      return base::InvalidArgumentError(
          "--map takes FRAMEWORK:REQUIREMENT, e.g. "
          "iso27001-2022:A.8.24, not '" +
          m + "'");
    }
    out.push_back({m.substr(0, colon), m.substr(colon + 1), "ours"});
  }
  return out;
}

base::Result<base::Time> AsOf(const CommandContext& ctx, const std::optional<std::string>& as_of) {
  return as_of ? isms::ParseAsOf("--as-of", *as_of) : ctx.clock.Now();
}

void PrintControl(const CommandContext& ctx, const isms::Control& c) {
  if (ctx.json) {
    ctx.out << json{{"control", isms::ControlJson(c)}}.dump(2) << "\n";
    return;
  }
  ctx.out << c.id << "  " << c.title << "\n  status " << isms::ControlStatusName(c.status)
          << ", owner " << c.owner_id << ", next review " << c.next_review << ", version "
          << c.version << "\n";
  if (!c.justification.empty()) ctx.out << "  not applicable: " << c.justification << "\n";
  for (const auto& r : c.requirements) {
    ctx.out << "  " << r.framework << " " << r.requirement
            << (r.source == "ours" ? "" : "  (" + r.source + ")") << "\n";
  }
}

}  // namespace

int ControlList(const CommandContext& ctx, const ControlOptions& o) {
  return Run(ctx, [&](OpenedDataDir& dir, Isms& isms) -> base::Status {
    isms::ControlQuery q;
    q.limit = 1000;
    q.framework = o.framework;
    if (o.status) {
      SR_ASSIGN_OR_RETURN(q.status, isms::ParseControlStatus(*o.status));
    }
    if (o.owner) {
      SR_ASSIGN_OR_RETURN(q.owner_id, UserIdFor(dir, *o.owner));
    }
    json all = json::array();
    for (;;) {
      SR_ASSIGN_OR_RETURN(const isms::ControlPage page, isms.controls.List(q));
      for (const auto& c : page.controls) {
        if (ctx.json) {
          all.push_back(isms::ControlJson(c));
        } else {
          ctx.out << c.id << "  " << isms::ControlStatusName(c.status) << "  " << c.title << "\n";
        }
      }
      if (!page.next) break;
      q.after = *page.next;
    }
    if (ctx.json) ctx.out << json{{"controls", all}}.dump(2) << "\n";
    return base::OkStatus();
  });
}

int ControlShow(const CommandContext& ctx, const ControlOptions& o) {
  return Run(ctx, [&](OpenedDataDir&, Isms& isms) -> base::Status {
    isms::Control c;
    if (o.as_of) {
      SR_ASSIGN_OR_RETURN(const base::Time t, AsOf(ctx, o.as_of));
      SR_ASSIGN_OR_RETURN(c, isms.controls.GetAsOf(o.id, t));
    } else {
      SR_ASSIGN_OR_RETURN(c, isms.controls.Get(o.id));
    }
    PrintControl(ctx, c);
    return base::OkStatus();
  });
}

int ControlAdd(const CommandContext& ctx, const ControlOptions& o) {
  return Run(ctx, [&](OpenedDataDir& dir, Isms& isms) -> base::Status {
    isms::NewControl n;
    n.id = o.id;
    n.title = o.title.value_or("");
    n.description = o.description.value_or("");
    if (!o.owner) return base::InvalidArgumentError("--owner is required: every control has one");
    SR_ASSIGN_OR_RETURN(n.owner_id, UserIdFor(dir, *o.owner));
    if (o.status) {
      SR_ASSIGN_OR_RETURN(n.status, isms::ParseControlStatus(*o.status));
    }
    n.justification = o.justification.value_or("");
    if (o.review_days) n.review_every_days = *o.review_days;
    n.next_review = o.next_review;
    SR_ASSIGN_OR_RETURN(n.requirements, Maps(o.maps));
    SR_ASSIGN_OR_RETURN(const isms::Control c, isms.controls.Create(ctx.actor, n));
    PrintControl(ctx, c);
    return base::OkStatus();
  });
}

int ControlUpdate(const CommandContext& ctx, const ControlOptions& o) {
  return Run(ctx, [&](OpenedDataDir& dir, Isms& isms) -> base::Status {
    isms::ControlChange change;
    change.title = o.title;
    change.description = o.description;
    if (o.owner) {
      SR_ASSIGN_OR_RETURN(change.owner_id, UserIdFor(dir, *o.owner));
    }
    if (o.status) {
      SR_ASSIGN_OR_RETURN(change.status, isms::ParseControlStatus(*o.status));
    }
    change.justification = o.justification;
    change.review_every_days = o.review_days;
    change.next_review = o.next_review;
    if (!o.maps.empty()) {
      SR_ASSIGN_OR_RETURN(change.requirements, Maps(o.maps));
    }
    change.reviewed = o.reviewed;
    SR_ASSIGN_OR_RETURN(const isms::Control c, isms.controls.Update(ctx.actor, o.id, change));
    PrintControl(ctx, c);
    return base::OkStatus();
  });
}

int EvidenceAdd(const CommandContext& ctx, const EvidenceOptions& o) {
  return Run(ctx, [&](OpenedDataDir&, Isms& isms) -> base::Status {
    isms::NewEvidence n;
    n.control_id = o.control;
    SR_ASSIGN_OR_RETURN(n.kind, isms::ParseEvidenceKind(o.kind));
    if (n.kind == isms::EvidenceKind::kFile) {
      return base::InvalidArgumentError(
          "files are uploaded with POST /api/v1/controls/{id}/evidence (they are stored in the "
          "vault); the CLI records links and attestations");
    }
    n.title = o.title;
    n.period_from = o.period_from;
    n.period_to = o.period_to;
    n.expires_at = o.expires_at;
    n.collected_at = o.collected_at;
    n.supersedes = o.supersedes;
    n.url = o.url;
    n.attested_by = o.attested_by;
    n.statement = o.statement;
    SR_ASSIGN_OR_RETURN(const isms::Evidence e, isms.evidence.Add(ctx.actor, n));
    if (ctx.json) {
      ctx.out << json{{"evidence", isms::EvidenceJson(e)}}.dump(2) << "\n";
    } else {
      ctx.out << "Recorded " << e.id << " (version " << e.version << ") for " << e.control_id
              << "; SHA-256 " << e.sha256 << "\n";
    }
    return base::OkStatus();
  });
}

int EvidenceList(const CommandContext& ctx, const std::string& control) {
  return Run(ctx, [&](OpenedDataDir&, Isms& isms) -> base::Status {
    SR_RETURN_IF_ERROR(isms.controls.Get(control).status());
    SR_ASSIGN_OR_RETURN(const auto found, isms.evidence.ForControl(control, true));
    json all = json::array();
    for (const auto& e : found) {
      if (ctx.json) {
        all.push_back(isms::EvidenceJson(e));
      } else {
        ctx.out << e.id << "  " << isms::EvidenceKindName(e.kind) << "  " << e.title << "  expires "
                << e.expires_at << (e.superseded_by ? "  superseded by " + *e.superseded_by : "")
                << "\n";
      }
    }
    if (ctx.json) ctx.out << json{{"evidence", all}}.dump(2) << "\n";
    return base::OkStatus();
  });
}

int EvidenceVerify(const CommandContext& ctx) {
  bool bad = false;
  const int code = Run(ctx, [&](OpenedDataDir& dir, Isms& isms) -> base::Status {
    SR_ASSIGN_OR_RETURN(const isms::EvidenceVerification v,
                        isms::VerifyEvidence(isms.evidence, dir.audit_log()));
    bad = !v.problems.empty();
    if (ctx.json) {
      json problems = json::array();
      for (const auto& p : v.problems) {
        problems.push_back({{"evidence_id", p.evidence_id}, {"problem", p.problem}});
      }
      ctx.out << json{{"ok", !bad},
                      {"checked", v.checked},
                      {"past_retention", v.past_retention},
                      {"problems", problems}}
                     .dump(2)
              << "\n";
      return base::OkStatus();
    }
    ctx.out << (bad ? "Evidence does NOT match the audit log: "
                    : "Evidence matches the audit log: ")
            << v.checked << " checked";
    if (v.past_retention > 0) ctx.out << ", " << v.past_retention << " past the log's retention";
    ctx.out << ".\n";
    for (const auto& p : v.problems) ctx.out << "  " << p.evidence_id << ": " << p.problem << "\n";
    return base::OkStatus();
  });
  return code == kExitOk && bad ? kExitCheckFailed : code;
}

int Report(const CommandContext& ctx, const ReportOptions& o) {
  return Run(ctx, [&](OpenedDataDir& dir, Isms& isms) -> base::Status {
    SR_ASSIGN_OR_RETURN(const base::Time as_of, AsOf(ctx, o.as_of));
    SR_ASSIGN_OR_RETURN(const isms::Coverage c, isms.coverage.Compute(o.framework, as_of));
    std::string bytes;
    if (o.report == "coverage") {
      if (!ctx.json && o.out.empty()) {
        ctx.out << "Coverage of " << c.framework << " as of " << c.as_of << ": " << c.summary.met
                << " met, " << c.summary.partly_met << " partly met, " << c.summary.not_met
                << " not met, " << c.summary.not_applicable << " not applicable; "
                << c.overdue_reviews->size() << " overdue reviews, " << c.expired_evidence->size()
                << " expired evidence.\n";
        return base::OkStatus();
      }
      bytes = json{{"coverage", isms::CoverageJson(c)}}.dump(2) + "\n";
    } else if (o.report == "assessment-results") {
      SR_ASSIGN_OR_RETURN(const isms::StoredFramework f, isms.frameworks.Get(o.framework));
      bytes = isms::OscalAssessmentResults(c, f.info.name).dump(2) + "\n";
    } else {
      base::Result<isms::Table> table = base::InvalidArgumentError(
          "the report is one of coverage, soa, control-matrix, profile, assessment-results");
      if (o.report == "soa") table = isms::StatementOfApplicability(c);
      if (o.report == "control-matrix") table = isms::ControlMatrix(c);
      if (o.report == "profile") table = isms::CsfProfile(c);
      SR_RETURN_IF_ERROR(table.status());
      if (o.format == "xlsx") {
        if (o.out.empty()) {
          return base::InvalidArgumentError("an XLSX report needs --out FILE");
        }
        SR_ASSIGN_OR_RETURN(bytes, isms::RenderXlsx(*table, dir.layout().export_scratch()));
      } else if (o.format == "csv") {
        bytes = isms::RenderCsv(*table);
      } else {
        return base::InvalidArgumentError("--format is csv or xlsx");
      }
    }
    if (o.out.empty()) {
      ctx.out << bytes;
      return base::OkStatus();
    }
    SR_RETURN_IF_ERROR(base::WriteNewFile(o.out, bytes, 0600));
    ctx.err << "Wrote " << o.out.string() << "\n";
    return base::OkStatus();
  });
}

}  // namespace strongroom::cli
