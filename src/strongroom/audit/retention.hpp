#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/event.hpp"

namespace strongroom::audit {

// Seven years (7 * 365 days and two leap days), the period the provider keeps audit trails.
inline constexpr int kDefaultRetentionDays = 2557;
// Nobody configures less than a year, so a slip of the keyboard cannot empty the trail.
inline constexpr int kMinRetentionDays = 365;
inline constexpr int kMaxRetentionDays = 36500;

// The retention in force (kDefaultRetentionDays until one is set).
base::Result<int> RetentionDays(storage::Store& audit_store);

// Sets the retention, recording audit.retention.set (the old and new values) first. Errors:
// kInvalidArgument outside kMinRetentionDays..kMaxRetentionDays; kUnavailable (audit).
base::Status SetRetentionDays(AuditLog& log, storage::Store& audit_store, const Actor& actor,
                              int days, base::Time now);

struct PruneResult {
  std::uint64_t pruned = 0;                  // Events whose contents were removed now.
  std::optional<std::uint64_t> through_seq;  // The last position eligible; none if none.
  std::string cutoff;                        // Events before this time were eligible.
  int retention_days = 0;
};

// Removes the contents of events older than the retention: every field but seq, time, action
// and outcome is emptied and the event is marked pruned; its leaf hash stays, so the tree, every
// checkpoint and every proof still verify. Nothing younger than the retention is touched, and
// the log's own audit.prune and audit.retention.set events are kept whole: they are what
// `audit verify` checks each pruned event against. The pruning is recorded (audit.prune, with
// the cutoff, retention and last position) before anything is emptied. Errors: kUnavailable.
base::Result<PruneResult> PruneExpired(AuditLog& log, storage::Store& audit_store,
                                       const Actor& actor, base::Time now);

}  // namespace strongroom::audit
