#pragma once

#include "strongroom/backup/backups.hpp"
#include "strongroom/backup/config.hpp"
#include "strongroom/http/handlers/api.hpp"
#include "strongroom/http/router.hpp"

namespace strongroom::http {

// Backups, for the dashboard and for legal holds:
//   GET    /api/v1/backups                   every backup in the configured destinations and
//                                            every destination this instance has written to,
//                                            newest first, with its last verification and hold;
//                                            the last outcome of each operation; the schedule
//   PUT    /api/v1/backups/{id}/legal-hold   {"reason"}: never pruned until released
//   DELETE /api/v1/backups/{id}/legal-hold
// admin, security_officer and auditor read (backups.read); only a security_officer places or
// releases a hold (backups.hold). Creating, verifying and restoring stay with the operator's CLI
// and the server's schedule (docs/backup.md).
struct BackupServices {
  backup::Backups& backups;
  const backup::BackupConfig& config;
};

void AddBackupRoutes(Router& router, ApiServices& api, BackupServices backups);

}  // namespace strongroom::http
