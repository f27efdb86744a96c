#include "strongroom/audit/verify.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <thread>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/periodic_verifier.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/testing/memory_sink.hpp"
#include "strongroom/audit/testing/tree.hpp"
#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::audit {
namespace {

namespace fs = std::filesystem;
using storage::Blob;
using storage::Int;
using storage::Text;

constexpr int kEvents = 300;
constexpr int kCheckpointEvery = 40;

using testing::TestCheckpointKey;

std::map<std::string, crypto::Ed25519PublicKey> Keys() {
  return {{KeyIdOf(TestCheckpointKey().public_key()), TestCheckpointKey().public_key()}};
}

Event NthEvent(int i) {
  Event e;
  e.time = base::FromUnixMillis(1'790'000'000'000 + i * 1000);
  e.actor_id = "usr_" + std::to_string(i % 5);
  e.actor_role = i % 2 ? "service" : "client_admin";
  e.tenant_id = i % 3 ? "ten_a" : "ten_b";
  e.action = "records.read";
  e.resource = "record:" + std::to_string(i);
  e.outcome = i % 4 == 0 ? Outcome::kDenied : Outcome::kAllowed;
  e.reason = i % 4 == 0 ? "no_grant" : "via_grant";
  e.source_address = "198.51.100.7";
  e.request_id = "req-" + std::to_string(i);
  return e;
}

std::unique_ptr<storage::Store> OpenStore(const fs::path& dir, const base::Clock& clock) {
  auto store = OpenAuditStore(dir / "audit.db", clock);
  EXPECT_TRUE(store.ok()) << store.error().message();
  return store.ok() ? std::move(*store) : nullptr;
}

// Writes a log of `events` events with a checkpoint every kCheckpointEvery and one at the end,
// saving a copy of the database at each size listed in `snapshots`.
void WriteLog(const fs::path& dir, int events, const std::vector<int>& snapshots = {}) {
  base::testing::FakeClock clock;
  auto store = OpenStore(dir, clock);
  auto log = *AuditLog::Open(*store, TestCheckpointKey(), dir / "checkpoints.jsonl", clock);
  for (int i = 0; i < events; ++i) {
    ASSERT_TRUE(log->Record(NthEvent(i)).ok());
    if ((i + 1) % kCheckpointEvery == 0) {
      ASSERT_TRUE(log->Checkpoint().ok());
    }
    if (std::find(snapshots.begin(), snapshots.end(), i + 1) != snapshots.end()) {
      ASSERT_TRUE(log->Close().ok());
      ASSERT_TRUE(store->Close().ok());
      fs::copy_file(dir / "audit.db", dir / ("audit-" + std::to_string(i + 1) + ".db"));
      store = OpenStore(dir, clock);
      log = *AuditLog::Open(*store, TestCheckpointKey(), dir / "checkpoints.jsonl", clock);
    }
  }
  ASSERT_TRUE(log->Close().ok());
  ASSERT_TRUE(store->Close().ok());
}

VerifyReport Verify(const fs::path& dir) {
  base::testing::FakeClock clock;
  auto store = OpenStore(dir, clock);
  auto report = VerifyAuditLog(*store, dir / "checkpoints.jsonl", Keys());
  EXPECT_TRUE(report.ok()) << report.error().message();
  EXPECT_TRUE(store->Close().ok());
  return report.ok() ? *report : VerifyReport{};
}

std::vector<StoredEvent> ReadEvents(storage::Transaction& tx, std::uint64_t from) {
  std::vector<StoredEvent> out;
  const auto rows = *tx.Query(
      "SELECT " + std::string(kEventColumns) + " FROM audit_events WHERE seq >= ? ORDER BY seq",
      {Int(static_cast<std::int64_t>(from))});
  for (const auto& row : rows) out.push_back(*EventFromRow(row));
  return out;
}

void Insert(storage::Transaction& tx, const StoredEvent& e) {
  ASSERT_TRUE(tx.Execute("INSERT INTO audit_events (seq, time, actor_id, actor_role, tenant_id, "
                         "action, resource, outcome, reason, source_address, request_id, details, "
                         "leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         {Int(static_cast<std::int64_t>(e.seq)), Text(e.time), Text(e.actor_id),
                          Text(e.actor_role), Text(e.tenant_id), Text(e.action), Text(e.resource),
                          Text(e.outcome), Text(e.reason), Text(e.source_address),
                          Text(e.request_id), Text(e.details), Blob(LeafHashOf(e))})
                  .ok());
}

