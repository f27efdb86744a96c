#pragma once

#include <cstddef>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::vault {

struct PurgeReport {
  std::size_t purged = 0;       // Records deleted because their retention had ended.
  std::size_t held = 0;         // Records past retention kept because a legal hold is in force.
  std::size_t collections = 0;  // Collections with a retention period that were examined.
};

// Deletes every record whose collection's retention period has passed since its last write,
// except where a legal hold (tenant or collection) is in force. Runs in transactions of at most
// `batch` records; each batch's deletion is one audit event ("records.purge", actor `actor`)
// naming tenant, collection and the ids, recorded before the batch commits. Shredded tenants
// hold nothing to purge. Errors: store errors; kUnavailable when the audit log cannot record
// (nothing of that batch is deleted).
base::Result<PurgeReport> PurgeExpiredRecords(storage::Store& store, audit::Sink& audit,
                                              const base::Clock& clock, const audit::Actor& actor,
                                              std::size_t batch = 500);

}  // namespace strongroom::vault
