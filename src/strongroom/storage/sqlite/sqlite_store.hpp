#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <span>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/migrations/migrations.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::storage {

// The embedded store: one SQLite database file in WAL mode with synchronous=FULL (a commit is
// fsynced before it is acknowledged, so it survives power loss), foreign keys enforced, a busy
// timeout, secure_delete (freed pages are zeroed) and STRICT tables. One writer connection,
// serialised; a pool of read-only connections that read snapshots concurrently with it.
struct SqliteOptions {
  std::filesystem::path path;
  bool create = false;  // Create the file if missing; otherwise a missing file is kNotFound.
  int reader_connections = 4;
  std::chrono::milliseconds busy_timeout{5000};
  // The migrations to apply; tests pass their own to exercise failures.
  std::span<const Migration> migrations = AllMigrations();
};

// Opens the store and applies every pending migration in one transaction: either all apply or
// the store is left exactly as it was. Errors: kNotFound (no file and !create);
// kFailedPrecondition when the store was migrated by a newer build or its migration history
// differs from this build's; kDataLoss when the file is not a database; the failing migration's
// error otherwise.
base::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options,
                                                     const base::Clock& clock);

}  // namespace strongroom::storage
