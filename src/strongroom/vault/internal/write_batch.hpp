#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "strongroom/audit/sink.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/status.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::vault::internal {

// Group commit for the vault's writes. The store has one writer and every commit is an fsync, so
// writes that arrive together run together: one caller (the leader) opens a write transaction and
// runs each waiting caller's work under a savepoint of its own; each caller then records its own
// audit event from its own thread (so the audit log's group commit takes them together too); once
// every event is durable the leader commits once for all. A work that fails is rolled back to its
// savepoint and changes nothing; if any event of a batch cannot be recorded, the whole batch is
// rolled back and every caller in it gets kUnavailable (the log failing closed). Thread-safe.
class WriteBatcher {
 public:
  // Changes `tx`; on success fills `event`, recorded before the transaction commits.
  using Work = std::function<base::Status(storage::Transaction& tx, audit::Event& event)>;

  WriteBatcher(storage::Store& store, audit::Sink& audit, std::size_t max_batch = 64)
      : store_(store), audit_(audit), max_batch_(max_batch) {}

  // Runs `work` in a shared transaction and returns when that committed. Errors: the work's own
  // (nothing of it was written or recorded: the caller records the failure); kUnavailable when
  // the batch's audit events could not all be recorded; store errors from begin or commit.
  base::Status Run(Work work);

 private:
  struct Slot;
  void Lead(Slot& own) SR_REQUIRES(mu_);

  storage::Store& store_;
  audit::Sink& audit_;
  const std::size_t max_batch_;
  base::Mutex mu_;
  base::CondVar recorded_;  // The leader's: an executed slot's event was recorded (or failed).
  std::deque<Slot*> queue_ SR_GUARDED_BY(mu_);
  bool leading_ SR_GUARDED_BY(mu_) = false;
};

}  // namespace strongroom::vault::internal
