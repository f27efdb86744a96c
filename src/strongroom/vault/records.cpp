#include "strongroom/vault/records.hpp"

#include <algorithm>
#include <set>
#include <span>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/aead.hpp"
#include "strongroom/vault/internal/common.hpp"
#include "strongroom/vault/internal/write_batch.hpp"
#include "strongroom/vault/legal_holds.hpp"

namespace strongroom::vault {

using storage::Int;
using storage::Text;

namespace internal {
struct StoredRecord {
  std::string id;
  std::uint64_t version = 0;
  std::optional<base::Bytes> ciphertext;  // nullopt: deleted.
  base::Time created_at;
  base::Time updated_at;
};
}  // namespace internal

namespace {

using Stored = internal::StoredRecord;
using internal::CheckPermit;

base::Status CheckConditions(const std::optional<Stored>& current, const WriteConditions& c) {
  const bool exists = current && current->ciphertext;
  return internal::CheckConditions(exists, exists ? current->version : 0, c);
}

constexpr const char* kRecordColumns = "id, version, ciphertext, created_at, updated_at";

base::Result<Stored> StoredFromRow(const storage::Row& row);

std::string RecordResource(std::string_view collection, std::string_view id) {
  return "record:" + std::string(collection) + "/" + std::string(id);
}

// Joins names for an audit detail.
std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ",";
    out += n;
  }
  return out;
}

base::Status CheckUnmaskPermit(const access::Permit* unmask, const access::Permit& permit,
                               std::string_view collection) {
  if (unmask == nullptr) return base::OkStatus();
  SR_RETURN_IF_ERROR(CheckPermit(*unmask, access::Action::kRecordsUnmask, collection));
  if (unmask->tenant() != permit.tenant() || unmask->actor().id != permit.actor().id) {
    return base::InternalError("an unmask permit for another tenant or principal was used");
  }
  return base::OkStatus();
}

base::Result<std::optional<Stored>> LoadStored(storage::Transaction& tx,
                                               const identity::TenantId& tenant,
                                               std::string_view collection, std::string_view id) {
  SR_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string("SELECT ") + kRecordColumns +
                   " FROM vault_records WHERE tenant_id = ? AND collection = ? AND id = ?",
               {Text(tenant.value()), Text(collection), Text(id)}));
  if (rows.empty()) return std::optional<Stored>();
  SR_ASSIGN_OR_RETURN(Stored s, StoredFromRow(rows[0]));
  return std::optional<Stored>(std::move(s));
}

base::Result<Stored> StoredFromRow(const storage::Row& row) {
  Stored s;
  SR_ASSIGN_OR_RETURN(s.id, row.GetText(0));
  SR_ASSIGN_OR_RETURN(const std::int64_t version, row.GetInt(1));
  if (version < 1)
    return base::DataLossError("record " + s.id + " has version " + std::to_string(version));
  s.version = static_cast<std::uint64_t>(version);
  if (!row.IsNull(2)) {
    SR_ASSIGN_OR_RETURN(base::Bytes ct, row.GetBlob(2));
    s.ciphertext = std::move(ct);
  }
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(3));
  SR_ASSIGN_OR_RETURN(s.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const std::string updated, row.GetText(4));
  SR_ASSIGN_OR_RETURN(s.updated_at, base::ParseRfc3339(updated));
  return s;
}

}  // namespace

Records::Records(storage::Store& store, TenantKeys& keys, audit::Sink& audit,
                 const base::Clock& clock, RecordLimits limits)
    : store_(store),
      keys_(keys),
      audit_(audit),
      clock_(clock),
      limits_(limits),
      batcher_(std::make_unique<internal::WriteBatcher>(store, audit)) {}

Records::~Records() = default;

base::Status Records::RecordFailure(const access::Permit& permit, std::string_view action,
                                    std::string resource, std::string_view collection,
                                    std::string_view id, const base::Status& failure) {
  return internal::RecordFailure(audit_, clock_.Now(), permit, action, std::move(resource),
                                 collection, id, failure);
}

