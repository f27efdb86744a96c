#include "strongroom/audit/verify.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/merkle.hpp"
#include "strongroom/audit/record.hpp"
#include "strongroom/audit/retention.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::audit {
namespace {

constexpr std::size_t kMaxProblems = 50;
constexpr std::int64_t kPage = 16384;

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
  const auto [end, ec] = std::from_chars(through.data(), through.data() + through.size(),
                                         through_seq);
  if (ec != std::errc() || end != through.data() + through.size()) return std::nullopt;
  return Pruning{e.seq, through_seq, details["cutoff"].get<std::string>()};
}

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
  for (bool more = true; more;) {
    SR_ASSIGN_OR_RETURN(
        const auto rows,
        tx->Query("SELECT " + std::string(kEventColumns) +
                      " FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?",
                  {storage::Int(static_cast<std::int64_t>(expected)), storage::Int(kPage)}));
    more = rows.size() == static_cast<std::size_t>(kPage);
    for (const auto& row : rows) {
      SR_ASSIGN_OR_RETURN(const StoredEvent e, EventFromRow(row));
      SR_ASSIGN_OR_RETURN(const base::Bytes stored_leaf, row.GetBlob(kLeafHashColumn));
      ++result.events;
      if (e.seq != expected) {
        if (tree_intact) {
          report.Problem("events " + std::to_string(expected) + " to " + std::to_string(e.seq - 1) +
                             " are missing",
                         expected);
        }
        tree_intact = false;
      }
      expected = e.seq + 1;
      if (!tree_intact) continue;
      Hash leaf;
      if (e.pruned) {
        // Its fields are gone: the stored leaf stands in, and the checkpoints vouch for it.
        leaf = e.stored_leaf;
        pruned.emplace_back(e.seq, e.time);
      } else {
        leaf = LeafHashOf(e);
        if (!std::equal(stored_leaf.begin(), stored_leaf.end(), leaf.begin(), leaf.end())) {
          report.Problem("event " + std::to_string(e.seq) + " does not match its leaf hash",
                         e.seq);
        } else if (auto p = PruningOf(e)) {
          prunings.push_back(*p);
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
                         // Derived data: the events themselves are judged by their leaves
                         // and the checkpoints, so no position is blamed.
                         std::nullopt);
        }
        if (found != nodes.end()) nodes.erase(found);
      }
      check_claims_at(frontier.size());
    }
  }
  // Every emptied event must be one an intact audit.prune covered: at or before its last
  // position and older than its cutoff, which the retention then in force allowed.
  for (const auto& [seq, time] : pruned) {
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