// What a careful attacker does after editing events: recompute every leaf hash and stored node
// so that only the signed checkpoints can tell.
void RebuildDerived(storage::Transaction& tx) {
  ASSERT_TRUE(tx.Execute("DELETE FROM audit_nodes").ok());
  MerkleFrontier frontier;
  std::vector<MerkleFrontier::CompletedNode> completed;
  for (const auto& e : ReadEvents(tx, 0)) {
    const Hash leaf = LeafHashOf(e);
    ASSERT_TRUE(tx.Execute("UPDATE audit_events SET leaf_hash = ? WHERE seq = ?",
                           {Blob(leaf), Int(static_cast<std::int64_t>(e.seq))})
                    .ok());
    completed.clear();
    frontier.Append(leaf, &completed);
    for (const auto& n : completed) {
      if (n.level == 0 || n.level % kStoredLevelStep != 0) continue;
      ASSERT_TRUE(tx.Execute("INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)",
                             {Int(n.level), Int(static_cast<std::int64_t>(n.index)), Blob(n.hash)})
                      .ok());
    }
  }
}

void Renumber(storage::Transaction& tx, std::uint64_t from, std::vector<StoredEvent> events) {
  ASSERT_TRUE(
      tx.Execute("DELETE FROM audit_events WHERE seq >= ?", {Int(static_cast<std::int64_t>(from))})
          .ok());
  std::uint64_t seq = from;
  for (auto& e : events) {
    e.seq = seq++;
    Insert(tx, e);
  }
}

void Sql(storage::Transaction& tx, std::string_view sql, const std::vector<storage::Value>& p) {
  const auto r = tx.Execute(sql, p);
  ASSERT_TRUE(r.ok()) << r.error().message();
}

void EditEvent(storage::Transaction& tx, std::uint64_t p,
               const std::function<void(StoredEvent&)>& edit, bool rehash) {
  StoredEvent e = ReadEvents(tx, p).at(0);
  edit(e);
  ASSERT_TRUE(
      tx.Execute("DELETE FROM audit_events WHERE seq = ?", {Int(static_cast<std::int64_t>(p))})
          .ok());
  Insert(tx, e);
  if (rehash) {
    RebuildDerived(tx);
  } else {
    // Keep the original leaf hash: the naive edit.
    const StoredEvent original = ToStored(p, NthEvent(static_cast<int>(p)));
    Sql(tx, "UPDATE audit_events SET leaf_hash = ? WHERE seq = ?",
        {Blob(LeafHashOf(original)), Int(static_cast<std::int64_t>(p))});
  }
}

struct Mutation {
  std::string name;
  // Changes the log in `dir` for position p.
  // Returns the position it damaged (p, or p - 1 where p is the last event and the damage
  // needs a successor).
  std::function<std::uint64_t(const fs::path& dir, storage::Transaction& tx, std::uint64_t p)>
      apply;
  // True when verify must name p itself as the first bad position; otherwise (the change was made
  // to look consistent, or removed the evidence) it must name the first position no checkpoint
  // proves good: at or before p, and not before the checkpoint preceding p.
  bool exact;
};