base::Result<Record> Records::Open(const Collection& c, const Stored& row) const {
  Record r;
  r.collection = c.name;
  r.id = row.id;
  r.version = row.version;
  r.created_at = row.created_at;
  r.updated_at = row.updated_at;
  if (!row.ciphertext) return base::NotFoundError("record " + row.id + " was deleted");
  auto plain = keys_.ring().Open(RecordAad(c.tenant, c.name, row.id, row.version), *row.ciphertext);
  if (!plain.ok()) {
    // A ciphertext that does not open under this record's tenant, collection, id and version was
    // altered or moved here; a key that is gone means the tenant was shredded.
    return base::DataLossError("record " + c.name + "/" + row.id +
                               " cannot be decrypted: " + plain.error().message());
  }
  r.data = nlohmann::json::parse(base::AsChars(*plain), nullptr, false);
  if (!r.data.is_object()) {
    return base::DataLossError("record " + c.name + "/" + row.id + " is not a JSON object");
  }
  return r;
}

base::Status Records::Present(std::span<Record> records, const Collection& c,
                              const access::Permit* unmask, std::string_view resource) {
  if (unmask == nullptr) {
    for (Record& r : records) r.masked = MaskFields(r.data, c.spec.restricted_fields);
    return base::OkStatus();
  }
  // One event for what this answer shows: which records, which restricted fields.
  std::set<std::string> fields;
  std::vector<std::string> ids;
  for (const Record& r : records) {
    bool any = false;
    for (const std::string& f : c.spec.restricted_fields) {
      if (r.data.contains(f)) {
        fields.insert(f);
        any = true;
      }
    }
    if (any) ids.push_back(r.id);
  }
  if (ids.empty()) return base::OkStatus();
  audit::Event e = unmask->Event(clock_.Now(), "records.unmask", std::string(resource));
  e.details["collection"] = c.name;
  if (records.size() == 1) {
    e.details["id"] = ids[0];
  } else {
    e.details["ids"] = Join(ids);
    e.details["count"] = std::to_string(ids.size());
  }
  e.details["fields"] = Join(std::vector<std::string>(fields.begin(), fields.end()));
  return audit_.Record(e);
}

base::Status Records::Index(storage::Transaction& tx, const Collection& c, std::string_view id,
                            const nlohmann::json& document) {
  SR_RETURN_IF_ERROR(tx.Execute(
      "DELETE FROM vault_lookup WHERE tenant_id = ? AND collection = ? AND record_id = ?",
      {Text(c.tenant.value()), Text(c.name), Text(id)}));
  for (const std::string& field : c.spec.lookup_fields) {
    auto it = document.find(field);
    if (it == document.end()) continue;
    for (const std::string& term : IndexTerms(*it)) {
      SR_ASSIGN_OR_RETURN(const base::Bytes token,
                          keys_.LookupToken(c.tenant, c.name, field, term));
      SR_RETURN_IF_ERROR(tx.Execute(
          "INSERT OR IGNORE INTO vault_lookup (tenant_id, collection, field, token, record_id) "
          "VALUES (?, ?, ?, ?, ?)",
          {Text(c.tenant.value()), Text(c.name), Text(field), storage::Blob(token), Text(id)}));
    }
  }
  return base::OkStatus();
}

