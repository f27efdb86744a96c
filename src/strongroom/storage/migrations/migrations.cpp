#include "strongroom/storage/migrations/migrations.hpp"

namespace strongroom::storage {
namespace {

// STRICT tables make SQLite enforce the declared column types.
constexpr Migration kMigrations[] = {
    {1, "core: instance metadata, wrapped data keys, users",
     R"sql(
CREATE TABLE instance (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE data_keys (
  key_id INTEGER NOT NULL CHECK (key_id > 0),
  version INTEGER NOT NULL CHECK (version > 0),
  purpose TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key_id, version)
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  tenant_id TEXT,
  passphrase_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deactivated_at TEXT
) STRICT;
)sql"},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

}  // namespace strongroom::storage
