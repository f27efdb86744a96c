#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/backup/backups.hpp"
#include "strongroom/backup/config.hpp"
#include "strongroom/cli/admin_commands.hpp"
#include "strongroom/cli/opened_data_dir.hpp"

namespace strongroom::cli {

// The backup service over an opened data directory (its stores, files, TLS files and scratch
// directory; the root key read again from its file).
base::Result<std::unique_ptr<backup::Backups>> OpenBackups(OpenedDataDir& dir,
                                                           const base::Clock& clock);

struct BackupCommandOptions {
  std::vector<std::filesystem::path> to;    // create, prune: destinations (default: backup.json)
  std::vector<std::filesystem::path> from;  // list: destinations; verify/restore: the first
  std::string id;                           // verify/restore: which backup in --from
  std::filesystem::path restore_to;         // restore: the new data directory
  std::optional<std::filesystem::path> root_key_file;  // restore: default DATA_DIR/root.key
  std::string reason;                                  // hold
};

// Each returns the exit code: 0; 1 when a verification found the backup not restorable; 2 with
// the reason on err.
int BackupCreate(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupList(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupVerify(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupRestore(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupPrune(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupHold(const CommandContext& ctx, const BackupCommandOptions& options);
int BackupRelease(const CommandContext& ctx, const BackupCommandOptions& options);

}  // namespace strongroom::cli