base::Result<Collection> Records::DeclareCollection(const access::Permit& permit,
                                                    std::string_view name,
                                                    const CollectionSpec& spec) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kCollectionsManage, name));
  const std::string resource = "collection:" + std::string(name);
  const auto fail = [&](const base::Status& s) {
    return RecordFailure(permit, "collections.declare", resource, name, "", s);
  };
  if (base::Status s = ValidateCollectionName(name); !s.ok()) return fail(s);
  if (base::Status s = ValidateCollectionSpec(spec); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  SR_RETURN_IF_ERROR(keys_.Ensure(tenant).status());
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(auto tenant_rows,
                      tx->Query("SELECT 1 FROM tenants WHERE id = ?", {Text(tenant.value())}));
  if (tenant_rows.empty()) return fail(base::NotFoundError("no tenant " + tenant.value()));
  auto existing = LoadCollection(*tx, tenant, name);
  if (!existing.ok() && existing.error().code() != base::ErrorCode::kNotFound) {
    return existing.error();
  }
  const base::Time now = clock_.Now();
  Collection c;
  c.tenant = tenant;
  c.name = std::string(name);
  c.spec = spec;
  c.created_at = existing.ok() ? existing->created_at : now;
  c.updated_at = now;
  const storage::Value retention =
      spec.retention_days ? Int(*spec.retention_days) : storage::Null();
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO vault_collections (" + std::string(kCollectionColumns) +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO UPDATE SET "
          "classification = excluded.classification, retention_days = excluded.retention_days, "
          "lookup_fields = excluded.lookup_fields, restricted_fields = "
          "excluded.restricted_fields, updated_at = excluded.updated_at",
      {Text(tenant.value()), Text(name), Text(ClassificationName(spec.classification)), retention,
       Text(nlohmann::json(spec.lookup_fields).dump()),
       Text(nlohmann::json(spec.restricted_fields).dump()), Text(base::FormatRfc3339(c.created_at)),
       Text(base::FormatRfc3339(now))}));
  std::size_t reindexed = 0;
  if (existing.ok() && existing->spec.lookup_fields != spec.lookup_fields) {
    // The index must answer for the new fields at once: rebuild it from every live record.
    SR_RETURN_IF_ERROR(
        tx->Execute("DELETE FROM vault_lookup WHERE tenant_id = ? AND collection = ?",
                    {Text(tenant.value()), Text(name)}));
    SR_ASSIGN_OR_RETURN(
        auto rows, tx->Query(std::string("SELECT ") + kRecordColumns +
                                 " FROM vault_records WHERE tenant_id = ? AND collection = ? AND "
                                 "ciphertext IS NOT NULL",
                             {Text(tenant.value()), Text(name)}));
    for (const storage::Row& row : rows) {
      SR_ASSIGN_OR_RETURN(const Stored stored, StoredFromRow(row));
      SR_ASSIGN_OR_RETURN(const Record r, Open(c, stored));
      SR_RETURN_IF_ERROR(Index(*tx, c, r.id, r.data));
      ++reindexed;
    }
  }
  audit::Event e = permit.Event(now, "collections.declare", resource);
  e.details["collection"] = c.name;
  e.details["classification"] = std::string(ClassificationName(spec.classification));
  e.details["retention_days"] = spec.retention_days ? std::to_string(*spec.retention_days) : "none";
  e.details["lookup_fields"] = Join(spec.lookup_fields);
  e.details["restricted_fields"] = Join(spec.restricted_fields);
  e.details["created"] = existing.ok() ? "false" : "true";
  if (reindexed > 0) e.details["reindexed"] = std::to_string(reindexed);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return c;
}

base::Result<Collection> Records::GetCollection(const access::Permit& permit,
                                                std::string_view name) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsRead, name));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  auto c = LoadCollection(*tx, permit.tenant(), name);
  const std::string resource = "collection:" + std::string(name);
  if (!c.ok()) return RecordFailure(permit, "collections.read", resource, name, "", c.error());
  audit::Event e = permit.Event(clock_.Now(), "collections.read", resource);
  e.details["collection"] = c->name;
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return c;
}

base::Result<std::vector<Collection>> Records::ListCollections(const access::Permit& permit) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsRead, std::nullopt));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query(std::string("SELECT ") + kCollectionColumns +
                                    " FROM vault_collections WHERE tenant_id = ? ORDER BY name",
                                {Text(permit.tenant().value())}));
  std::vector<Collection> out;
  for (const storage::Row& row : rows) {
    SR_ASSIGN_OR_RETURN(Collection c, CollectionFromRow(row));
    // A grant limited to some collections shows only those.
    if (permit.collection() && *permit.collection() != c.name) continue;
    out.push_back(std::move(c));
  }
  audit::Event e =
      permit.Event(clock_.Now(), "collections.list", "tenant:" + permit.tenant().value());
  e.details["count"] = std::to_string(out.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return out;
}

