#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/result.hpp"
#include "strongroom/storage/value.hpp"

namespace strongroom::storage {

// One row as ForEach sees it: the values in place, without a copy. Valid only during the
// callback it is passed to. Accessors check the column's type like Row's (kDataLoss otherwise).
class RowView {
 public:
  virtual ~RowView() = default;
  virtual std::size_t size() const = 0;
  virtual bool IsNull(std::size_t i) const = 0;
  virtual base::Result<std::int64_t> GetInt(std::size_t i) const = 0;
  virtual base::Result<std::string_view> GetText(std::size_t i) const = 0;
  virtual base::Result<base::ByteView> GetBlob(std::size_t i) const = 0;
};

// A unit of work on the store. Every statement is one SQL statement with `?` placeholders and its
// parameters; a string holding more than one statement is refused (kInvalidArgument), so an
// injected "; DROP TABLE" can never run. A transaction not committed when destroyed is rolled
// back: nothing is half-written. Not thread-safe: one thread uses a transaction at a time.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs a statement that returns no rows; returns the number of rows it changed.
  virtual base::Result<std::int64_t> Execute(std::string_view sql,
                                             const std::vector<Value>& params = {}) = 0;
  virtual base::Result<std::vector<Row>> Query(std::string_view sql,
                                               const std::vector<Value>& params = {}) = 0;
  // Runs a query and calls `visit` on each row in turn without materialising the rows, for
  // reading large tables. Stops at, and returns, the first error `visit` returns. The default
  // materialises through Query; backends override it to read in place.
  virtual base::Status ForEach(std::string_view sql, const std::vector<Value>& params,
                               const std::function<base::Status(const RowView&)>& visit);
  // Makes the transaction's writes durable (the commit is fsynced before this returns). Errors:
  // kUnavailable when the store is busy, kDataLoss/kResourceExhausted on I/O failure; in every
  // error case nothing was written.
  virtual base::Status Commit() = 0;
};

// A numbered, forward-only schema change. Versions start at 1 and increase by one.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite_sql;
};

// The persistent store. Implementations: SQLite (embedded default); PostgreSQL later. Writers are
// serialised; readers see a consistent snapshot and run concurrently with the writer. All calls
// block on I/O: callers keep them off network threads. Thread-safe.
class Store {
 public:
  virtual ~Store() = default;

  // A read-only snapshot. Writing through it fails.
  virtual base::Result<std::unique_ptr<Transaction>> BeginRead() = 0;
  // The single writer; waits for the previous writer to finish.
  virtual base::Result<std::unique_ptr<Transaction>> BeginWrite() = 0;

  // Copies every committed change from the write-ahead log into the main database and
  // truncates the log, so bytes deleted under secure_delete survive in neither (crypto-shredding
  // calls this after destroying keys). Waits for the writer. Errors: kUnavailable when readers
  // kept the log from being truncated within the busy timeout.
  virtual base::Status Checkpoint() = 0;

  // Writes a consistent copy of every committed change to `path` (which must not exist), while
  // writers go on: the copy is one read snapshot, compacted, with no free pages (so bytes deleted
  // before it are not in it). Backups use it. Errors: kAlreadyExists; store and I/O errors.
  virtual base::Status SnapshotTo(const std::filesystem::path& path) = 0;

  // The newest applied migration.
  virtual base::Result<int> SchemaVersion() = 0;
  // Flushes and closes; every later call fails with kFailedPrecondition. Idempotent.
  virtual base::Status Close() = 0;
};

}  // namespace strongroom::storage
