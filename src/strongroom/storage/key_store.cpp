#include "strongroom/storage/key_store.hpp"

#include "strongroom/base/status_macros.hpp"

namespace strongroom::storage {

base::Result<std::vector<crypto::WrappedKey>> SqlKeyStore::LoadWrappedKeys() {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query("SELECT key_id, version, purpose, wrapped, created_at FROM "
                                "data_keys ORDER BY key_id, version"));
  std::vector<crypto::WrappedKey> keys;
  keys.reserve(rows.size());
  for (const Row& row : rows) {
    crypto::WrappedKey k;
    SR_ASSIGN_OR_RETURN(const std::int64_t id, row.GetInt(0));
    SR_ASSIGN_OR_RETURN(const std::int64_t version, row.GetInt(1));
    if (id <= 0 || version <= 0 || version > UINT32_MAX) {
      return base::DataLossError("data_keys holds an impossible key id or version");
    }
    k.key_id = static_cast<std::uint64_t>(id);
    k.version = static_cast<std::uint32_t>(version);
    SR_ASSIGN_OR_RETURN(k.purpose, row.GetText(2));
    SR_ASSIGN_OR_RETURN(k.wrapped, row.GetBlob(3));
    SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(4));
    SR_ASSIGN_OR_RETURN(k.created_at, base::ParseRfc3339(created));
    keys.push_back(std::move(k));
  }
  SR_RETURN_IF_ERROR(tx->Commit());
  return keys;
}

base::Status SqlKeyStore::InsertWrappedKey(const crypto::WrappedKey& key) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO data_keys (key_id, version, purpose, wrapped, created_at) VALUES (?, ?, ?, ?, "
      "?)",
      {Int(static_cast<std::int64_t>(key.key_id)), Int(key.version), Text(key.purpose),
       Blob(key.wrapped), Text(base::FormatRfc3339(key.created_at))}));
  return tx->Commit();
}

base::Status SqlKeyStore::DeleteWrappedKeys(std::uint64_t key_id, std::uint32_t version) {
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  if (version == 0) {
    SR_RETURN_IF_ERROR(tx->Execute("DELETE FROM data_keys WHERE key_id = ?",
                                   {Int(static_cast<std::int64_t>(key_id))}));
  } else {
    SR_RETURN_IF_ERROR(tx->Execute("DELETE FROM data_keys WHERE key_id = ? AND version = ?",
                                   {Int(static_cast<std::int64_t>(key_id)), Int(version)}));
  }
  return tx->Commit();
}

}  // namespace strongroom::storage
