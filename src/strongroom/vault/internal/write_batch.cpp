#include "strongroom/vault/internal/write_batch.hpp"

#include <exception>
#include <string>
#include <vector>

namespace strongroom::vault::internal {

// One caller's work and how far it got. Fields are read and written under the batcher's mutex,
// except `event`, which the leader fills before it publishes kExecuted and the owner reads after.
// Each owner waits on its own slot's condition, so a change wakes only the threads it concerns
// (one condition for all woke every writer of the batch at every step).
struct WriteBatcher::Slot {
  enum class State { kQueued, kExecuted, kDone };
  base::CondVar changed;  // The owner's: its state changed, or it may lead.
  Work work;
  audit::Event event;
  State state = State::kQueued;
  base::Status status;    // The work's own outcome, then the final one.
  bool recorded = false;  // The owner's event is durable (or failed: see record_failed).
  bool record_failed = false;
  bool recording = false;  // The owner has started to record.
};

base::Status WriteBatcher::Run(Work work) {
  Slot slot;
  slot.work = std::move(work);
  base::MutexLock lock(&mu_);
  queue_.push_back(&slot);
  for (;;) {
    if (slot.state == Slot::State::kDone) return slot.status;
    if (slot.state == Slot::State::kExecuted && !slot.recording) {
      slot.recording = true;
      mu_.Unlock();
      const base::Status recorded = audit_.Record(slot.event);
      mu_.Lock();
      slot.recorded = true;
      slot.record_failed = !recorded.ok();
      recorded_.Signal();  // Only the leader waits for recordings.
      continue;
    }
    if (slot.state == Slot::State::kQueued && !leading_) {
      leading_ = true;
      Lead(slot);
      leading_ = false;
      // The oldest waiting writer leads next (this one again, if it was not in the batch).
      if (!queue_.empty()) queue_.front()->changed.Signal();
      continue;
    }
    slot.changed.Wait(&mu_);
  }
}

void WriteBatcher::Lead(Slot& own) {
  std::vector<Slot*> batch;
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  mu_.Unlock();
  base::Status shared;
  auto tx = store_.BeginWrite();
  if (!tx.ok()) shared = tx.status();
  std::vector<base::Status> outcomes(batch.size());
  for (std::size_t i = 0; shared.ok() && i < batch.size(); ++i) {
    if (auto s = (*tx)->Execute("SAVEPOINT vault_write"); !s.ok()) {
      shared = s.status();
      break;
    }
    try {
      outcomes[i] = batch[i]->work(**tx, batch[i]->event);
    } catch (const std::exception& e) {
      // Nothing may escape here: the other writers of the batch wait on this thread.
      outcomes[i] = base::InternalError(std::string("a vault write failed: ") + e.what());
    }
    if (!outcomes[i].ok()) {
      if (auto s = (*tx)->Execute("ROLLBACK TO vault_write"); !s.ok()) shared = s.status();
    }
    if (auto s = (*tx)->Execute("RELEASE vault_write"); !s.ok()) shared = s.status();
  }
  mu_.Lock();
  // Failed works are done now, and their owners may return (and their slots go) at once: from
  // here on only the executed slots, whose owners wait for the commit, are touched.
  std::vector<Slot*> executed;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Slot& s = *batch[i];
    if (!shared.ok() || !outcomes[i].ok()) {
      s.status = shared.ok() ? outcomes[i] : shared;
      s.state = Slot::State::kDone;
    } else {
      s.state = Slot::State::kExecuted;
      executed.push_back(&s);
    }
  }
  // Woken once all are marked (still under mu_, so no slot goes before this loop ends).
  for (Slot* s : batch) s->changed.Signal();
  batch.clear();
  if (own.state == Slot::State::kExecuted && !own.recording) {
    own.recording = true;
    mu_.Unlock();
    const base::Status recorded = audit_.Record(own.event);
    mu_.Lock();
    own.recorded = true;
    own.record_failed = !recorded.ok();
  }
  const auto all_recorded = [&] {
    for (Slot* s : executed) {
      if (!s->recorded) return false;
    }
    return true;
  };
  while (!all_recorded()) recorded_.Wait(&mu_);
  bool audit_ok = true;
  for (Slot* s : executed) {
    if (s->record_failed) audit_ok = false;
  }
  mu_.Unlock();
  base::Status committed;
  if (!executed.empty()) {
    committed = audit_ok ? (*tx)->Commit()
                         : base::UnavailableError(
                               "the audit log could not record this write; nothing was written");
  }
  if (tx.ok()) tx->reset();  // Rolls back whatever was not committed.
  mu_.Lock();
  for (Slot* s : executed) {
    s->status = committed;
    s->state = Slot::State::kDone;
    if (s != &own) s->changed.Signal();
  }
}

}  // namespace strongroom::vault::internal
