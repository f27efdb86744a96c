#include "strongroom/audit/verify.hpp"

#include <charconv>
#include <deque>
#include <nlohmann/json.hpp>
#include <thread>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/merkle.hpp"
#include "strongroom/audit/record.hpp"
#include "strongroom/audit/retention.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

constexpr std::size_t kMaxProblems = 50;

struct Claim {
  std::string where;  // "the store" or "the checkpoint file"
  SignedCheckpoint checkpoint;
};

class Report {
 public:
  explicit Report(VerifyReport& r) : r_(r) {}
  void Problem(std::string text, std::optional<std::uint64_t> bad_seq = std::nullopt) {
    if (bad_seq && (!r_.first_bad_seq || *bad_seq < *r_.first_bad_seq)) r_.first_bad_seq = bad_seq;
    ++count_;
    if (r_.problems.size() < kMaxProblems) r_.problems.push_back(std::move(text));
  }
  void Finish() {
    if (count_ > r_.problems.size()) {
      r_.problems.push_back("... and " + std::to_string(count_ - r_.problems.size()) +
                            " more problems");
    }
  }

 private:
  VerifyReport& r_;
  std::size_t count_ = 0;
};

base::Result<std::vector<Claim>> StoredCheckpoints(storage::Transaction& tx) {
  SR_ASSIGN_OR_RETURN(
      const auto rows,
      tx.Query("SELECT tree_size, root_hash, time, key_id, signature FROM audit_checkpoints "
               "ORDER BY tree_size"));
  std::vector<Claim> out;
  for (const auto& row : rows) {
    Claim claim{"the store", {}};
    SignedCheckpoint& c = claim.checkpoint;
    SR_ASSIGN_OR_RETURN(const std::int64_t size, row.GetInt(0));
    SR_ASSIGN_OR_RETURN(const base::Bytes root, row.GetBlob(1));
    SR_ASSIGN_OR_RETURN(c.time, row.GetText(2));
    SR_ASSIGN_OR_RETURN(c.key_id, row.GetText(3));
    SR_ASSIGN_OR_RETURN(const base::Bytes signature, row.GetBlob(4));
    c.tree_size = static_cast<std::uint64_t>(size);
    // A malformed root or signature simply fails the checks below.
    std::copy_n(root.begin(), std::min(root.size(), c.root.size()), c.root.begin());
    std::copy_n(signature.begin(), std::min(signature.size(), c.signature.size()),
                c.signature.begin());
    if (root.size() != c.root.size() || signature.size() != c.signature.size()) c.key_id += "?";
    out.push_back(std::move(claim));
  }
  return out;
}

base::Result<std::map<std::pair<int, std::uint64_t>, Hash>> StoredInteriorNodes(
    storage::Transaction& tx) {
  std::map<std::pair<int, std::uint64_t>, Hash> out;
  SR_ASSIGN_OR_RETURN(const auto rows, tx.Query("SELECT level, idx, hash FROM audit_nodes"));
  for (const auto& row : rows) {
    SR_ASSIGN_OR_RETURN(const std::int64_t level, row.GetInt(0));
    SR_ASSIGN_OR_RETURN(const std::int64_t idx, row.GetInt(1));
    SR_ASSIGN_OR_RETURN(const base::Bytes blob, row.GetBlob(2));
    Hash h{};
    std::copy_n(blob.begin(), std::min(blob.size(), h.size()), h.begin());
    if (blob.size() != h.size()) h[0] ^= 0xff;  // Cannot match.
    out[{static_cast<int>(level), static_cast<std::uint64_t>(idx)}] = h;
  }
  return out;
}

// An intact audit.prune event: what it allowed to be emptied.
struct Pruning {
  std::uint64_t seq;  // Of the audit.prune event itself.
  std::uint64_t through_seq;
  std::string cutoff;
};

// The event a row holds, for the rare row that needs more than its leaf.
base::Result<StoredEvent> EventFromView(const storage::RowView& row) {
  StoredEvent e;
  SR_ASSIGN_OR_RETURN(const std::int64_t seq, row.GetInt(0));
  e.seq = static_cast<std::uint64_t>(seq);
  const auto fields = MutableFieldsOf(e);
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    SR_ASSIGN_OR_RETURN(const std::string_view text, row.GetText(i + 1));
    *fields[i] = std::string(text);
  }
  return e;
}

