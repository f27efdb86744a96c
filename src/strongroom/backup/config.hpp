#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

#include "strongroom/backup/retention.hpp"
#include "strongroom/base/result.hpp"

namespace strongroom::backup {

// DATA_DIR/backup.json (docs/backup.md), e.g.
//   {"destinations": ["/srv/backups", "/mnt/offsite/strongroom"],
//    "create_every_hours": 24, "verify_every_hours": 168, "verify_sample": 20,
//    "retention": {"daily_days": 35, "monthly_months": 12, "yearly_years": 7}}
// Every key is optional; unknown keys are refused so a misspelt one is not silently ignored.
struct BackupConfig {
  std::vector<std::filesystem::path> destinations;  // Absolute; the first is the primary copy.
  std::chrono::hours create_every{24};
  std::chrono::hours verify_every{24 * 7};
  std::size_t verify_sample = 20;
  RetentionPolicy retention;
  // The server backs up on its own when destinations are configured.
  bool scheduled() const { return !destinations.empty(); }
};

// Errors (kInvalidArgument) name the key, what was wrong and what is accepted.
base::Result<BackupConfig> ParseBackupConfig(std::string_view text);
// A missing file is the default configuration (no destinations, nothing scheduled). Errors: as
// ParseBackupConfig, prefixed with the file; I/O.
base::Result<BackupConfig> LoadBackupConfig(const std::filesystem::path& file);
// A destination inside the data directory would be lost with it: refused (kInvalidArgument).
base::Status CheckDestinationOutside(const std::filesystem::path& destination,
                                     const std::filesystem::path& data_dir);

}  // namespace strongroom::backup
