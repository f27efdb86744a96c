#include "strongroom/audit/audit_log.hpp"

#include "strongroom/audit/schema.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

using storage::Blob;
using storage::Int;
using storage::Text;

base::Status Unavailable(std::string_view what, const base::Status& cause) {
  return base::UnavailableError(std::string(what) + ": " + cause.message());
}

base::Result<std::uint64_t> StoredSize(storage::Transaction& tx) {
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx.Query("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_events"));
  SR_ASSIGN_OR_RETURN(const std::int64_t size, rows.at(0).GetInt(0));
  return static_cast<std::uint64_t>(size);
}

// Another process (a CLI command beside the server) may have appended since this one last
// wrote: inside a write transaction, brings `frontier` up to the store's edge.
base::Status CatchUp(storage::Transaction& tx, MerkleFrontier& frontier) {
  SR_ASSIGN_OR_RETURN(const std::uint64_t size, StoredSize(tx));
  if (size == frontier.size()) return base::OkStatus();
  SR_ASSIGN_OR_RETURN(frontier, MerkleFrontier::FromSource(StoredNodes(tx), size));
  return base::OkStatus();
}

base::Result<std::optional<SignedCheckpoint>> LatestStored(storage::Transaction& tx) {
  SR_ASSIGN_OR_RETURN(
      const auto rows,
      tx.Query("SELECT tree_size, root_hash, time, key_id, signature FROM audit_checkpoints "
               "ORDER BY tree_size DESC LIMIT 1"));
  if (rows.empty()) return std::optional<SignedCheckpoint>();
  SignedCheckpoint c;
  SR_ASSIGN_OR_RETURN(const std::int64_t size, rows[0].GetInt(0));
  SR_ASSIGN_OR_RETURN(const base::Bytes root, rows[0].GetBlob(1));
  SR_ASSIGN_OR_RETURN(c.time, rows[0].GetText(2));
  SR_ASSIGN_OR_RETURN(c.key_id, rows[0].GetText(3));
  SR_ASSIGN_OR_RETURN(const base::Bytes signature, rows[0].GetBlob(4));
  if (root.size() != c.root.size() || signature.size() != c.signature.size()) {
    return base::DataLossError("a stored audit checkpoint is malformed");
  }
  c.tree_size = static_cast<std::uint64_t>(size);
  std::copy(root.begin(), root.end(), c.root.begin());
  std::copy(signature.begin(), signature.end(), c.signature.begin());
  return std::optional<SignedCheckpoint>(c);
}

base::Status CheckAgainst(storage::Transaction& tx, std::uint64_t size, const SignedCheckpoint& c,
                          std::string_view where) {
  if (c.tree_size > size) {
    return base::DataLossError(
        "the audit log holds " + std::to_string(size) + " events but " + std::string(where) +
        " records a checkpoint at " + std::to_string(c.tree_size) +
        ": the log was truncated or its database rolled back to an older copy; run `strongroom "
        "audit verify`");
  }
  SR_ASSIGN_OR_RETURN(const Hash root, RootHash(StoredNodes(tx), c.tree_size));
  if (root != c.root) {
    return base::DataLossError("the audit log disagrees with " + std::string(where) + " at size " +
                               std::to_string(c.tree_size) +
                               ": it was modified; run `strongroom audit verify`");
  }
  return base::OkStatus();
}

}  // namespace

struct AuditLog::Pending {
  Event event;
  bool done = false;  // Guarded by the log's mu_.
  base::Status status;
  base::CondVar finished;  // Wakes only this event's writer: never the whole herd.
};

