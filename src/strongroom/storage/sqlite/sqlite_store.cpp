#include "strongroom/storage/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "strongroom/base/check.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::storage {
namespace {

base::Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xFF;
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  base::ErrorCode code = base::ErrorCode::kInternal;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = base::ErrorCode::kUnavailable;
      break;
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = base::ErrorCode::kAlreadyExists;
      } else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        code = base::ErrorCode::kFailedPrecondition;
      } else {
        code = base::ErrorCode::kInvalidArgument;
      }
      break;
    case SQLITE_FULL:
      code = base::ErrorCode::kResourceExhausted;
      break;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = base::ErrorCode::kDataLoss;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      code = base::ErrorCode::kPermissionDenied;
      break;
    case SQLITE_CANTOPEN:
      code = base::ErrorCode::kNotFound;
      break;
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      code = base::ErrorCode::kInvalidArgument;
      break;
    default:
      break;
  }
  return base::Status(code, std::move(message));
}

bool OnlyWhitespace(const char* s) {
  for (; s != nullptr && *s != '\0'; ++s) {
    if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') return false;
  }
  return true;
}

// One SQLite connection and its prepared statements. Used by one transaction at a time, so it
// needs no lock of its own (SQLITE_OPEN_NOMUTEX). Not thread-safe.
class Connection {
 public:
  static base::Result<std::unique_ptr<Connection>> Open(const std::filesystem::path& path,
                                                        int flags,
                                                        std::chrono::milliseconds busy_timeout) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db,
                                   flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
    std::unique_ptr<Connection> conn(new Connection(db));
    if (rc != SQLITE_OK) {
      if ((rc & 0xFF) == SQLITE_CANTOPEN) {
        return base::NotFoundError("cannot open the store at " + path.string() +
                                   ": no such file, or its directory is not accessible");
      }
      return SqliteError(db, rc, "cannot open the store at " + path.string());
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
    SR_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
    SR_RETURN_IF_ERROR(conn->Exec("PRAGMA trusted_schema = OFF"));
    SR_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = FULL"));
    SR_RETURN_IF_ERROR(conn->Exec("PRAGMA secure_delete = ON"));
    return conn;
  }

  ~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() { return db_; }

  // Runs trusted, constant SQL that may hold several statements (pragmas, migrations).
  base::Status Exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string message = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      base::Status s = SqliteError(db_, rc, "statement failed");
      return base::Status(s.code(), message);
    }
    return base::OkStatus();
  }

  // Runs one trusted, constant statement without parameters through the statement cache. Every
  // request begins and ends several transactions; parsing BEGIN, COMMIT and ROLLBACK anew each
  // time (as sqlite3_exec does) cost more than running them.
  base::Status Run(std::string_view sql) {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, kNoParams));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "statement failed");
    return base::OkStatus();
  }

  // Prepares (or reuses) one statement and binds its parameters. Values are bound without a copy
  // (SQLITE_STATIC), so `params` must stay alive until the statement has been stepped and reset.
  base::Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
    sqlite3_stmt* stmt = nullptr;
    if (auto it = statements_.find(sql); it != statements_.end()) {
      stmt = it->second;
    } else {
      std::string key(sql);
      const char* tail = nullptr;
      const int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size() + 1),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot prepare statement");
      if (stmt == nullptr) return base::InvalidArgumentError("empty SQL statement");
      if (!OnlyWhitespace(tail)) {
        sqlite3_finalize(stmt);
        return base::InvalidArgumentError(
            "SQL holds more than one statement; pass one statement with ? placeholders");
      }
      statements_.emplace(std::move(key), stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return base::InvalidArgumentError("statement has " + std::to_string(expected) +
                                        " placeholders but " + std::to_string(params.size()) +
                                        " parameters were given");
    }
    for (int i = 0; i < expected; ++i) {
      const int rc = std::visit(
          [stmt, i](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, i + 1);
            } else if constexpr (std::is_same_v<V, std::int64_t>) {
              return sqlite3_bind_int64(stmt, i + 1, v);
            } else if constexpr (std::is_same_v<V, double>) {
              return sqlite3_bind_double(stmt, i + 1, v);
            } else if constexpr (std::is_same_v<V, std::string>) {
              return sqlite3_bind_text64(stmt, i + 1, v.data(), v.size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
            } else {
              // A zero-length blob must still bind as a blob, not NULL.
              static const std::uint8_t kEmpty = 0;
              return sqlite3_bind_blob64(stmt, i + 1, v.empty() ? &kEmpty : v.data(), v.size(),
                                         SQLITE_STATIC);
            }
          },
          params[static_cast<std::size_t>(i)]);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot bind parameter");
    }
    return stmt;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  static inline const std::vector<Value> kNoParams;
  // Looked up by string_view, so a cached statement costs no allocation.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_FLOAT:
      return Value(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return Value(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
      const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
      return Value(base::Bytes(p, p + n));
    }
    default:
      return Value(nullptr);
  }
}

