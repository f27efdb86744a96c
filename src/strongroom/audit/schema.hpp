#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "strongroom/audit/merkle.hpp"
#include "strongroom/audit/record.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::audit {

// The audit store's schema (its own database, apart from the main store): the events with their
// leaf hashes, the Merkle nodes at every eighth level (8, 16, ...) and the signed checkpoints.
std::span<const storage::Migration> AuditMigrations();

// Opens (and migrates) the audit store at `path`: created with mode 0600 when `create`,
// otherwise a missing file is kNotFound.
base::Result<std::unique_ptr<storage::Store>> OpenAuditStore(const std::filesystem::path& path,
                                                             const base::Clock& clock,
                                                             bool create = true);

// Levels at which interior nodes are stored; any other node is folded from at most 128 stored
// nodes (or leaf hashes) below it.
inline constexpr int kStoredLevelStep = 8;

// Perfect-subtree hashes read from the audit store inside `tx` (which must outlive the source).
// Errors: kDataLoss when a node the tree needs is missing or malformed.
PerfectNodeSource StoredNodes(storage::Transaction& tx);

// The columns of audit_events in StoredEvent order, then pruned and leaf_hash, for SELECTs.
inline constexpr std::string_view kEventColumns =
    "seq, time, actor_id, actor_role, tenant_id, action, resource, outcome, reason, "
    "source_address, request_id, details, pruned, leaf_hash";
inline constexpr std::size_t kLeafHashColumn = 13;
base::Result<StoredEvent> EventFromRow(const storage::Row& row);

}  // namespace strongroom::audit