std::optional<Pruning> PruningOf(const StoredEvent& e) {
  if (e.action != "audit.prune" || e.outcome != "allowed") return std::nullopt;
  const auto details = nlohmann::json::parse(e.details, nullptr, /*allow_exceptions=*/false);
  if (!details.is_object() || !details.contains("through_seq") || !details.contains("cutoff") ||
      !details.contains("retention_days") || !details["through_seq"].is_string() ||
      !details["cutoff"].is_string() || !details["retention_days"].is_string()) {
    return std::nullopt;
  }
  const int days = std::atoi(details["retention_days"].get<std::string>().c_str());
  const auto cutoff = base::ParseRfc3339(details["cutoff"].get<std::string>());
  const auto at = base::ParseRfc3339(e.time);
  // A pruning that claims a cutoff its own retention did not allow authorises nothing.
  if (days < kMinRetentionDays || !cutoff.ok() || !at.ok() ||
      *cutoff > *at - std::chrono::days(days)) {
    return std::nullopt;
  }
  const std::string through = details["through_seq"].get<std::string>();
  std::uint64_t through_seq = 0;
  const auto [end, ec] =
      std::from_chars(through.data(), through.data() + through.size(), through_seq);
  if (ec != std::errc() || end != through.data() + through.size()) return std::nullopt;
  return Pruning{e.seq, through_seq, details["cutoff"].get<std::string>()};
}

// Events read from the store with their leaves recomputed, a few thousand at a time.
struct LeafBatch {
  std::vector<std::uint64_t> seqs;
  std::vector<std::uint8_t> pruned;
  std::vector<Hash> stored_leaves;
  std::vector<std::uint8_t> stored_leaf_ok;  // The stored leaf hash is 32 bytes.
  std::vector<Hash> leaves;  // Recomputed from the fields (the stored one for pruned events).
  std::vector<std::string> pruned_times;  // The time of each pruned event, in order.
  std::vector<std::pair<std::size_t, StoredEvent>> prune_events;  // audit.prune rows, whole.

  void Clear() {
    seqs.clear();
    pruned.clear();
    stored_leaves.clear();
    stored_leaf_ok.clear();
    leaves.clear();
    pruned_times.clear();
    prune_events.clear();
  }
};

// Reads the events of chunks first, first + stride, first + 2 * stride, ... (chunks of
// kChunkEvents positions, up to `end_seq`) on its own thread and its own read transaction, into
// a bounded queue of batches, one batch per chunk (empty where the chunk's events are missing).
// Two readers on alternate chunks and the hashing thread keep both cores busy. Thread-safe
// between its thread and the one calling Next and Recycle.
class LeafReader {
 public:
  static constexpr std::uint64_t kChunkEvents = 4096;

  LeafReader(storage::Store& store, std::uint64_t first_chunk, std::uint64_t stride,
             std::uint64_t end_seq)
      : store_(store), first_chunk_(first_chunk), stride_(stride), end_seq_(end_seq) {
    for (int i = 0; i < kBatches; ++i) free_.push_back(std::make_unique<LeafBatch>());
    thread_ = std::thread([this] { Run(); });
  }
  ~LeafReader() {
    {
      base::MutexLock l(&mu_);
      stop_ = true;
    }
    changed_.SignalAll();
    thread_.join();
  }

  // The next chunk's batch, or null after the last. Errors: the store's, from reading.
  base::Result<LeafBatch*> Next() {
    base::MutexLock l(&mu_);
    while (full_.empty() && !finished_) changed_.Wait(&mu_);
    if (!full_.empty()) {
      in_use_.push_back(std::move(full_.front()));
      full_.pop_front();
      return in_use_.back().get();
    }
    if (!status_.ok()) return status_;
    return static_cast<LeafBatch*>(nullptr);
  }
  void Recycle(LeafBatch* batch) {
    base::MutexLock l(&mu_);
    for (auto it = in_use_.begin(); it != in_use_.end(); ++it) {
      if (it->get() != batch) continue;
      batch->Clear();
      free_.push_back(std::move(*it));
      in_use_.erase(it);
      break;
    }
    changed_.SignalAll();
  }