base::Result<Record> Records::Put(const access::Permit& permit, std::string_view collection,
                                  std::string_view id, nlohmann::json document,
                                  const WriteConditions& conditions, const access::Permit* unmask) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsWrite, collection));
  SR_RETURN_IF_ERROR(CheckUnmaskPermit(unmask, permit, collection));
  const std::string resource = RecordResource(collection, id);
  const auto fail = [&](const base::Status& s) {
    return RecordFailure(permit, "records.write", resource, collection, id, s);
  };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  SR_ASSIGN_OR_RETURN(const std::uint64_t key_id, keys_.Ensure(tenant));

  Record out;
  std::vector<std::string> restricted;
  // Runs in a transaction shared with concurrent writers (internal/write_batch.hpp).
  const auto work = [&](storage::Transaction& tx, audit::Event& event) -> base::Status {
    SR_ASSIGN_OR_RETURN(const Collection c, LoadCollection(tx, tenant, collection));
    restricted = c.spec.restricted_fields;
    SR_ASSIGN_OR_RETURN(const std::optional<Stored> current,
                        LoadStored(tx, tenant, collection, id));
    SR_RETURN_IF_ERROR(CheckConditions(current, conditions));
    const bool replacing = current && current->ciphertext;
    if (replacing) {
      SR_ASSIGN_OR_RETURN(const auto hold, ActiveHold(tx, tenant, collection));
      if (hold) return HeldError(*hold, "replacing a record");
    }
    if (unmask == nullptr && !c.spec.restricted_fields.empty()) {
      // A writer who cannot see restricted fields keeps what it was shown as masked.
      std::optional<Record> previous;
      if (replacing) {
        SR_ASSIGN_OR_RETURN(Record opened, Open(c, *current));
        previous = std::move(opened);
      }
      KeepMaskedFields(document, previous ? &previous->data : nullptr, c.spec.restricted_fields);
    }
    const std::string text = document.is_object() ? document.dump() : std::string();
    SR_RETURN_IF_ERROR(CheckDocument(document, text.size(), limits_));

    const base::Time now = clock_.Now();
    out.collection = c.name;
    out.id = std::string(id);
    out.version = current ? current->version + 1 : 1;
    out.created_at = replacing ? current->created_at : now;
    out.updated_at = now;
    SR_ASSIGN_OR_RETURN(
        const base::Bytes ciphertext,
        keys_.ring().Seal(key_id, RecordAad(tenant, c.name, id, out.version), base::AsBytes(text)));
    SR_ASSIGN_OR_RETURN(const crypto::CiphertextHeader header,
                        crypto::ParseCiphertextHeader(ciphertext));
    SR_RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO vault_records (tenant_id, collection, id, version, key_id, key_version, "
        "ciphertext, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) "
        "ON CONFLICT (tenant_id, collection, id) DO UPDATE SET version = excluded.version, "
        "key_id = excluded.key_id, key_version = excluded.key_version, ciphertext = "
        "excluded.ciphertext, created_at = excluded.created_at, updated_at = excluded.updated_at, "
        "deleted_at = NULL",
        {Text(tenant.value()), Text(c.name), Text(id), Int(static_cast<std::int64_t>(out.version)),
         Int(static_cast<std::int64_t>(header.key.key_id)), Int(header.key.version),
         storage::Blob(ciphertext), Text(base::FormatRfc3339(out.created_at)),
         Text(base::FormatRfc3339(now))}));
    SR_RETURN_IF_ERROR(Index(tx, c, id, document));

    event = permit.Event(now, "records.write", resource);
    event.details["collection"] = c.name;
    event.details["id"] = out.id;
    event.details["version"] = std::to_string(out.version);
    event.details["created"] = replacing ? "false" : "true";
    return base::OkStatus();
  };
  if (base::Status s = batcher_->Run(work); !s.ok()) return fail(s);

  out.data = std::move(document);
  if (unmask == nullptr) out.masked = MaskFields(out.data, restricted);
  return out;
}