std::vector<Mutation> Mutations() {
  using Tx = storage::Transaction;
  auto edit = [](std::function<void(StoredEvent&)> f, bool rehash) {
    return [f, rehash](const fs::path&, Tx& tx, std::uint64_t p) {
      EditEvent(tx, p, f, rehash);
      return p;
    };
  };
  return {
      {"action modified", edit([](StoredEvent& e) { e.action = "records.list"; }, false), true},
      {"time modified", edit([](StoredEvent& e) { e.time[3] = '5'; }, false), true},
      {"details modified", edit([](StoredEvent& e) { e.details = R"({"x":"1"})"; }, false), true},
      {"action modified, hashes recomputed",
       edit([](StoredEvent& e) { e.action = "records.list"; }, true), false},
      {"tenant changed to hide it, hashes recomputed",
       edit([](StoredEvent& e) { e.tenant_id = "ten_z"; }, true), false},
      {"denial turned into an allow, hashes recomputed",
       edit([](StoredEvent& e) { e.outcome = e.outcome == "denied" ? "allowed" : "denied"; }, true),
       false},
      {"deleted",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         // Deleting the last event is a truncation, tested below; delete the one before it.
         if (ReadEvents(tx, p).size() < 2) --p;
         Sql(tx, "DELETE FROM audit_events WHERE seq = ?", {Int(static_cast<std::int64_t>(p))});
         return p;
       },
       true},
      {"deleted, later ones renumbered, hashes recomputed",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         auto later = ReadEvents(tx, p + 1);
         Renumber(tx, p, later);
         RebuildDerived(tx);
         return p;
       },
       false},
      {"forged event inserted, later ones renumbered, hashes recomputed",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         auto later = ReadEvents(tx, p);
         StoredEvent forged = later.at(0);
         forged.action = "grants.create";
         later.insert(later.begin(), forged);
         Renumber(tx, p, later);
         RebuildDerived(tx);
         return p;
       },
       false},
      {"swapped with the next event, hashes recomputed",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         auto later = ReadEvents(tx, p);
         if (later.size() < 2) {
           later.push_back(later[0]);  // The last event: duplicate it over a new one.
           later[1].request_id = "req-x";
         }
         std::swap(later[0], later[1]);
         Renumber(tx, p, later);
         RebuildDerived(tx);
         return p;
       },
       false},
      {"swapped with the next event, stored hashes moved along",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         if (ReadEvents(tx, p).size() < 2) --p;  // The last: swap it with the one before.
         Sql(tx, "UPDATE audit_events SET seq = 1000000 WHERE seq = ?",
             {Int(static_cast<std::int64_t>(p))});
         Sql(tx, "UPDATE audit_events SET seq = ? WHERE seq = ?",
             {Int(static_cast<std::int64_t>(p)), Int(static_cast<std::int64_t>(p + 1))});
         Sql(tx, "UPDATE audit_events SET seq = ? WHERE seq = 1000000",
             {Int(static_cast<std::int64_t>(p + 1))});
         return p;
       },
       true},
      {"truncated from here, with the store's later checkpoints and nodes",
       [](const fs::path&, Tx& tx, std::uint64_t p) {
         const auto at = Int(static_cast<std::int64_t>(p));
         Sql(tx, "DELETE FROM audit_events WHERE seq >= ?", {at});
         Sql(tx, "DELETE FROM audit_checkpoints WHERE tree_size > ?", {at});
         Sql(tx, "DELETE FROM audit_nodes WHERE (idx + 1) << level > ?", {at});
         return p;
       },
       false},
  };
}

class VerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pristine_ = new base::testing::ScopedTempDir();
    WriteLog(pristine_->path(), kEvents, {120, 200});
  }
  static void TearDownTestSuite() { delete pristine_; }

  // A fresh copy of the pristine log.
  fs::path Copy(const std::string& name) {
    const fs::path dir = scratch_ / name;
    fs::create_directories(dir);
    for (const char* f : {"audit.db", "checkpoints.jsonl"}) {
      fs::copy_file(pristine_->path() / f, dir / f);
    }
    return dir;
  }

  static base::testing::ScopedTempDir* pristine_;
  const base::testing::ScopedTempDir scratch_;
};

base::testing::ScopedTempDir* VerifyTest::pristine_ = nullptr;

TEST_F(VerifyTest, CleanLogsOfManySizesVerify) {
  const VerifyReport pristine = Verify(pristine_->path());
  EXPECT_TRUE(pristine.ok()) << pristine.problems.front();
  EXPECT_EQ(pristine.events, std::uint64_t{kEvents});
  EXPECT_EQ(pristine.covered, std::uint64_t{kEvents});
  EXPECT_FALSE(pristine.first_bad_seq.has_value());
  for (int size : {0, 1, 2, 39, 40, 41, 255, 256, 257, 513}) {
    const fs::path dir = scratch_ / ("clean-" + std::to_string(size));
    fs::create_directories(dir);
    WriteLog(dir, size);
    const VerifyReport r = Verify(dir);
    EXPECT_TRUE(r.ok()) << size << ": " << (r.problems.empty() ? "" : r.problems.front());
    EXPECT_EQ(r.events, std::uint64_t(size));
    EXPECT_EQ(r.covered, std::uint64_t(size));
  }
}