 private:
  static constexpr int kBatches = 3;

  void Run() {
    base::Status status = ReadChunks();
    base::MutexLock l(&mu_);
    if (!stop_) status_ = status;
    finished_ = true;
    changed_.SignalAll();
  }

  base::Status ReadChunks() {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    const std::string sql = "SELECT " + std::string(kEventColumns) +
                            " FROM audit_events WHERE seq >= ? AND seq < ? ORDER BY seq";
    for (std::uint64_t chunk = first_chunk_; chunk * kChunkEvents < end_seq_; chunk += stride_) {
      std::unique_ptr<LeafBatch> batch = Take();
      if (!batch) return base::OkStatus();  // Stopped.
      const std::uint64_t lo = chunk * kChunkEvents;
      const std::uint64_t hi = std::min(lo + kChunkEvents, end_seq_);
      SR_RETURN_IF_ERROR(
          tx->ForEach(sql,
                      {storage::Int(static_cast<std::int64_t>(lo)),
                       storage::Int(static_cast<std::int64_t>(hi))},
                      [&](const storage::RowView& row) { return Add(row, *batch); }));
      Publish(std::move(batch));
    }
    return base::OkStatus();
  }

  static base::Status Add(const storage::RowView& row, LeafBatch& b) {
    SR_ASSIGN_OR_RETURN(const std::int64_t seq, row.GetInt(0));
    LeafFields fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      SR_ASSIGN_OR_RETURN(fields[i], row.GetText(i + 1));
    }
    SR_ASSIGN_OR_RETURN(const std::int64_t pruned, row.GetInt(12));
    SR_ASSIGN_OR_RETURN(const base::ByteView stored, row.GetBlob(kLeafHashColumn));
    const std::size_t index = b.seqs.size();
    b.seqs.push_back(static_cast<std::uint64_t>(seq));
    b.pruned.push_back(pruned != 0 ? 1 : 0);
    Hash leaf{};
    std::copy_n(stored.begin(), std::min(stored.size(), leaf.size()), leaf.begin());
    b.stored_leaves.push_back(leaf);
    b.stored_leaf_ok.push_back(stored.size() == leaf.size() ? 1 : 0);
    if (pruned != 0) {
      b.pruned_times.emplace_back(fields[0]);
      b.leaves.push_back(leaf);
    } else {
      // Leaves are independent: hashing them here spreads that work over both readers.
      b.leaves.push_back(LeafHashOfFields(static_cast<std::uint64_t>(seq), fields));
      if (fields[4] == "audit.prune") {
        SR_ASSIGN_OR_RETURN(StoredEvent e, EventFromView(row));
        b.prune_events.emplace_back(index, std::move(e));
      }
    }
    return base::OkStatus();
  }

  std::unique_ptr<LeafBatch> Take() {
    base::MutexLock l(&mu_);
    while (free_.empty() && !stop_) changed_.Wait(&mu_);
    if (stop_) return nullptr;
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  void Publish(std::unique_ptr<LeafBatch> batch) {
    base::MutexLock l(&mu_);
    full_.push_back(std::move(batch));
    changed_.SignalAll();
  }

  storage::Store& store_;
  const std::uint64_t first_chunk_;
  const std::uint64_t stride_;
  const std::uint64_t end_seq_;
  base::Mutex mu_;
  base::CondVar changed_;
  std::deque<std::unique_ptr<LeafBatch>> full_ SR_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<LeafBatch>> free_ SR_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<LeafBatch>> in_use_ SR_GUARDED_BY(mu_);
  bool stop_ SR_GUARDED_BY(mu_) = false;
  bool finished_ SR_GUARDED_BY(mu_) = false;
  base::Status status_ SR_GUARDED_BY(mu_);
  std::thread thread_;
};

std::string At(const Claim& c) {
  return "the checkpoint at size " + std::to_string(c.checkpoint.tree_size) + " in " + c.where;
}

}  // namespace