base::Result<Record> Records::Get(const access::Permit& permit, std::string_view collection,
                                  std::string_view id, const access::Permit* unmask) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsRead, collection));
  SR_RETURN_IF_ERROR(CheckUnmaskPermit(unmask, permit, collection));
  const std::string resource = RecordResource(collection, id);
  const auto fail = [&](const base::Status& s) {
    return RecordFailure(permit, "records.read", resource, collection, id, s);
  };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  auto c = LoadCollection(*tx, permit.tenant(), collection);
  if (!c.ok()) return fail(c.error());
  SR_ASSIGN_OR_RETURN(const std::optional<Stored> stored,
                      LoadStored(*tx, permit.tenant(), collection, id));
  tx.reset();
  if (!stored || !stored->ciphertext) {
    return fail(base::NotFoundError("collection " + std::string(collection) + " has no record '" +
                                    std::string(id) + "'"));
  }
  auto record = Open(*c, *stored);
  if (!record.ok()) return fail(record.error());
  audit::Event e = permit.Event(clock_.Now(), "records.read", resource);
  e.details["collection"] = c->name;
  e.details["id"] = record->id;
  e.details["version"] = std::to_string(record->version);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(
      Present(std::span<Record>(&*record, 1), *c, unmask, RecordResource(c->name, record->id)));
  return record;
}

base::Result<std::uint64_t> Records::Delete(const access::Permit& permit,
                                            std::string_view collection, std::string_view id,
                                            const WriteConditions& conditions) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsDelete, collection));
  const std::string resource = RecordResource(collection, id);
  const auto fail = [&](const base::Status& s) {
    return RecordFailure(permit, "records.delete", resource, collection, id, s);
  };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  auto c = LoadCollection(*tx, tenant, collection);
  if (!c.ok()) return fail(c.error());
  SR_ASSIGN_OR_RETURN(const std::optional<Stored> current, LoadStored(*tx, tenant, collection, id));
  if (!current || !current->ciphertext) {
    return fail(base::NotFoundError("collection " + std::string(collection) + " has no record '" +
                                    std::string(id) + "'"));
  }
  if (base::Status s = CheckConditions(current, conditions); !s.ok()) return fail(s);
  SR_ASSIGN_OR_RETURN(const auto hold, ActiveHold(*tx, tenant, collection));
  if (hold) return fail(HeldError(*hold, "deleting a record"));
  const base::Time now = clock_.Now();
  // The row stays, without its ciphertext, so the version number keeps counting.
  SR_RETURN_IF_ERROR(
      tx->Execute("UPDATE vault_records SET ciphertext = NULL, deleted_at = ?, updated_at = ? "
                  "WHERE tenant_id = ? AND collection = ? AND id = ?",
                  {Text(base::FormatRfc3339(now)), Text(base::FormatRfc3339(now)),
                   Text(tenant.value()), Text(collection), Text(id)}));
  SR_RETURN_IF_ERROR(tx->Execute(
      "DELETE FROM vault_lookup WHERE tenant_id = ? AND collection = ? AND record_id = ?",
      {Text(tenant.value()), Text(collection), Text(id)}));
  audit::Event e = permit.Event(now, "records.delete", resource);
  e.details["collection"] = c->name;
  e.details["id"] = std::string(id);
  e.details["version"] = std::to_string(current->version);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  return current->version;
}

