#pragma once

#include <nlohmann/json.hpp>

#include "strongroom/backup/backups.hpp"
#include "strongroom/backup/config.hpp"

namespace strongroom::backup {

// The JSON forms `strongroom backup list --json` prints and GET /api/v1/backups serves
// (docs/openapi.yaml, BackupInfo and BackupOperation). Paths are the operator's own; nothing
// here is secret.
nlohmann::json BackupInfoJson(const BackupInfo& backup);
nlohmann::json OperationStatsJson(const Backups::OperationStats& stats);
// What the server does on its own: destinations, how often, the retention policy.
nlohmann::json ScheduleJson(const BackupConfig& config);

}  // namespace strongroom::backup