TEST_F(VerifyTest, EveryKindOfTamperingAtEveryTestedPositionIsDetected) {
  const std::vector<std::uint64_t> positions{0,   1,   2,   38,  39,  40,  41,  100, 127,
                                             128, 129, 199, 255, 256, 257, 280, 298, 299};
  base::testing::FakeClock clock;
  int cases = 0, detected = 0;
  for (const Mutation& m : Mutations()) {
    for (const std::uint64_t p : positions) {
      const fs::path dir = Copy("m" + std::to_string(cases));
      std::uint64_t damaged = p;
      {
        auto store = OpenStore(dir, clock);
        auto tx = *store->BeginWrite();
        damaged = m.apply(dir, *tx, p);
        ASSERT_TRUE(tx->Commit().ok());
        tx.reset();
        ASSERT_TRUE(store->Close().ok());
      }
      const VerifyReport r = Verify(dir);
      ++cases;
      if (!r.ok()) ++detected;
      EXPECT_FALSE(r.ok()) << m.name << " at " << p;
      if (r.ok()) continue;
      ASSERT_TRUE(r.first_bad_seq.has_value()) << m.name << " at " << p;
      if (m.exact) {
        EXPECT_EQ(*r.first_bad_seq, damaged) << m.name << ": " << r.problems.front();
      } else {
        EXPECT_LE(*r.first_bad_seq, p) << m.name << ": " << r.problems.front();
        // No earlier than the checkpoint before p: it still verifies.
        EXPECT_GE(*r.first_bad_seq, p / kCheckpointEvery * kCheckpointEvery)
            << m.name << " at " << p << ": " << r.problems.front();
      }
    }
  }
  EXPECT_EQ(detected, cases);
  EXPECT_GE(cases, 10 * 18);
}

TEST(VerifyLargeLog, ReadsAcrossManyBatchesAndFindsDamageDeepInTheLog) {
  base::testing::ScopedTempDir dir;
  {
    base::testing::FakeClock clock;
    auto store = OpenStore(dir.path(), clock);
    auto log =
        *AuditLog::Open(*store, TestCheckpointKey(), dir.path() / "checkpoints.jsonl", clock);
    std::vector<std::thread> writers;  // Many writers share commits, so this stays quick.
    for (int t = 0; t < 32; ++t) {
      writers.emplace_back([&, t] {
        for (int i = t; i < 20000; i += 32) EXPECT_TRUE(log->Record(NthEvent(i)).ok());
      });
    }
    for (auto& w : writers) w.join();
    ASSERT_TRUE(log->Close().ok());
    ASSERT_TRUE(store->Close().ok());
  }
  VerifyReport clean = Verify(dir.path());
  EXPECT_TRUE(clean.ok());
  EXPECT_EQ(clean.events, 20000u);
  EXPECT_EQ(clean.covered, 20000u);
  {
    base::testing::FakeClock clock;
    auto store = OpenStore(dir.path(), clock);
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(
        tx->Execute("UPDATE audit_events SET resource = resource || '!' WHERE seq = 17001").ok());
    ASSERT_TRUE(tx->Commit().ok());
    tx.reset();
    ASSERT_TRUE(store->Close().ok());
  }
  const VerifyReport damaged = Verify(dir.path());
  EXPECT_FALSE(damaged.ok());
  ASSERT_TRUE(damaged.first_bad_seq.has_value());
  EXPECT_EQ(*damaged.first_bad_seq, 17001u);
}