base::Result<std::unique_ptr<AuditLog>> AuditLog::Open(storage::Store& store,
                                                       crypto::Ed25519KeyPair key,
                                                       const std::filesystem::path& checkpoint_file,
                                                       const base::Clock& clock,
                                                       AuditLogOptions options) {
  SR_ASSIGN_OR_RETURN(auto tx, store.BeginRead());
  SR_ASSIGN_OR_RETURN(const std::uint64_t size, StoredSize(*tx));

  SR_ASSIGN_OR_RETURN(MerkleFrontier frontier, MerkleFrontier::FromSource(StoredNodes(*tx), size));
  SR_ASSIGN_OR_RETURN(const std::optional<SignedCheckpoint> stored, LatestStored(*tx));
  SR_ASSIGN_OR_RETURN(const std::optional<SignedCheckpoint> filed,
                      CheckpointFile::ReadLast(checkpoint_file));
  if (filed) SR_RETURN_IF_ERROR(CheckAgainst(*tx, size, *filed, "the checkpoint file"));
  if (stored) SR_RETURN_IF_ERROR(CheckAgainst(*tx, size, *stored, "the stored checkpoints"));
  SR_ASSIGN_OR_RETURN(CheckpointFile file, CheckpointFile::Open(checkpoint_file));
  if (stored && (!filed || filed->tree_size < stored->tree_size)) {
    SR_RETURN_IF_ERROR(file.Append(*stored));  // Stored, then the process stopped.
  }
  std::optional<SignedCheckpoint> latest = stored;
  if (filed && (!latest || filed->tree_size > latest->tree_size)) latest = filed;
  tx.reset();
  return std::unique_ptr<AuditLog>(new AuditLog(store, std::move(key), std::move(file), clock,
                                                std::move(options), std::move(frontier),
                                                std::move(latest)));
}

AuditLog::AuditLog(storage::Store& store, crypto::Ed25519KeyPair key, CheckpointFile file,
                   const base::Clock& clock, AuditLogOptions options, MerkleFrontier frontier,
                   std::optional<SignedCheckpoint> latest)
    : store_(store), key_(std::move(key)), clock_(clock), options_(std::move(options)) {
  const std::uint64_t size = frontier.size();
  {
    base::MutexLock w(&write_mu_);
    frontier_ = std::move(frontier);
    file_ = std::move(file);
    latest_ = std::move(latest);
    last_checkpoint_time_ = clock_.Now();
  }
  {
    base::MutexLock l(&mu_);
    committed_size_ = size;
  }
  writer_ = std::thread([this] { WriterLoop(); });
}

AuditLog::~AuditLog() { (void)Close(); }

base::Status AuditLog::Record(const Event& event) {
  auto pending = std::make_shared<Pending>();
  pending->event = event;
  base::MutexLock l(&mu_);
  if (closing_) return base::UnavailableError("the audit log is closed");
  queue_.push_back(pending);
  work_.Signal();
  while (!pending->done) pending->finished.Wait(&mu_);
  return pending->status;
}

void AuditLog::WriterLoop() {
  const auto poll =
      std::min<std::chrono::milliseconds>(options_.checkpoint_interval, std::chrono::seconds(1));
  for (;;) {
    std::vector<std::shared_ptr<Pending>> batch;
    bool stop = false;
    {
      base::MutexLock l(&mu_);
      if (queue_.empty() && !closing_) {
        work_.WaitUntil(&mu_, std::chrono::steady_clock::now() + poll);
      }
      const std::size_t n = std::min(queue_.size(), options_.max_batch);
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      stop = closing_ && queue_.empty();
    }
    base::Status checkpoint_status;
    {
      base::MutexLock w(&write_mu_);
      base::Status status;
      if (!batch.empty()) status = WriteBatch(batch);
      const std::uint64_t size = frontier_.size();
      {
        base::MutexLock l(&mu_);
        for (const auto& p : batch) {
          p->done = true;
          p->status = status;
        }
        committed_size_ = size;
      }
      // Signalled outside mu_ so a woken caller does not block on it at once; `batch` keeps
      // each Pending alive until then.
      for (const auto& p : batch) p->finished.Signal();
      const bool grown = !latest_ || size > latest_->tree_size;
      if (grown && clock_.Now() - last_checkpoint_time_ >= options_.checkpoint_interval) {
        auto made = MakeCheckpoint();
        if (!made.ok()) checkpoint_status = made.error();
      }
    }
    if (!checkpoint_status.ok() && options_.on_background_error) {
      options_.on_background_error(checkpoint_status);
    }
    if (stop) return;
  }
}