// The current row of a stepping statement, read in place. Each access goes through the column's
// sqlite3_value, which skips the per-call locking and error bookkeeping of sqlite3_column_*; the
// connection is used by one thread at a time, which is what makes that safe.
class StatementRow final : public RowView {
 public:
  explicit StatementRow(sqlite3_stmt* stmt)
      : stmt_(stmt), columns_(static_cast<std::size_t>(sqlite3_column_count(stmt))) {}
  std::size_t size() const override { return columns_; }
  bool IsNull(std::size_t i) const override { return sqlite3_value_type(At(i)) == SQLITE_NULL; }
  base::Result<std::int64_t> GetInt(std::size_t i) const override {
    sqlite3_value* v = At(i);
    if (sqlite3_value_type(v) != SQLITE_INTEGER) return WrongType(i, "an integer");
    return static_cast<std::int64_t>(sqlite3_value_int64(v));
  }
  base::Result<std::string_view> GetText(std::size_t i) const override {
    sqlite3_value* v = At(i);
    if (sqlite3_value_type(v) != SQLITE_TEXT) return WrongType(i, "text");
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
  }
  base::Result<base::ByteView> GetBlob(std::size_t i) const override {
    sqlite3_value* v = At(i);
    if (sqlite3_value_type(v) != SQLITE_BLOB) return WrongType(i, "a blob");
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_value_blob(v));
    return base::ByteView(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
  }

 private:
  sqlite3_value* At(std::size_t i) const {
    SR_CHECK(i < columns_);
    return sqlite3_column_value(stmt_, static_cast<int>(i));
  }
  static base::Status WrongType(std::size_t i, std::string_view expected) {
    return base::DataLossError("column " + std::to_string(i) + " is not " + std::string(expected) +
                               " as the schema says");
  }
  sqlite3_stmt* stmt_;
  std::size_t columns_;
};

