#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/merkle.hpp"
#include "strongroom/audit/record.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/crypto/sign.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::audit {

struct AuditLogOptions {
  // A signed checkpoint is made at least this often while events arrive, and at Close.
  std::chrono::milliseconds checkpoint_interval{10'000};
  // Checkpoint() makes a new checkpoint at most this often and otherwise returns the newest, so
  // callers asking for checkpoints (an API route) cannot make the file grow without bound.
  std::chrono::milliseconds min_checkpoint_spacing{0};
  // Most events one commit (one fsync) carries.
  std::size_t max_batch = 4096;
  // Told about failures no caller sees: a periodic checkpoint that could not be made. Called on
  // the writer thread.
  std::function<void(const base::Status&)> on_background_error;
};

struct EventQuery {
  std::optional<std::string> tenant_id;  // Only this tenant's events.
  std::uint64_t from_seq = 0;            // The first position to return (inclusive).
  // Newest first: from `from_seq` (inclusive) down to 0; next_seq then goes down too. Callers
  // start at kNewestSeq for the newest event.
  bool newest_first = false;
  std::optional<std::string> since;  // Only events at or after this RFC 3339 time.
  std::optional<std::string>
      action_prefix;                    // Only actions starting so ("records." or "auth.login").
  std::optional<std::string> outcome;   // Only this outcome: allowed, denied or failed.
  std::optional<std::string> actor_id;  // Only this actor's events.
  std::size_t limit = 100;
};

inline constexpr std::uint64_t kNewestSeq = static_cast<std::uint64_t>(INT64_MAX);

struct EventPage {
  std::vector<StoredEvent> events;
  std::optional<std::uint64_t> next_seq;  // Where the next page starts; none at the end.
};

// The tamper-evident audit log: every event is a leaf of an RFC 6962 Merkle tree kept in its own
// store, durable before Record returns. Concurrent Record calls share one commit (group commit):
// one writer thread takes every waiting event, writes them in one transaction and wakes their
// callers. Signed checkpoints (size, root, time) are made at least every checkpoint_interval
// while events arrive and at Close; each is stored and appended to the checkpoint file outside
// the store. Thread-safe.
class AuditLog final : public Sink {
 public:
  // Opens the log over `store` (migrated with AuditMigrations()). Refuses (kDataLoss) a store
  // that is behind or disagrees with the checkpoint file: a truncated log or a database rolled
  // back to an older copy. A checkpoint stored but missing from the file (a crash between the
  // two) is appended to the file.
  static base::Result<std::unique_ptr<AuditLog>> Open(storage::Store& store,
                                                      crypto::Ed25519KeyPair key,
                                                      const std::filesystem::path& checkpoint_file,
                                                      const base::Clock& clock,
                                                      AuditLogOptions options = {});
  ~AuditLog() override;

  // Durable before it returns. Errors: kUnavailable when the event could not be written (the
  // caller must fail closed) or the log is closed.
  base::Status Record(const Event& event) override;

  // Makes a checkpoint now if events arrived since the last one; returns the newest.
  base::Result<SignedCheckpoint> Checkpoint();
  // Drains, makes the final checkpoint and stops the writer. Idempotent.
  base::Status Close();

  std::uint64_t size() const;
  const crypto::Ed25519PublicKey& public_key() const { return key_.public_key(); }
  std::string key_id() const { return KeyIdOf(key_.public_key()); }

  base::Result<std::optional<SignedCheckpoint>> LatestCheckpoint();
  base::Result<EventPage> Events(const EventQuery& query);
  // Errors: kNotFound.
  base::Result<StoredEvent> EventAt(std::uint64_t seq);
  // The first position whose event is at or after `time`; size() when there is none.
  base::Result<std::uint64_t> FirstSeqAtOrAfter(base::Time time);
  // Errors: kInvalidArgument unless seq < tree_size <= size().
  base::Result<std::vector<Hash>> InclusionProof(std::uint64_t seq, std::uint64_t tree_size);
  // Errors: kInvalidArgument unless size1 <= size2 <= size().
  base::Result<std::vector<Hash>> ConsistencyProof(std::uint64_t size1, std::uint64_t size2);
  base::Result<Hash> RootAt(std::uint64_t tree_size);

 private:
  struct Pending;

  AuditLog(storage::Store& store, crypto::Ed25519KeyPair key, CheckpointFile file,
           const base::Clock& clock, AuditLogOptions options, MerkleFrontier frontier,
           std::optional<SignedCheckpoint> latest);

  void WriterLoop();
  base::Status WriteBatch(const std::vector<std::shared_ptr<Pending>>& batch);
  base::Result<SignedCheckpoint> MakeCheckpoint() SR_REQUIRES(write_mu_);

  storage::Store& store_;
  const crypto::Ed25519KeyPair key_;
  const base::Clock& clock_;
  const AuditLogOptions options_;

  // Held by whoever writes to the store or the checkpoint file (the writer thread, Checkpoint).
  base::Mutex write_mu_;
  MerkleFrontier frontier_ SR_GUARDED_BY(write_mu_);
  CheckpointFile file_ SR_GUARDED_BY(write_mu_);
  std::optional<SignedCheckpoint> latest_ SR_GUARDED_BY(write_mu_);
  base::Time last_checkpoint_time_ SR_GUARDED_BY(write_mu_);

  mutable base::Mutex mu_;
  base::CondVar work_;  // Events are waiting, or the writer should stop.
  std::vector<std::shared_ptr<Pending>> queue_ SR_GUARDED_BY(mu_);
  std::uint64_t committed_size_ SR_GUARDED_BY(mu_) = 0;
  bool closing_ SR_GUARDED_BY(mu_) = false;
  bool closed_ SR_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace strongroom::audit