base::Result<RecordPage> Records::ReadPage(const access::Permit& permit,
                                           std::string_view collection, const FilterFor& filter,
                                           std::size_t limit, const std::string& after,
                                           const access::Permit* unmask, std::string_view how) {
  const std::string resource = "collection:" + std::string(collection);
  const auto fail = [&](const base::Status& s) {
    return RecordFailure(permit, "records.read", resource, collection, "", s);
  };
  limit = std::clamp<std::size_t>(limit, 1, 1000);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  auto c = LoadCollection(*tx, permit.tenant(), collection);
  if (!c.ok()) return fail(c.error());
  Filter extra;
  if (filter) {
    auto built = filter(*c);
    if (!built.ok()) return fail(built.error());
    extra = std::move(built).value();
  }
  std::vector<storage::Value> params = {Text(permit.tenant().value()), Text(collection),
                                        Text(after)};
  params.insert(params.end(), extra.params.begin(), extra.params.end());
  params.push_back(Int(static_cast<std::int64_t>(limit + 1)));
  SR_ASSIGN_OR_RETURN(
      auto rows,
      tx->Query(std::string("SELECT ") + kRecordColumns +
                    " FROM vault_records WHERE tenant_id = ? AND collection = ? AND id > ? AND "
                    "ciphertext IS NOT NULL" +
                    extra.sql + " ORDER BY id LIMIT ?",
                params));
  tx.reset();
  RecordPage page;
  for (const storage::Row& row : rows) {
    if (page.records.size() == limit) {
      page.next_after = page.records.back().id;
      break;
    }
    SR_ASSIGN_OR_RETURN(const Stored stored, StoredFromRow(row));
    auto record = Open(*c, stored);
    if (!record.ok()) return fail(record.error());
    page.records.push_back(std::move(record).value());
  }
  std::vector<std::string> ids;
  ids.reserve(page.records.size());
  for (const Record& r : page.records) ids.push_back(r.id);
  audit::Event e = permit.Event(clock_.Now(), "records.read", resource);
  e.details["collection"] = c->name;
  e.details["how"] = std::string(how);
  e.details["count"] = std::to_string(ids.size());
  e.details["ids"] = Join(ids);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(Present(page.records, *c, unmask, resource));
  return page;
}

base::Result<RecordPage> Records::List(const access::Permit& permit, std::string_view collection,
                                       std::size_t limit, const std::string& after,
                                       const access::Permit* unmask) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsRead, collection));
  SR_RETURN_IF_ERROR(CheckUnmaskPermit(unmask, permit, collection));
  return ReadPage(permit, collection, nullptr, limit, after, unmask, "list");
}

base::Result<RecordPage> Records::Lookup(const access::Permit& permit, std::string_view collection,
                                         std::string_view field, std::string_view value,
                                         std::size_t limit, const std::string& after,
                                         const access::Permit* unmask) {
  SR_RETURN_IF_ERROR(CheckPermit(permit, access::Action::kRecordsRead, collection));
  SR_RETURN_IF_ERROR(CheckUnmaskPermit(unmask, permit, collection));
  // Only records whose blind-index tokens for `field` include one of the value's terms.
  const FilterFor by_token = [&](const Collection& c) -> base::Result<Filter> {
    const auto& lookups = c.spec.lookup_fields;
    if (std::find(lookups.begin(), lookups.end(), field) == lookups.end()) {
      return base::InvalidArgumentError(
          "'" + std::string(field) + "' is not a lookup field of collection " + c.name +
          (lookups.empty() ? std::string("; it declares none")
                           : "; its lookup fields are " + Join(lookups)));
    }
    Filter f;
    f.params = {Text(field)};
    std::string tokens;  // The SQL list of bound tokens: "?, ?".
    // No index key yet means no record was ever written, so nothing can match.
    if (keys_.ring().FindKey(IndexKeyPurpose(permit.tenant())).ok()) {
      for (const std::string& term : QueryTerms(value)) {
        SR_ASSIGN_OR_RETURN(const base::Bytes token,
                            keys_.LookupToken(permit.tenant(), c.name, field, term));
        f.params.push_back(storage::Blob(token));
        tokens += tokens.empty() ? "?" : ", ?";
      }
    }
    f.sql =
        " AND id IN (SELECT record_id FROM vault_lookup WHERE tenant_id = vault_records.tenant_id "
        "AND collection = vault_records.collection AND field = ? AND token IN (" +
        (tokens.empty() ? std::string("NULL") : tokens) + "))";
    return f;
  };
  return ReadPage(permit, collection, by_token, limit, after, unmask,
                  "lookup:" + std::string(field));
}

}  // namespace strongroom::vault