class SqliteStore;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteStore& store, Connection* conn, bool writer)
      : store_(store), conn_(conn), writer_(writer) {}
  ~SqliteTransaction() override;

  base::Result<std::int64_t> Execute(std::string_view sql,
                                     const std::vector<Value>& params) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Usable(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return Fail(rc, "statement failed");
    return static_cast<std::int64_t>(sqlite3_changes64(conn_->db()));
  }

  base::Result<std::vector<Row>> Query(std::string_view sql,
                                       const std::vector<Value>& params) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Usable(sql, params));
    std::vector<Row> rows;
    const int columns = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(ColumnValue(stmt, i));
      rows.emplace_back(std::move(values));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return Fail(rc, "query failed");
    return rows;
  }

  base::Status ForEach(std::string_view sql, const std::vector<Value>& params,
                       const std::function<base::Status(const RowView&)>& visit) override {
    SR_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Usable(sql, params));
    const StatementRow row(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (base::Status s = visit(row); !s.ok()) {
        sqlite3_reset(stmt);
        return s;
      }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return Fail(rc, "query failed");
    return base::OkStatus();
  }

  base::Status Commit() override {
    if (done_) return base::FailedPreconditionError("the transaction has already ended");
    if (failed_) {
      return base::AbortedError("a statement in this transaction failed; it was rolled back");
    }
    const base::Status s = conn_->Run("COMMIT");
    if (!s.ok()) {
      // SQLite may or may not have rolled back on its own; make sure, so nothing is half-written.
      (void)conn_->Run("ROLLBACK");
      done_ = true;
      return s.WithContext("commit failed; nothing was written");
    }
    done_ = true;
    return base::OkStatus();
  }

 private:
  base::Result<sqlite3_stmt*> Usable(std::string_view sql, const std::vector<Value>& params) {
    if (done_) return base::FailedPreconditionError("the transaction has already ended");
    if (failed_) return base::AbortedError("an earlier statement in this transaction failed");
    return conn_->Prepare(sql, params);
  }

  base::Status Fail(int rc, std::string_view what) {
    // A constraint failure leaves the transaction usable in SQLite, but callers treat any failed
    // statement as the end of the unit of work; anything else may have rolled back already.
    if ((rc & 0xFF) != SQLITE_CONSTRAINT) failed_ = true;
    return SqliteError(conn_->db(), rc, what);
  }

  SqliteStore& store_;
  Connection* conn_;
  const bool writer_;
  bool done_ = false;
  bool failed_ = false;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers)
      : writer_(std::move(writer)) {
    for (auto& r : readers) {
      free_readers_.push_back(r.get());
      readers_.push_back(std::move(r));
    }
  }
  ~SqliteStore() override { (void)Close(); }

  base::Result<std::unique_ptr<Transaction>> BeginRead() override {
    SR_ASSIGN_OR_RETURN(Connection* const conn, AcquireReader());
    if (base::Status s = conn->Run("BEGIN"); !s.ok()) {
      Release(conn, false);
      return s;
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(*this, conn, false));
  }

  base::Result<std::unique_ptr<Transaction>> BeginWrite() override {
    {
      base::MutexLock lock(&mu_);
      while (!closed_ && writer_busy_) writer_free_.Wait(&mu_);
      if (closed_) return Closed();
      writer_busy_ = true;
      ++active_;
    }
    if (base::Status s = writer_->Run("BEGIN IMMEDIATE"); !s.ok()) {
      Release(writer_.get(), true);
      return s.WithContext("cannot start a write transaction");
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(*this, writer_.get(), true));
  }

  base::Status Checkpoint() override {
    {
      base::MutexLock lock(&mu_);
      while (!closed_ && writer_busy_) writer_free_.Wait(&mu_);
      if (closed_) return Closed();
      writer_busy_ = true;
      ++active_;
    }
    auto stmt = writer_->Prepare("PRAGMA wal_checkpoint(TRUNCATE)", {});
    base::Status s = stmt.status();
    if (stmt.ok()) {
      // One row: busy (1 when readers stopped the checkpoint), log frames, frames checkpointed.
      const int rc = sqlite3_step(*stmt);
      if (rc != SQLITE_ROW) {
        s = SqliteError(writer_->db(), rc, "cannot checkpoint the write-ahead log");
      } else if (sqlite3_column_int(*stmt, 0) != 0) {
        s = base::UnavailableError(
            "the write-ahead log could not be truncated while readers were active; try again");
      }
      sqlite3_reset(*stmt);
    }
    Release(writer_.get(), true);
    return s;
  }

  base::Status SnapshotTo(const std::filesystem::path& path) override {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return base::AlreadyExistsError("cannot write a snapshot to " + path.string() +
                                      ": it exists");
    }
    SR_ASSIGN_OR_RETURN(Connection* const conn, AcquireReader());
    // VACUUM INTO reads one snapshot (it cannot run inside a transaction, so not through
    // BeginRead) and builds a fresh, compact database from it.
    const std::vector<Value> params{Text(path.string())};  // Bound in place: outlives the step.
    auto stmt = conn->Prepare("VACUUM INTO ?", params);
    base::Status s = stmt.status();
    if (stmt.ok()) {
      const int rc = sqlite3_step(*stmt);
      if (rc != SQLITE_DONE) s = SqliteError(conn->db(), rc, "cannot snapshot the store");
      sqlite3_reset(*stmt);
    }
    Release(conn, false);
    return s;
  }

  base::Result<int> SchemaVersion() override {
    SR_ASSIGN_OR_RETURN(auto tx, BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT COALESCE(MAX(version), 0) FROM "
                                             "schema_migrations"));
    SR_ASSIGN_OR_RETURN(const std::int64_t v, rows.at(0).GetInt(0));
    return static_cast<int>(v);
  }

  base::Status Close() override {
    base::MutexLock lock(&mu_);
    if (closed_) return base::OkStatus();
    closed_ = true;
    reader_free_.SignalAll();
    writer_free_.SignalAll();
    // Wait for transactions still running; new ones are refused from here on.
    while (active_ > 0) idle_.Wait(&mu_);
    // Fold the WAL into the database so the file stands alone and the -wal file is removed.
    base::Status s = writer_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    readers_.clear();
    free_readers_.clear();
    writer_.reset();
    return s;
  }

  // Waits for a free reader connection; Release gives it back.
  base::Result<Connection*> AcquireReader() {
    base::MutexLock lock(&mu_);
    while (!closed_ && free_readers_.empty()) reader_free_.Wait(&mu_);
    if (closed_) return Closed();
    Connection* conn = free_readers_.back();
    free_readers_.pop_back();
    ++active_;
    return conn;
  }

  void Release(Connection* conn, bool writer) {
    base::MutexLock lock(&mu_);
    // One connection came free: one waiter for it is woken, not every waiting thread.
    if (writer) {
      writer_busy_ = false;
      writer_free_.Signal();
    } else {
      free_readers_.push_back(conn);
      reader_free_.Signal();
    }
    --active_;
    if (active_ == 0) idle_.Signal();
  }

 private:
  static base::Status Closed() {
    return base::FailedPreconditionError("the store is closed (the server is shutting down)");
  }

  std::unique_ptr<Connection> writer_;
  std::vector<std::unique_ptr<Connection>> readers_;
  base::Mutex mu_;
  base::CondVar reader_free_;  // A reader connection was released, or the store closed.
  base::CondVar writer_free_;  // The writer was released, or the store closed.
  base::CondVar idle_;         // No transaction is running (Close waits for it).
  std::vector<Connection*> free_readers_ SR_GUARDED_BY(mu_);
  bool writer_busy_ SR_GUARDED_BY(mu_) = false;
  int active_ SR_GUARDED_BY(mu_) = 0;
  bool closed_ SR_GUARDED_BY(mu_) = false;
};

