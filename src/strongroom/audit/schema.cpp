#include "strongroom/audit/schema.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::audit {
namespace {

constexpr storage::Migration kMigrations[] = {
    {1, "audit: events, Merkle nodes, checkpoints",
     R"sql(
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY CHECK (seq >= 0),
  time TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  source_address TEXT NOT NULL,
  request_id TEXT NOT NULL,
  details TEXT NOT NULL,
  leaf_hash BLOB NOT NULL
) STRICT;
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (time);

CREATE TABLE audit_nodes (
  level INTEGER NOT NULL CHECK (level > 0),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
  tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 0),
  root_hash BLOB NOT NULL,
  time TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature BLOB NOT NULL
) STRICT;
)sql"},
    {2, "audit: export cursors",
     R"sql(
CREATE TABLE audit_export_cursors (
  name TEXT PRIMARY KEY,
  next_seq INTEGER NOT NULL CHECK (next_seq >= 0),
  checkpoint_size INTEGER NOT NULL DEFAULT 0 CHECK (checkpoint_size >= 0)
) STRICT;
)sql"},
    {3, "audit: retention",
     R"sql(
ALTER TABLE audit_events ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0 CHECK (pruned IN (0, 1));
CREATE TABLE audit_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
)sql"},
};

base::Result<Hash> HashFromBlob(const base::Bytes& blob, std::string_view what) {
  Hash h{};
  if (blob.size() != h.size()) return base::DataLossError(std::string(what) + " is not 32 bytes");
  std::copy(blob.begin(), blob.end(), h.begin());
  return h;
}

}  // namespace

std::span<const storage::Migration> AuditMigrations() { return kMigrations; }

base::Result<std::unique_ptr<storage::Store>> OpenAuditStore(const std::filesystem::path& path,
                                                             const base::Clock& clock,
                                                             bool create) {
  storage::SqliteOptions options;
  options.path = path;
  options.create = create;
  options.migrations = AuditMigrations();
  const bool existed = std::filesystem::exists(path);
  SR_ASSIGN_OR_RETURN(auto store, storage::OpenSqliteStore(options, clock));
  if (!existed) {
    std::error_code ec;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    if (ec) return base::UnavailableError("cannot restrict " + path.string());
  }
  return store;
}

PerfectNodeSource StoredNodes(storage::Transaction& tx) {
  return [&tx](int level, std::uint64_t index) -> base::Result<Hash> {
    const int base_level = level - level % kStoredLevelStep;
    const std::uint64_t count = std::uint64_t{1} << (level - base_level);
    const std::uint64_t first = index << (level - base_level);
    const auto lo = static_cast<std::int64_t>(first);
    const auto hi = static_cast<std::int64_t>(first + count);
    base::Result<std::vector<storage::Row>> rows =
        base_level == 0
            ? tx.Query("SELECT leaf_hash FROM audit_events WHERE seq >= ? AND seq < ? ORDER BY seq",
                       {storage::Int(lo), storage::Int(hi)})
            : tx.Query(
                  "SELECT hash FROM audit_nodes WHERE level = ? AND idx >= ? AND idx < ? "
                  "ORDER BY idx",
                  {storage::Int(base_level), storage::Int(lo), storage::Int(hi)});
    if (!rows.ok()) return rows.error();
    if (rows->size() != count) {
      return base::DataLossError("the audit store is missing Merkle nodes at level " +
                                 std::to_string(base_level) + " from " + std::to_string(first));
    }
    std::vector<Hash> layer;
    layer.reserve(count);
    for (const auto& row : *rows) {
      SR_ASSIGN_OR_RETURN(const base::Bytes blob, row.GetBlob(0));
      SR_ASSIGN_OR_RETURN(const Hash h, HashFromBlob(blob, "a stored Merkle node"));
      layer.push_back(h);
    }
    while (layer.size() > 1) {
      for (std::size_t i = 0; i < layer.size() / 2; ++i) {
        layer[i] = HashChildren(layer[2 * i], layer[2 * i + 1]);
      }
      layer.resize(layer.size() / 2);
    }
    return layer[0];
  };
}

base::Result<StoredEvent> EventFromRow(const storage::Row& row) {
  StoredEvent e;
  SR_ASSIGN_OR_RETURN(const std::int64_t seq, row.GetInt(0));
  e.seq = static_cast<std::uint64_t>(seq);
  const auto fields = MutableFieldsOf(e);
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    SR_ASSIGN_OR_RETURN(*fields[i], row.GetText(i + 1));
  }
  SR_ASSIGN_OR_RETURN(const std::int64_t pruned, row.GetInt(12));
  e.pruned = pruned != 0;
  if (e.pruned) {
    SR_ASSIGN_OR_RETURN(const base::Bytes leaf, row.GetBlob(kLeafHashColumn));
    SR_ASSIGN_OR_RETURN(e.stored_leaf, HashFromBlob(leaf, "a pruned event's leaf hash"));
  }
  return e;
}

}  // namespace strongroom::audit
