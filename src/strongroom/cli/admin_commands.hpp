#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"

namespace strongroom::cli {

// What every administration command gets: where the data is, how to print, and as whom to audit.
struct CommandContext {
  std::filesystem::path data_dir;
  bool json = false;
  std::ostream& out;
  std::ostream& err;
  const base::Clock& clock;
  audit::Sink& audit;
  audit::Actor actor;
};

struct UserAddOptions {
  std::string username;
  std::string role;
  std::string tenant;  // Id or name; for client roles.
  std::optional<std::filesystem::path> password_file;
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

}  // namespace strongroom::cli
