#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "strongroom/audit/event.hpp"
#include "strongroom/base/clock.hpp"

namespace strongroom::cli {

// What every administration command gets: where the data is, how to print, and as whom to audit.
struct CommandContext {
  std::filesystem::path data_dir;
  bool json = false;
  std::ostream& out;
  std::ostream& err;
  const base::Clock& clock;
  audit::Actor actor;
};

struct UserAddOptions {
  std::string username;
  std::string role;
  std::string tenant;  // Id or name; for client roles.
  std::optional<std::filesystem::path> password_file;
  bool enroll_at_first_sign_in = false;  // No secret now: the user enrols when first signing in.
};

// Each returns the process exit code (0, or 2 with the reason on err).
int UserAdd(const CommandContext& ctx, const UserAddOptions& options);
int UserList(const CommandContext& ctx, const std::string& tenant);
int UserDeactivate(const CommandContext& ctx, const std::string& username);
int UserReactivate(const CommandContext& ctx, const std::string& username,
                   const std::optional<std::filesystem::path>& password_file);
int UserResetTwoFactor(const CommandContext& ctx, const std::string& username);
int TenantAdd(const CommandContext& ctx, const std::string& name);
int TenantList(const CommandContext& ctx);
int TenantSuspend(const CommandContext& ctx, const std::string& tenant);
int TenantResume(const CommandContext& ctx, const std::string& tenant);
struct AuditExportOptions {
  std::string since;    // A position (0, 1, ...) or an RFC 3339 time; empty: from the start.
  std::string tenant;   // Only this tenant's events.
  bool follow = false;  // After the last event, wait for more until SIGINT or SIGTERM.
  std::chrono::milliseconds poll{500};
};
// Writes audit events as JSON Lines (one event per line, the API's fields) to out, oldest first,
// for a SIEM to ingest; with follow, keeps writing new events as they are recorded. The export
// itself is recorded (audit.export). Exit 0, or 2 on bad input or I/O errors.
int AuditExport(const CommandContext& ctx, const AuditExportOptions& options);
// Shows the audit retention, or with `set_days` changes it (365..36500 days; audited).
int AuditRetention(const CommandContext& ctx, std::optional<int> set_days);
// Empties the contents of audit events older than the retention (see audit/retention.hpp).
int AuditPrune(const CommandContext& ctx);
// The framework catalogs in the store (shipped and imported) and the crosswalks between them.
int FrameworkList(const CommandContext& ctx);
// Imports an OSCAL catalog (JSON, at most 64 MiB) as framework `id` (docs/isms.md).
int FrameworkImportOscal(const CommandContext& ctx, const std::filesystem::path& file,
                         const std::string& id);
// Exit 0 when the audit log verifies, 1 when it does not (first bad position and the problems
// printed), 2 when it cannot be read.
int AuditVerify(const CommandContext& ctx);

}  // namespace strongroom::cli
