#include "strongroom/vault/key_rotation.hpp"

#include <string>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/aead.hpp"
#include "strongroom/vault/files.hpp"
#include "strongroom/vault/internal/common.hpp"

namespace strongroom::vault {
namespace {

using storage::Int;
using storage::Text;

struct Uses {
  std::uint64_t records = 0;
  std::uint64_t files = 0;
};

// What each version of `key_id` still seals: live records and file keys.
base::Result<std::map<std::uint32_t, Uses>> UsesPerVersion(storage::Transaction& tx,
                                                           std::uint64_t key_id) {
  std::map<std::uint32_t, Uses> out;
  for (const bool files : {false, true}) {
    SR_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(files ? "SELECT key_version, COUNT(*) FROM vault_files WHERE key_id = ? AND "
                         "sealed_key IS NOT NULL GROUP BY key_version"
                       : "SELECT key_version, COUNT(*) FROM vault_records WHERE key_id = ? AND "
                         "ciphertext IS NOT NULL GROUP BY key_version",
                 {Int(static_cast<std::int64_t>(key_id))}));
    for (const storage::Row& row : rows) {
      SR_ASSIGN_OR_RETURN(const std::int64_t v, row.GetInt(0));
      SR_ASSIGN_OR_RETURN(const std::int64_t n, row.GetInt(1));
      Uses& u = out[static_cast<std::uint32_t>(v)];
      (files ? u.files : u.records) = static_cast<std::uint64_t>(n);
    }
  }
  return out;
}

}  // namespace

base::Result<std::uint32_t> KeyRotation::Rotate(const access::Permit& permit) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kKeysRotate));
  const identity::TenantId& tenant = permit.tenant();
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT shredded_at FROM tenants WHERE id = ?",
                                             {Text(tenant.value())}));
    if (rows.empty()) return base::NotFoundError("no tenant " + tenant.value());
    if (!rows[0].IsNull(0)) {
      return base::FailedPreconditionError("tenant " + tenant.value() + " was shredded");
    }
  }
  SR_ASSIGN_OR_RETURN(const std::uint64_t key_id, keys_.Ensure(tenant));
  SR_ASSIGN_OR_RETURN(const crypto::KeyRef before, keys_.ring().Current(key_id));
  audit::Event e = permit.Event(clock_.Now(), "keys.rotate", "key:" + std::to_string(key_id));
  e.details["from_version"] = std::to_string(before.version);
  e.details["to_version"] = std::to_string(before.version + 1);
  // Recorded first: a rotation that happened is never missing from the trail.
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return keys_.ring().RotateKey(key_id);
}

base::Result<KeyStatus> KeyRotation::Status(const access::Permit& permit) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kKeysRead));
  KeyStatus status;
  auto key_id = keys_.ring().FindKey(DataKeyPurpose(permit.tenant()));
  if (!key_id.ok()) {
    if (key_id.error().code() == base::ErrorCode::kNotFound) return status;
    return key_id.error();
  }
  status.key_id = *key_id;
  SR_ASSIGN_OR_RETURN(const std::vector<std::uint32_t> versions, keys_.ring().Versions(*key_id));
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(const auto counts, UsesPerVersion(*tx, *key_id));
  for (std::uint32_t v : versions) {
    const auto it = counts.find(v);
    status.versions.push_back({v, it == counts.end() ? 0 : it->second.records,
                               it == counts.end() ? 0 : it->second.files});
  }
  status.current_version = versions.empty() ? 0 : versions.back();
  return status;
}

