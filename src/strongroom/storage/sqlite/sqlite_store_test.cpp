#include "strongroom/storage/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "strongroom/base/testing/fake_clock.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::storage {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = dir_ / "store.db";
    options_.create = true;
  }

  std::unique_ptr<Store> OpenOrDie(const SqliteOptions& options) {
    auto store = OpenSqliteStore(options, clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Reads a value with a separate, plain SQLite connection, as an outside observer would.
  std::string Peek(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(options_.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    std::string out;
    if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  base::testing::ScopedTempDir temp_;
  const std::filesystem::path& dir_ = temp_.path();
  SqliteOptions options_;
  base::testing::FakeClock clock_;
};

const Migration kTestMigrations[] = {
    {1, "one", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT;"},
    {2, "two",
     "CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id)) STRICT;"},
};

TEST_F(SqliteStoreTest, AppliesEveryShippedMigrationOnCreate) {
  auto store = OpenOrDie(options_);
  EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(AllMigrations().size()));
  ASSERT_TRUE(store->Close().ok());
  // Opening again applies nothing new and keeps the version.
  options_.create = false;
  auto again = OpenOrDie(options_);
  EXPECT_EQ(*again->SchemaVersion(), static_cast<int>(AllMigrations().size()));
}

TEST_F(SqliteStoreTest, UsesWalFullSyncForeignKeysAndABusyTimeout) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  EXPECT_EQ(Peek("PRAGMA journal_mode"), "wal");
  auto tx = *store->BeginWrite();
  auto pragma = [&](const char* sql) { return *(*tx->Query(sql))[0].GetInt(0); };
  EXPECT_EQ(pragma("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(pragma("PRAGMA busy_timeout"), 5000);
  EXPECT_EQ(pragma("PRAGMA secure_delete"), 1);
  // Foreign keys are enforced, not just declared.
  const auto r = tx->Execute("INSERT INTO u (id, t_id) VALUES (1, 99)");
  EXPECT_EQ(r.status().code(), base::ErrorCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, MissingStoreIsNotFoundUnlessCreating) {
  options_.create = false;
  const auto r = OpenSqliteStore(options_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(options_.path));
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsDataLoss) {
  std::ofstream(options_.path) << std::string(8192, 'x');
  const auto r = OpenSqliteStore(options_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::ErrorCode::kDataLoss) << r.status().ToString();
}

TEST_F(SqliteStoreTest, AFailingMigrationLeavesTheStoreExactlyAsItWas) {
  options_.migrations = std::span(kTestMigrations).first(1);
  auto store = OpenOrDie(options_);
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  ASSERT_TRUE(store->Close().ok());
  const Migration broken[] = {
      kTestMigrations[0],
      {2, "two",
       "CREATE TABLE v (id INTEGER) STRICT; INSERT INTO t (id, name) VALUES (2, 'b'); "
       "THIS IS NOT SQL;"},
  };
  options_.migrations = broken;
  const auto r = OpenSqliteStore(options_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("migration 2 (two) failed; the store is unchanged"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(Peek("SELECT MAX(version) FROM schema_migrations"), "1");
  EXPECT_EQ(Peek("SELECT COUNT(*) FROM t"), "1");
  EXPECT_EQ(Peek("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'v'"), "0");
}

TEST_F(SqliteStoreTest, RefusesAStoreFromANewerOrDifferentBuild) {
  options_.migrations = kTestMigrations;
  ASSERT_TRUE(OpenOrDie(options_)->Close().ok());
  options_.migrations = std::span(kTestMigrations).first(1);
  auto r = OpenSqliteStore(options_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("newer than this build"), std::string::npos);

  const Migration renamed[] = {kTestMigrations[0], {2, "other", "SELECT 1;"}};
  options_.migrations = renamed;
  r = OpenSqliteStore(options_, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'two' but this build's is 'other'"), std::string::npos);
}

TEST_F(SqliteStoreTest, ParametersAreBoundNeverSpliced) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  const std::string hostile = "x'); DROP TABLE t; --";
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(
        tx->Execute("INSERT INTO t (id, name) VALUES (?, ?)", {Int(1), Text(hostile)}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = *store->BeginRead();
  const auto rows = *tx->Query("SELECT name FROM t WHERE name = ?", {Text(hostile)});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0].GetText(0), hostile);
}

TEST_F(SqliteStoreTest, RefusesSqlWithMoreThanOneStatementOrWrongParameterCount) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  auto tx = *store->BeginWrite();
  auto r = tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a'); DROP TABLE t");
  EXPECT_EQ(r.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("more than one statement"), std::string::npos);
  r = tx->Execute("INSERT INTO t (id, name) VALUES (?, ?)", {Int(1)});
  EXPECT_EQ(r.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(*(*tx->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 0);
}

TEST_F(SqliteStoreTest, UncommittedWritesAreRolledBack) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
    // Destroyed without Commit.
  }
  auto tx = *store->BeginRead();
  EXPECT_EQ(*(*tx->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 0);
}

TEST_F(SqliteStoreTest, ConstraintViolationsMapToClearCodes) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  auto tx = *store->BeginWrite();
  ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  EXPECT_EQ(tx->Execute("INSERT INTO t (id, name) VALUES (2, 'a')").status().code(),
            base::ErrorCode::kAlreadyExists);
  EXPECT_EQ(tx->Execute("INSERT INTO t (id, name) VALUES (3, NULL)").status().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(tx->Execute("INSERT INTO t (id, name) VALUES (4, X'01')").status().code(),
            base::ErrorCode::kInvalidArgument);  // STRICT: a blob is not text.
}

TEST_F(SqliteStoreTest, ReadersSeeASnapshotWhileTheWriterWorks) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto reader = *store->BeginRead();
  EXPECT_EQ(*(*reader->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 1);
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (2, 'b')").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(*(*reader->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 1);  // Its snapshot.
  EXPECT_EQ(reader->Execute("INSERT INTO t (id, name) VALUES (3, 'c')").status().code(),
            base::ErrorCode::kPermissionDenied);
  reader.reset();
  auto fresh = *store->BeginRead();
  EXPECT_EQ(*(*fresh->Query("SELECT COUNT(*) FROM t"))[0].GetInt(0), 2);
}

TEST_F(SqliteStoreTest, ConcurrentWritersAreSerialisedAndNoneIsLost) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto tx = store->BeginWrite();
        if (!tx.ok() ||
            !(*tx)
                 ->Execute("INSERT INTO t (id, name) VALUES (?, ?)",
                           {Int(t * 1000 + i), Text(std::to_string(t * 1000 + i))})
                 .ok() ||
            !(*tx)->Commit().ok()) {
          ++failures;
        }
        auto rtx = store->BeginRead();
        if (!rtx.ok() || !(*rtx)->Query("SELECT COUNT(*) FROM t").ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(store->Close().ok());
  EXPECT_EQ(Peek("SELECT COUNT(*) FROM t"), "200");
}

TEST_F(SqliteStoreTest, CloseWaitsForTransactionsCheckpointsAndRefusesNewOnes) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  auto tx = *store->BeginWrite();
  ASSERT_TRUE(tx->Execute("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  std::atomic<bool> closed{false};
  std::thread closer([&] {
    EXPECT_TRUE(store->Close().ok());
    closed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(closed.load());  // Still waiting for the open transaction.
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  closer.join();
  EXPECT_TRUE(closed.load());
  EXPECT_EQ(store->BeginRead().status().code(), base::ErrorCode::kFailedPrecondition);
  // The WAL was folded into the database and removed: the file stands alone.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "store.db-wal"));
  EXPECT_EQ(Peek("SELECT COUNT(*) FROM t"), "1");
}

}  // namespace
}  // namespace strongroom::storage

namespace strongroom::storage {
namespace {

class ForEachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static const Migration kMigrations[] = {
        {1, "rows", "CREATE TABLE r (id INTEGER PRIMARY KEY, name TEXT, data BLOB) STRICT;"}};
    SqliteOptions options;
    options.path = temp_ / "foreach.db";
    options.create = true;
    options.migrations = kMigrations;
    store_ = std::move(OpenSqliteStore(options, clock_)).value();
    auto tx = *store_->BeginWrite();
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(
          tx->Execute("INSERT INTO r (id, name, data) VALUES (?, ?, ?)",
                      {Int(i), i % 100 == 0 ? Null() : Text("row " + std::to_string(i)),
                       Blob(base::AsBytes(std::string(static_cast<std::size_t>(i % 7), 'x')))})
              .ok());
    }
    ASSERT_TRUE(tx->Commit().ok());
  }
  void TearDown() override { ASSERT_TRUE(store_->Close().ok()); }

  base::testing::ScopedTempDir temp_;
  base::testing::FakeClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(ForEachTest, VisitsEveryRowInOrderWithTheSameValuesAsQuery) {
  auto tx = *store_->BeginRead();
  const auto rows = *tx->Query("SELECT id, name, data FROM r ORDER BY id");
  std::size_t n = 0;
  const base::Status s = tx->ForEach(
      "SELECT id, name, data FROM r ORDER BY id", {}, [&](const RowView& row) -> base::Status {
        EXPECT_EQ(row.size(), 3u);
        EXPECT_EQ(*row.GetInt(0), *rows[n].GetInt(0));
        EXPECT_EQ(row.IsNull(1), rows[n].IsNull(1));
        if (!row.IsNull(1)) {
          EXPECT_EQ(*row.GetText(1), *rows[n].GetText(1));
        }
        const auto blob = *row.GetBlob(2);
        const auto expected = *rows[n].GetBlob(2);
        EXPECT_TRUE(std::equal(blob.begin(), blob.end(), expected.begin(), expected.end()));
        ++n;
        return base::OkStatus();
      });
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(n, 1000u);
}

TEST_F(ForEachTest, ChecksTypesAndStopsAtTheVisitorsError) {
  auto tx = *store_->BeginRead();
  std::size_t n = 0;
  const base::Status s = tx->ForEach(
      "SELECT id, name FROM r WHERE id >= ? ORDER BY id", {Int(100)},
      [&](const RowView& row) -> base::Status {
        EXPECT_EQ(row.GetText(0).error().code(), base::ErrorCode::kDataLoss);  // An integer.
        EXPECT_EQ(row.GetInt(1).error().code(), base::ErrorCode::kDataLoss);   // Text or NULL.
        if (++n == 3) return base::AbortedError("enough");
        return base::OkStatus();
      });
  EXPECT_EQ(s.code(), base::ErrorCode::kAborted);
  EXPECT_EQ(n, 3u);
  // The statement was reset: the transaction goes on working.
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM r")->at(0).GetInt(0).value(), 1000);
}

TEST_F(SqliteStoreTest, SnapshotIsOneConsistentCopyTakenWhileAWriterIsBusy) {
  options_.migrations = kTestMigrations;
  auto store = OpenOrDie(options_);
  ASSERT_NE(store, nullptr);
  {
    auto tx = store->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Execute("INSERT INTO t (id, name) VALUES (1, 'kept')", {}).ok());
    ASSERT_TRUE((*tx)->Execute("INSERT INTO t (id, name) VALUES (2, 'SECRET-DELETED')", {}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  {
    auto tx = store->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Execute("DELETE FROM t WHERE id = 2", {}).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  // A writer is in the middle of a transaction: the snapshot neither waits for it nor sees it.
  auto open_writer = store->BeginWrite();
  ASSERT_TRUE(open_writer.ok());
  ASSERT_TRUE(
      (*open_writer)->Execute("INSERT INTO t (id, name) VALUES (3, 'uncommitted')", {}).ok());

  const auto copy = dir_ / "copy.db";
  const base::Status snap = store->SnapshotTo(copy);
  ASSERT_TRUE(snap.ok()) << snap.ToString();
  ASSERT_TRUE(std::filesystem::exists(copy));
  open_writer->reset();

  SqliteOptions copy_options;
  copy_options.path = copy;
  copy_options.migrations = kTestMigrations;
  auto opened = OpenOrDie(copy_options);
  ASSERT_NE(opened, nullptr);
  auto tx = opened->BeginRead();
  ASSERT_TRUE(tx.ok());
  auto rows = (*tx)->Query("SELECT name FROM t ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(*(*rows)[0].GetText(0), "kept");
  tx->reset();
  ASSERT_TRUE(opened->Close().ok());

  std::ifstream in(copy, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("SECRET-DELETED"), std::string::npos);
  EXPECT_EQ(bytes.find("uncommitted"), std::string::npos);

  const auto refused = store->SnapshotTo(copy);
  EXPECT_EQ(refused.code(), base::ErrorCode::kAlreadyExists);
}

}  // namespace
}  // namespace strongroom::storage