TEST_F(VerifyTest, ThePeriodicVerifierRecordsEachOutcomeAsAnAuditEvent) {
  const fs::path dir = Copy("periodic");
  base::testing::FakeClock clock;
  auto store = OpenStore(dir, clock);
  testing::MemorySink sink;
  PeriodicVerifier verifier(*store, dir / "checkpoints.jsonl", Keys(), sink, clock,
                            std::chrono::hours(24));
  ASSERT_TRUE(verifier.RunOnce().ok());
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("UPDATE audit_events SET resource = 'record:x' WHERE seq = 57").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto damaged = verifier.RunOnce();
  ASSERT_TRUE(damaged.ok());
  EXPECT_FALSE(damaged->ok());
  const auto events = sink.With("audit.verify");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].outcome, Outcome::kAllowed);
  EXPECT_EQ(events[0].reason, "intact");
  EXPECT_EQ(events[0].details.at("events"), std::to_string(kEvents));
  EXPECT_EQ(events[1].outcome, Outcome::kFailed);
  EXPECT_EQ(events[1].reason, "tampering_found");
  EXPECT_EQ(events[1].details.at("first_bad_seq"), "57");
  sink.set_fail(true);
  EXPECT_FALSE(verifier.RunOnce().ok());  // An outcome that cannot be recorded is an error.
  EXPECT_TRUE(store->Close().ok());
}

TEST_F(VerifyTest, ADatabaseRolledBackToAnOlderCopyIsDetected) {
  for (int older : {120, 200}) {
    const fs::path dir = Copy("rollback-" + std::to_string(older));
    fs::copy_file(pristine_->path() / ("audit-" + std::to_string(older) + ".db"), dir / "audit.db",
                  fs::copy_options::overwrite_existing);
    const VerifyReport r = Verify(dir);
    EXPECT_FALSE(r.ok());
    ASSERT_TRUE(r.first_bad_seq.has_value());
    EXPECT_EQ(*r.first_bad_seq, std::uint64_t(older));
    EXPECT_NE(r.problems.front().find("rolled back"), std::string::npos) << r.problems.front();
  }
}

TEST_F(VerifyTest, TamperedCheckpointsAreDetected) {
  base::testing::FakeClock clock;
  {  // A stored checkpoint's root rewritten.
    const fs::path dir = Copy("stored-root");
    auto store = OpenStore(dir, clock);
    auto tx = *store->BeginWrite();
    Sql(*tx, "UPDATE audit_checkpoints SET root_hash = zeroblob(32) WHERE tree_size = 80", {});
    ASSERT_TRUE(tx->Commit().ok());
    tx.reset();
    ASSERT_TRUE(store->Close().ok());
    const VerifyReport r = Verify(dir);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.problems.front().find("not signed"), std::string::npos) << r.problems.front();
  }
  {  // A line of the checkpoint file rewritten with a different size.
    const fs::path dir = Copy("file-line");
    std::ifstream in(dir / "checkpoints.jsonl");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    in.close();
    const auto at = text.find("\"tree_size\":80");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 14, "\"tree_size\":81");
    std::ofstream(dir / "checkpoints.jsonl", std::ios::trunc) << text;
    EXPECT_FALSE(Verify(dir).ok());
  }
  {  // The checkpoint file removed.
    const fs::path dir = Copy("file-gone");
    fs::remove(dir / "checkpoints.jsonl");
    const VerifyReport r = Verify(dir);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.problems.front().find("missing or empty"), std::string::npos);
  }
  {  // The checkpoint file cut mid-line.
    const fs::path dir = Copy("file-cut");
    fs::resize_file(dir / "checkpoints.jsonl", fs::file_size(dir / "checkpoints.jsonl") - 5);
    EXPECT_FALSE(Verify(dir).ok());
  }
  {  // A stored Merkle node changed.
    const fs::path dir = Copy("node");
    auto store = OpenStore(dir, clock);
    auto tx = *store->BeginWrite();
    Sql(*tx, "UPDATE audit_nodes SET hash = zeroblob(32) WHERE level = 8 AND idx = 0", {});
    ASSERT_TRUE(tx->Commit().ok());
    tx.reset();
    ASSERT_TRUE(store->Close().ok());
    const VerifyReport r = Verify(dir);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.first_bad_seq.has_value());  // The events themselves are intact.
  }
  {  // Signed by another key.
    const fs::path dir = Copy("other-key");
    auto store = OpenStore(dir, clock);
    crypto::Ed25519Seed seed;
    seed.mutable_value().fill(1);
    auto report = VerifyAuditLog(*store, dir / "checkpoints.jsonl",
                                 {{KeyIdOf(TestCheckpointKey().public_key()),
                                   crypto::Ed25519KeyPair::FromSeed(seed).public_key()}});
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->ok());
    ASSERT_TRUE(store->Close().ok());
  }
}

}  // namespace
}  // namespace strongroom::audit