base::Result<VerifyReport> VerifyAuditLog(
    storage::Store& store, const std::filesystem::path& checkpoint_file,
    const std::map<std::string, crypto::Ed25519PublicKey>& keys) {
  VerifyReport result;
  Report report(result);
  SR_ASSIGN_OR_RETURN(auto tx, store.BeginRead());

  // Every checkpoint, from both places, by size. A checkpoint that is not signed by this
  // instance's key proves nothing and is reported.
  std::multimap<std::uint64_t, Claim> claims;
  SR_ASSIGN_OR_RETURN(std::vector<Claim> stored, StoredCheckpoints(*tx));
  std::size_t filed_count = 0;
  auto filed = CheckpointFile::ReadAll(checkpoint_file);
  if (!filed.ok()) {
    if (filed.error().code() != base::ErrorCode::kDataLoss) return filed.error();
    report.Problem("the checkpoint file is damaged: " + filed.error().message());
  } else {
    filed_count = filed->size();
    std::uint64_t previous = 0;
    for (const auto& c : *filed) {
      if (c.tree_size < previous) {
        report.Problem("the checkpoint file goes backwards: size " + std::to_string(c.tree_size) +
                       " after " + std::to_string(previous));
      }
      previous = std::max(previous, c.tree_size);
      stored.push_back(Claim{"the checkpoint file", c});
    }
  }
  if (filed_count == 0 && !stored.empty() && stored.front().where == "the store") {
    report.Problem("the store holds checkpoints but the checkpoint file " +
                   checkpoint_file.string() + " is missing or empty");
  }
  for (auto& claim : stored) {
    if (!VerifyCheckpointSignature(claim.checkpoint, keys)) {
      report.Problem(At(claim) + " is not signed by this instance's checkpoint key");
      continue;
    }
    claims.emplace(claim.checkpoint.tree_size, std::move(claim));
  }
  result.checkpoints = claims.size();

  SR_ASSIGN_OR_RETURN(auto nodes, StoredInteriorNodes(*tx));

  // Recompute the tree, checking each checkpoint as its size is reached.
  MerkleFrontier frontier;
  std::uint64_t last_good = 0;  // Events covered by the newest checkpoint that verified.
  bool tree_intact = true;      // False after a gap: later roots cannot be computed.
  // Where a mismatch cannot be pinned to one event, the first position not proven good is
  // last_good; an exact finding at or after it is kept.
  auto unproven = [&]() -> std::optional<std::uint64_t> {
    if (result.first_bad_seq && *result.first_bad_seq >= last_good) return std::nullopt;
    return last_good;
  };
  auto check_claims_at = [&](std::uint64_t size) {
    const auto [lo, hi] = claims.equal_range(size);
    for (auto it = lo; it != hi; ++it) {
      if (it->second.checkpoint.root == frontier.Root()) {
        last_good = size;
        result.covered = size;
        result.covered_at = it->second.checkpoint.time;
      } else {
        report.Problem(At(it->second) +
                           " does not match the events: an event before it was modified, "
                           "inserted, deleted or reordered",
                       unproven());
      }
    }
  };
  check_claims_at(0);
  std::uint64_t expected = 0;
  std::vector<MerkleFrontier::CompletedNode> completed;
  std::vector<std::pair<std::uint64_t, std::string>> pruned;  // (seq, time) of pruned events.
  std::vector<Pruning> prunings;
  // One pass over the events as of this snapshot, read in place (no row is materialised): two
  // readers on alternate chunks step through the rows and recompute each leaf from its fields,
  // and this thread rebuilds the tree from those leaves and checks it, chunk by chunk in order.
  SR_ASSIGN_OR_RETURN(const auto last_rows,
                      tx->Query("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_events"));
  SR_ASSIGN_OR_RETURN(const std::int64_t end_seq_value, last_rows.at(0).GetInt(0));
  const auto end_seq = static_cast<std::uint64_t>(std::max<std::int64_t>(end_seq_value, 0));
  tx.reset();  // The readers take their own snapshots; events appended since are not read.
  constexpr std::uint64_t kReaders = 2;
  std::vector<std::unique_ptr<LeafReader>> readers;
  for (std::uint64_t r = 0; r < kReaders; ++r) {
    readers.push_back(std::make_unique<LeafReader>(store, r, kReaders, end_seq));
  }
  for (std::uint64_t chunk = 0;; ++chunk) {
    LeafReader& reader = *readers[chunk % kReaders];
    SR_ASSIGN_OR_RETURN(LeafBatch * batch, reader.Next());
    if (batch == nullptr) break;
    std::size_t next_time = 0, next_prune = 0;
    for (std::size_t i = 0; i < batch->seqs.size(); ++i) {
      const std::uint64_t seq = batch->seqs[i];
      ++result.events;
      if (seq != expected) {
        if (tree_intact) {
          report.Problem("events " + std::to_string(expected) + " to " + std::to_string(seq - 1) +
                             " are missing",
                         expected);
        }
        tree_intact = false;
      }
      expected = seq + 1;
      const bool is_pruned = batch->pruned[i] != 0;
      std::string time;
      if (is_pruned) time = std::move(batch->pruned_times[next_time++]);
      const StoredEvent* prune_event = nullptr;
      if (next_prune < batch->prune_events.size() && batch->prune_events[next_prune].first == i) {
        prune_event = &batch->prune_events[next_prune++].second;
      }
      if (!tree_intact) continue;
      Hash leaf = batch->leaves[i];
      const bool stored_leaf_ok = batch->stored_leaf_ok[i] != 0;
      if (is_pruned) {
        // Its fields are gone: the stored leaf stands in, and the checkpoints vouch for it.
        if (!stored_leaf_ok) leaf[0] ^= 0xff;  // Cannot match a checkpoint.
        pruned.emplace_back(seq, std::move(time));
      } else {
        if (!stored_leaf_ok || leaf != batch->stored_leaves[i]) {
          report.Problem("event " + std::to_string(seq) + " does not match its leaf hash", seq);
        } else if (prune_event != nullptr) {
          if (auto p = PruningOf(*prune_event)) prunings.push_back(*p);
        }
      }
      completed.clear();
      frontier.Append(leaf, &completed);
      for (const auto& node : completed) {
        if (node.level == 0 || node.level % kStoredLevelStep != 0) continue;
        const auto found = nodes.find({node.level, node.index});
        if (found == nodes.end() || found->second != node.hash) {
          report.Problem("the stored Merkle node at level " + std::to_string(node.level) +
                             " index " + std::to_string(node.index) +
                             (found == nodes.end() ? " is missing" : " does not match the events"),
                         // Derived data: the events themselves are judged by their leaves and
                         // the checkpoints, so no position is blamed.
                         std::nullopt);
        }
        if (found != nodes.end()) nodes.erase(found);
      }
      if (claims.contains(frontier.size())) check_claims_at(frontier.size());
    }
    reader.Recycle(batch);
  }
  // Every emptied event must be one an intact audit.prune covered: at or before its last
  // position and older than its cutoff, which the retention then in force allowed.
  for (const auto& entry : pruned) {
    const std::uint64_t seq = entry.first;
    const std::string& time = entry.second;
    const bool allowed = std::any_of(prunings.begin(), prunings.end(), [&](const Pruning& p) {
      return seq <= p.through_seq && time < p.cutoff && seq < p.seq;
    });
    if (!allowed) {
      report.Problem("event " + std::to_string(seq) +
                         " was emptied, but no recorded pruning within the retention covers it",
                     seq);
    }
  }
  if (!nodes.empty()) {
    report.Problem(std::to_string(nodes.size()) +
                   " stored Merkle nodes lie beyond the stored events");
  }
  // Checkpoints the events never reached: the log lost its tail or went back in time.
  const std::uint64_t reached = tree_intact ? frontier.size() : expected;
  for (auto it = claims.upper_bound(reached); it != claims.end(); ++it) {
    report.Problem(At(it->second) + " is beyond the " + std::to_string(result.events) +
                       " stored events: the log was truncated or its database rolled back; "
                       "events from " +
                       std::to_string(last_good) + " on are not covered by a good checkpoint",
                   unproven());
  }
  report.Finish();
  return result;
}

}  // namespace strongroom::audit
