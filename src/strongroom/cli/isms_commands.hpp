#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/cli/admin_commands.hpp"

namespace strongroom::cli {

// The security program from the command line (docs/isms.md). Changes are recorded in the audit
// log as the operator, like the API's. Evidence files are uploaded through the API only: a file
// is stored in the vault, which only an authorised API caller reaches.
struct ControlOptions {
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> owner;  // Username or user id.
  std::optional<std::string> status;
  std::optional<std::string> justification;
  std::optional<int> review_days;
  std::optional<std::string> next_review;
  std::vector<std::string> maps;  // FRAMEWORK:REQUIREMENT; replaces the mappings when given.
  bool reviewed = false;
  // list
  std::optional<std::string> framework;
  std::optional<std::string> as_of;
};

struct EvidenceOptions {
  std::string control;
  std::string kind;
  std::string title;
  std::string period_from;
  std::string period_to;
  std::string expires_at;
  std::optional<std::string> collected_at;
  std::optional<std::string> supersedes;
  std::string url;
  std::string attested_by;
  std::string statement;
};

struct ReportOptions {
  std::string report;  // soa, control-matrix, profile, assessment-results, coverage
  std::string framework;
  std::optional<std::string> as_of;
  std::string format = "csv";  // csv or xlsx (tables); json for the others
  std::filesystem::path out;   // Empty: standard output (CSV and JSON only).
};

int ControlList(const CommandContext& ctx, const ControlOptions& o);
int ControlShow(const CommandContext& ctx, const ControlOptions& o);
int ControlAdd(const CommandContext& ctx, const ControlOptions& o);
int ControlUpdate(const CommandContext& ctx, const ControlOptions& o);
int EvidenceAdd(const CommandContext& ctx, const EvidenceOptions& o);
int EvidenceList(const CommandContext& ctx, const std::string& control);
// Every piece of evidence against its evidence.add event in the audit log: exit 0 when all agree,
// 1 when any does not (each named with the problem), 2 when it cannot be checked.
int EvidenceVerify(const CommandContext& ctx);
// Coverage (a summary, or everything with --json) and the exports.
int Report(const CommandContext& ctx, const ReportOptions& o);

}  // namespace strongroom::cli