base::Status AuditLog::WriteBatch(const std::vector<std::shared_ptr<Pending>>& batch) {
  write_mu_.AssertHeld();
  auto tx = store_.BeginWrite();
  if (!tx.ok()) return Unavailable("the audit log cannot record the event", tx.error());
  MerkleFrontier next = frontier_;
  if (base::Status s = CatchUp(**tx, next); !s.ok()) {
    return Unavailable("the audit log cannot record the event", s);
  }
  std::vector<MerkleFrontier::CompletedNode> completed;
  for (const auto& p : batch) {
    const StoredEvent e = ToStored(next.size(), p->event);
    const Hash leaf = LeafHashOf(e);
    auto inserted = (*tx)->Execute(
        "INSERT INTO audit_events (seq, time, actor_id, actor_role, tenant_id, action, resource, "
        "outcome, reason, source_address, request_id, details, leaf_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {Int(static_cast<std::int64_t>(e.seq)), Text(e.time), Text(e.actor_id), Text(e.actor_role),
         Text(e.tenant_id), Text(e.action), Text(e.resource), Text(e.outcome), Text(e.reason),
         Text(e.source_address), Text(e.request_id), Text(e.details), Blob(leaf)});
    if (!inserted.ok())
      return Unavailable("the audit log cannot record the event", inserted.error());
    completed.clear();
    next.Append(leaf, &completed);
    for (const auto& node : completed) {
      if (node.level == 0 || node.level % kStoredLevelStep != 0) continue;
      auto stored = (*tx)->Execute(
          "INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)",
          {Int(node.level), Int(static_cast<std::int64_t>(node.index)), Blob(node.hash)});
      if (!stored.ok()) return Unavailable("the audit log cannot record the event", stored.error());
    }
  }
  if (base::Status s = (*tx)->Commit(); !s.ok()) {
    return Unavailable("the audit log cannot record the event", s);
  }
  frontier_ = std::move(next);
  return base::OkStatus();
}

base::Result<SignedCheckpoint> AuditLog::MakeCheckpoint() {
  const base::Time now = clock_.Now();
  SignedCheckpoint c;
  {
    auto tx = store_.BeginWrite();
    if (!tx.ok()) return Unavailable("cannot store an audit checkpoint", tx.error());
    if (base::Status s = CatchUp(**tx, frontier_); !s.ok()) {
      return Unavailable("cannot make an audit checkpoint", s);
    }
    c = SignCheckpoint(frontier_.size(), frontier_.Root(), base::FormatRfc3339(now), key_);
    auto inserted = (*tx)->Execute(
        "INSERT OR IGNORE INTO audit_checkpoints (tree_size, root_hash, time, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        {Int(static_cast<std::int64_t>(c.tree_size)), Blob(c.root), Text(c.time), Text(c.key_id),
         Blob(c.signature)});
    if (!inserted.ok()) return Unavailable("cannot store an audit checkpoint", inserted.error());
    if (base::Status s = (*tx)->Commit(); !s.ok()) {
      return Unavailable("cannot store an audit checkpoint", s);
    }
  }
  latest_ = c;
  last_checkpoint_time_ = now;
  SR_RETURN_IF_ERROR(file_.Append(c));
  return c;
}

base::Result<SignedCheckpoint> AuditLog::Checkpoint() {
  base::MutexLock w(&write_mu_);
  const bool spaced = clock_.Now() - last_checkpoint_time_ >= options_.min_checkpoint_spacing;
  if (!latest_ || (frontier_.size() > latest_->tree_size && spaced)) return MakeCheckpoint();
  return *latest_;
}

base::Status AuditLog::Close() {
  {
    base::MutexLock l(&mu_);
    if (closed_) return base::OkStatus();
    closing_ = true;
  }
  work_.SignalAll();
  if (writer_.joinable()) writer_.join();
  base::Status status;
  {
    base::MutexLock w(&write_mu_);
    if (frontier_.size() > (latest_ ? latest_->tree_size : 0)) {
      auto made = MakeCheckpoint();
      if (!made.ok()) status = made.error();
    }
  }
  base::MutexLock l(&mu_);
  closed_ = true;
  return status;
}

std::uint64_t AuditLog::size() const {
  base::MutexLock l(&mu_);
  return committed_size_;
}

base::Result<std::optional<SignedCheckpoint>> AuditLog::LatestCheckpoint() {
  base::MutexLock w(&write_mu_);
  return latest_;
}

