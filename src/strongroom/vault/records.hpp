#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"
#include "strongroom/vault/collections.hpp"
#include "strongroom/vault/document.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault {

namespace internal {
struct StoredRecord;
class WriteBatcher;
}  // namespace internal

// One record as a caller sees it: restricted fields masked unless the caller may unmask them.
struct Record {
  std::string collection;
  std::string id;
  std::uint64_t version = 0;
  base::Time created_at;
  base::Time updated_at;
  nlohmann::json data;
  std::vector<std::string> masked;  // Restricted fields whose values were replaced.
};

// Optimistic concurrency for writes and deletes (If-Match / If-None-Match).
struct WriteConditions {
  std::optional<std::uint64_t> if_version;  // The record must be at this version.
  bool if_exists = false;                   // The record must exist (If-Match: *).
  bool if_absent = false;                   // The record must not exist (If-None-Match: *).
};

struct RecordPage {
  std::vector<Record> records;
  std::optional<std::string> next_after;  // The id to continue after, when there are more.
};

// A tenant's collections and JSON records, sealed with the tenant's data key (AES-256-GCM, the
// associated data binding tenant, collection, id and version), with a blind index for lookups
// and masking of restricted fields.
//
// Every call takes an access::Permit for its action: the tenant acted on is the Permit's, and a
// Permit made for another action or collection is refused (kInternal), so nothing here reaches
// client data without a decision. Every call records one audit event naming tenant, collection
// and record, with the outcome: allowed (with the decision's reason and grant), or failed with a
// reason code ("not_found", "failed_precondition"). Writes record their event inside the write
// transaction, before it commits: what is not audited is not written. If an event cannot be
// recorded the call fails with kUnavailable and returns no data.
//
// Thread-safe. Concurrent Puts share a write transaction and its commit (internal/write_batch.hpp):
// each is acknowledged only once that transaction committed after every event of it was recorded.
class Records {
 public:
  Records(storage::Store& store, TenantKeys& keys, audit::Sink& audit, const base::Clock& clock,
          RecordLimits limits = {});
  ~Records();

  // Creates or updates a collection (Permit: collections.manage). A changed set of lookup fields
  // re-indexes the collection's records in the same transaction. Errors: kInvalidArgument (name,
  // spec); kNotFound (no such tenant).
  base::Result<Collection> DeclareCollection(const access::Permit& permit, std::string_view name,
                                             const CollectionSpec& spec);
  // Permit: records.read. Errors: kNotFound.
  base::Result<Collection> GetCollection(const access::Permit& permit, std::string_view name);
  // Permit: records.read.
  base::Result<std::vector<Collection>> ListCollections(const access::Permit& permit);

  // Creates or replaces a record (Permit: records.write) and returns it as stored, masked for a
  // caller without `unmask` (a records.unmask Permit). Such a caller's kMaskedValue in a
  // restricted field keeps the stored value. Errors: kInvalidArgument (id, document limits);
  // kNotFound (collection); kAborted when `conditions` do not hold (the current version is in
  // the message); kFailedPrecondition when a legal hold blocks replacing it.
  base::Result<Record> Put(const access::Permit& permit, std::string_view collection,
                           std::string_view id, nlohmann::json document,
                           const WriteConditions& conditions, const access::Permit* unmask);
  // Permit: records.read (and records.unmask to see restricted fields). Errors: kNotFound.
  base::Result<Record> Get(const access::Permit& permit, std::string_view collection,
                           std::string_view id, const access::Permit* unmask);
  // Deletes a record (Permit: records.delete); returns the deleted version. Errors: kNotFound;
  // kAborted (conditions); kFailedPrecondition (legal hold).
  base::Result<std::uint64_t> Delete(const access::Permit& permit, std::string_view collection,
                                     std::string_view id, const WriteConditions& conditions);
  // Records in id order after `after`, at most `limit` (Permit: records.read). One audit event
  // lists the ids read. Errors: kNotFound (collection).
  base::Result<RecordPage> List(const access::Permit& permit, std::string_view collection,
                                std::size_t limit, const std::string& after,
                                const access::Permit* unmask);
  // Records whose lookup field `field` holds `value` (vault/document.hpp QueryTerms), in id
  // order. Errors: kInvalidArgument when `field` is not a lookup field; kNotFound.
  base::Result<RecordPage> Lookup(const access::Permit& permit, std::string_view collection,
                                  std::string_view field, std::string_view value, std::size_t limit,
                                  const std::string& after, const access::Permit* unmask);

  const RecordLimits& limits() const { return limits_; }

 private:
  using Stored = internal::StoredRecord;
  base::Result<Record> Open(const Collection& c, const Stored& row) const;
  base::Status Index(storage::Transaction& tx, const Collection& c, std::string_view id,
                     const nlohmann::json& document);
  // An extra condition on the records of a page (" AND ..." and its parameters), built from the
  // collection once it is loaded; its errors are the page's.
  struct Filter {
    std::string sql;
    std::vector<storage::Value> params;
  };
  using FilterFor = std::function<base::Result<Filter>(const Collection&)>;
  // One page of records of `collection` in id order after `after`, filtered by `filter` (when
  // set), opened, audited as one records.read (`how`) and presented.
  base::Result<RecordPage> ReadPage(const access::Permit& permit, std::string_view collection,
                                    const FilterFor& filter, std::size_t limit,
                                    const std::string& after, const access::Permit* unmask,
                                    std::string_view how);
  // Masks `records`, or with an unmask permit records one records.unmask event for what they
  // show (on `resource`). Errors: kUnavailable.
  base::Status Present(std::span<Record> records, const Collection& c, const access::Permit* unmask,
                       std::string_view resource);
  // Records a failed event for `result` when it is an error; returns `result` unchanged, or
  // kUnavailable when even that cannot be recorded.
  base::Status RecordFailure(const access::Permit& permit, std::string_view action,
                             std::string resource, std::string_view collection, std::string_view id,
                             const base::Status& failure);

  storage::Store& store_;
  TenantKeys& keys_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const RecordLimits limits_;
  // Concurrent writes share a transaction and its fsync (group commit).
  std::unique_ptr<internal::WriteBatcher> batcher_;
};

}  // namespace strongroom::vault