base::Result<ReencryptProgress> KeyRotation::RunOnce(const audit::Actor& actor, std::size_t batch) {
  ReencryptProgress progress;
  std::vector<std::string> tenants;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows,
                        tx->Query("SELECT id FROM tenants WHERE shredded_at IS NULL ORDER BY id"));
    for (const storage::Row& row : rows) {
      SR_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
      tenants.push_back(std::move(id));
    }
  }
  for (const std::string& t : tenants) {
    const identity::TenantId tenant(t);
    auto key_id = keys_.ring().FindKey(DataKeyPurpose(tenant));
    if (!key_id.ok()) continue;  // Nothing written yet.
    SR_ASSIGN_OR_RETURN(const std::vector<std::uint32_t> versions, keys_.ring().Versions(*key_id));
    if (versions.size() < 2) continue;
    const std::uint32_t newest = versions.back();

    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
    SR_ASSIGN_OR_RETURN(auto rows,
                        tx->Query("SELECT collection, id, version, ciphertext FROM vault_records "
                                  "WHERE key_id = ? AND key_version < ? AND ciphertext IS NOT NULL "
                                  "ORDER BY key_version, collection, id LIMIT ?",
                                  {Int(static_cast<std::int64_t>(*key_id)), Int(newest),
                                   Int(static_cast<std::int64_t>(batch))}));
    for (const storage::Row& row : rows) {
      SR_ASSIGN_OR_RETURN(const std::string collection, row.GetText(0));
      SR_ASSIGN_OR_RETURN(const std::string id, row.GetText(1));
      SR_ASSIGN_OR_RETURN(const std::int64_t version, row.GetInt(2));
      SR_ASSIGN_OR_RETURN(const base::Bytes old_ct, row.GetBlob(3));
      const base::Bytes aad =
          RecordAad(tenant, collection, id, static_cast<std::uint64_t>(version));
      auto plain = keys_.ring().Open(aad, old_ct);
      if (!plain.ok()) {
        return base::DataLossError(
            "record " + collection + "/" + id + " of tenant " + t +
            " cannot be decrypted for re-encryption: " + plain.error().message());
      }
      SR_ASSIGN_OR_RETURN(const base::Bytes new_ct, keys_.ring().Seal(*key_id, aad, *plain));
      SR_ASSIGN_OR_RETURN(const crypto::CiphertextHeader header,
                          crypto::ParseCiphertextHeader(new_ct));
      SR_RETURN_IF_ERROR(tx->Execute(
          "UPDATE vault_records SET ciphertext = ?, key_version = ? WHERE tenant_id = ? AND "
          "collection = ? AND id = ?",
          {storage::Blob(new_ct), Int(header.key.version), Text(t), Text(collection), Text(id)}));
    }
    // File keys: the content stays as it is; only its key is sealed again.
    SR_ASSIGN_OR_RETURN(auto files,
                        tx->Query("SELECT id, version, blob, sealed_key FROM vault_files WHERE "
                                  "key_id = ? AND key_version < ? AND sealed_key IS NOT NULL "
                                  "ORDER BY key_version, id LIMIT ?",
                                  {Int(static_cast<std::int64_t>(*key_id)), Int(newest),
                                   Int(static_cast<std::int64_t>(batch))}));
    for (const storage::Row& row : files) {
      SR_ASSIGN_OR_RETURN(const std::string id, row.GetText(0));
      SR_ASSIGN_OR_RETURN(const std::int64_t version, row.GetInt(1));
      SR_ASSIGN_OR_RETURN(const std::string blob, row.GetText(2));
      SR_ASSIGN_OR_RETURN(const base::Bytes old_sealed, row.GetBlob(3));
      const base::Bytes aad = FileKeyAad(tenant, id, static_cast<std::uint64_t>(version), blob);
      auto payload = keys_.ring().Open(aad, old_sealed);
      if (!payload.ok()) {
        return base::DataLossError(
            "the key of file " + id + " of tenant " + t +
            " cannot be opened for re-sealing: " + payload.error().message());
      }
      auto resealed = keys_.ring().Seal(*key_id, aad, *payload);
      std::fill(payload->begin(), payload->end(), 0);
      if (!resealed.ok()) return resealed.error();
      SR_ASSIGN_OR_RETURN(const crypto::CiphertextHeader header,
                          crypto::ParseCiphertextHeader(*resealed));
      SR_RETURN_IF_ERROR(tx->Execute(
          "UPDATE vault_files SET sealed_key = ?, key_version = ? WHERE tenant_id = ? AND id = ?",
          {storage::Blob(*resealed), Int(header.key.version), Text(t), Text(id)}));
    }
    if (!rows.empty() || !files.empty()) {
      audit::Event e = audit::MakeEvent(actor, clock_.Now(), "records.reencrypt",
                                        "key:" + std::to_string(*key_id), audit::Outcome::kAllowed,
                                        "key_rotation", t);
      e.details["count"] = std::to_string(rows.size());
      e.details["file_keys"] = std::to_string(files.size());
      e.details["to_version"] = std::to_string(newest);
      SR_RETURN_IF_ERROR(audit_.Record(e));
      SR_RETURN_IF_ERROR(tx->Commit());
      progress.reencrypted += rows.size();
      progress.rewrapped += files.size();
    }
    tx.reset();  // Retiring writes to the store itself.
    SR_ASSIGN_OR_RETURN(auto counts_tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(const auto counts, UsesPerVersion(*counts_tx, *key_id));
    counts_tx.reset();
    for (std::uint32_t v : versions) {
      if (v == newest) continue;
      if (counts.contains(v)) {
        progress.done = false;
        continue;
      }
      audit::Event e =
          audit::MakeEvent(actor, clock_.Now(), "keys.retire", "key:" + std::to_string(*key_id),
                           audit::Outcome::kAllowed, "no_data_left", t);
      e.details["version"] = std::to_string(v);
      SR_RETURN_IF_ERROR(audit_.Record(e));
      SR_RETURN_IF_ERROR(keys_.ring().RetireVersion({*key_id, v}));
      ++progress.retired_versions;
    }
  }
  return progress;
}

}  // namespace strongroom::vault