SqliteTransaction::~SqliteTransaction() {
  if (!done_) (void)conn_->Run("ROLLBACK");
  store_.Release(conn_, writer_);
}

// Applies every migration newer than the store's version, all in one transaction.
base::Status Migrate(Connection& conn, std::span<const Migration> migrations,
                     const base::Clock& clock) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    SR_CHECK(migrations[i].version == static_cast<int>(i) + 1);
  }
  SR_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  auto rollback = [&conn](base::Status s) {
    (void)conn.Exec("ROLLBACK");
    return s;
  };
  base::Status s = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at TEXT NOT NULL) STRICT");
  if (!s.ok()) return rollback(s);

  std::map<int, std::string> applied;
  {
    auto stmt = conn.Prepare("SELECT version, name FROM schema_migrations ORDER BY version", {});
    if (!stmt.ok()) return rollback(stmt.error());
    while (sqlite3_step(*stmt) == SQLITE_ROW) {
      applied[sqlite3_column_int(*stmt, 0)] =
          reinterpret_cast<const char*>(sqlite3_column_text(*stmt, 1));
    }
    sqlite3_reset(*stmt);
  }
  const int newest = static_cast<int>(migrations.size());
  for (const auto& [version, name] : applied) {
    if (version > newest) {
      return rollback(base::FailedPreconditionError(
          "the store is at schema version " + std::to_string(applied.rbegin()->first) +
          ", newer than this build knows (" + std::to_string(newest) +
          "); run the strongroom version that last wrote it, or a newer one"));
    }
    if (migrations[static_cast<std::size_t>(version - 1)].name != name) {
      return rollback(base::FailedPreconditionError(
          "the store's migration " + std::to_string(version) + " is '" + name +
          "' but this build's is '" +
          std::string(migrations[static_cast<std::size_t>(version - 1)].name) +
          "'; this store was not created by this line of builds"));
    }
  }
  const std::string now = base::FormatRfc3339(clock.Now());
  for (const Migration& m : migrations) {
    if (applied.contains(m.version)) continue;
    s = conn.Exec(std::string(m.sqlite_sql));
    if (!s.ok()) {
      return rollback(s.WithContext("migration " + std::to_string(m.version) + " (" +
                                    std::string(m.name) + ") failed; the store is unchanged"));
    }
    // Parameters are bound without copying (SQLITE_STATIC): they must outlive sqlite3_step.
    const std::vector<Value> params{Value(std::int64_t{m.version}), Text(m.name), Text(now)};
    auto stmt = conn.Prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
        "(?, ?, ?)",
        params);
    if (!stmt.ok()) return rollback(stmt.error());
    const int rc = sqlite3_step(*stmt);
    sqlite3_reset(*stmt);
    if (rc != SQLITE_DONE) return rollback(SqliteError(conn.db(), rc, "cannot record migration"));
  }
  s = conn.Exec("COMMIT");
  if (!s.ok()) return rollback(s.WithContext("cannot commit migrations; the store is unchanged"));
  return base::OkStatus();
}

}  // namespace

base::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options,
                                                     const base::Clock& clock) {
  SR_CHECK(sqlite3_threadsafe() != 0);
  SR_CHECK(options.reader_connections > 0);
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  SR_ASSIGN_OR_RETURN(auto writer, Connection::Open(options.path, flags, options.busy_timeout));
  // WAL lets readers run beside the writer; synchronous=FULL (set per connection) fsyncs the WAL
  // at every commit.
  {
    auto stmt = writer->Prepare("PRAGMA journal_mode = WAL", {});
    if (!stmt.ok()) return stmt.error();
    const int rc = sqlite3_step(*stmt);
    const std::string mode =
        rc == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(*stmt, 0)) : "";
    sqlite3_reset(*stmt);
    if (mode != "wal") {
      if (rc != SQLITE_ROW) return SqliteError(writer->db(), rc, "cannot open the store");
      return base::FailedPreconditionError("the store at " + options.path.string() +
                                           " cannot use write-ahead logging (journal mode " + mode +
                                           ")");
    }
  }
  SR_RETURN_IF_ERROR(Migrate(*writer, options.migrations, clock));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.reader_connections; ++i) {
    SR_ASSIGN_OR_RETURN(auto reader,
                        Connection::Open(options.path, SQLITE_OPEN_READONLY, options.busy_timeout));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(writer), std::move(readers)));
}

}  // namespace strongroom::storage