base::Result<EventPage> AuditLog::Events(const EventQuery& query) {
  std::string since;
  if (query.since) {
    auto parsed = base::ParseRfc3339(*query.since);
    if (!parsed.ok()) {
      return base::InvalidArgumentError(
          "since must be an RFC 3339 time, e.g. 2026-11-23T18:00:00Z");
    }
    since = base::FormatRfc3339(*parsed);
  }
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, 1000);
  std::string sql = "SELECT " + std::string(kEventColumns) + " FROM audit_events WHERE seq " +
                    (query.newest_first ? "<=" : ">=") + " ?";
  const std::uint64_t from = std::min(query.from_seq, kNewestSeq);
  std::vector<storage::Value> params{Int(static_cast<std::int64_t>(from))};
  if (query.tenant_id) {
    sql += " AND tenant_id = ?";
    params.push_back(Text(*query.tenant_id));
  }
  if (query.since) {
    sql += " AND time >= ?";
    params.push_back(Text(since));
  }
  if (query.action_prefix) {
    // A prefix compare rather than LIKE: the caller's text needs no escaping.
    sql += " AND substr(action, 1, ?) = ?";
    params.push_back(Int(static_cast<std::int64_t>(query.action_prefix->size())));
    params.push_back(Text(*query.action_prefix));
  }
  if (query.outcome) {
    if (*query.outcome != "allowed" && *query.outcome != "denied" && *query.outcome != "failed") {
      return base::InvalidArgumentError("outcome must be allowed, denied or failed");
    }
    sql += " AND outcome = ?";
    params.push_back(Text(*query.outcome));
  }
  if (query.actor_id) {
    sql += " AND actor_id = ?";
    params.push_back(Text(*query.actor_id));
  }
  sql += query.newest_first ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?";
  params.push_back(Int(static_cast<std::int64_t>(limit + 1)));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows, tx->Query(sql, params));
  EventPage page;
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(StoredEvent e, EventFromRow(row));
    if (page.events.size() == limit) {
      page.next_seq = e.seq;
      break;
    }
    page.events.push_back(std::move(e));
  }
  return page;
}

base::Result<StoredEvent> AuditLog::EventAt(std::uint64_t seq) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows, tx->Query("SELECT " + std::string(kEventColumns) +
                                                     " FROM audit_events WHERE seq = ?",
                                                 {Int(static_cast<std::int64_t>(seq))}));
  if (rows.empty()) return base::NotFoundError("no audit event " + std::to_string(seq));
  return EventFromRow(rows[0]);
}

base::Result<std::uint64_t> AuditLog::FirstSeqAtOrAfter(base::Time time) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx->Query("SELECT MIN(seq) FROM audit_events WHERE time >= ?",
                                {Text(base::FormatRfc3339(time))}));
  if (rows.empty() || rows[0].IsNull(0)) return StoredSize(*tx);
  SR_ASSIGN_OR_RETURN(const std::int64_t seq, rows[0].GetInt(0));
  return static_cast<std::uint64_t>(seq);
}

base::Result<std::vector<Hash>> AuditLog::InclusionProof(std::uint64_t seq,
                                                         std::uint64_t tree_size) {
  if (tree_size > size() || seq >= tree_size) {
    return base::InvalidArgumentError("an inclusion proof needs seq < tree_size <= " +
                                      std::to_string(size()));
  }
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return audit::InclusionProof(StoredNodes(*tx), seq, tree_size);
}

base::Result<std::vector<Hash>> AuditLog::ConsistencyProof(std::uint64_t size1,
                                                           std::uint64_t size2) {
  if (size2 > size() || size1 > size2) {
    return base::InvalidArgumentError("a consistency proof needs first <= second <= " +
                                      std::to_string(size()));
  }
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return audit::ConsistencyProof(StoredNodes(*tx), size1, size2);
}

base::Result<Hash> AuditLog::RootAt(std::uint64_t tree_size) {
  if (tree_size > size()) {
    return base::InvalidArgumentError("tree_size must be at most " + std::to_string(size()));
  }
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  return RootHash(StoredNodes(*tx), tree_size);
}

}  // namespace strongroom::audit
