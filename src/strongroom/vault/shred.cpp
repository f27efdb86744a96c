#include "strongroom/vault/shred.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/vault/internal/common.hpp"
#include "strongroom/vault/legal_holds.hpp"

namespace strongroom::vault {
namespace {

using storage::Text;

base::Result<std::int64_t> Count(storage::Transaction& tx, std::string_view sql,
                                 const std::string& tenant) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Text(tenant)}));
  return rows.at(0).GetInt(0);
}

}  // namespace

base::Result<ShredReceipt> Shredder::Shred(const access::Permit& permit,
                                           const std::string& confirm_name) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kTenantsShred));
  const std::string tenant = permit.tenant().value();
  nlohmann::json receipt;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(
        auto rows,
        tx->Query("SELECT name, status, shredded_at FROM tenants WHERE id = ?", {Text(tenant)}));
    if (rows.empty()) return base::NotFoundError("no tenant " + tenant);
    SR_ASSIGN_OR_RETURN(const std::string name, rows[0].GetText(0));
    SR_ASSIGN_OR_RETURN(const std::string status, rows[0].GetText(1));
    if (!rows[0].IsNull(2)) {
      // Finish what an interrupted shred may have left: the file directory and the log.
      std::error_code ec;
      std::filesystem::remove_all(files_dir_ / tenant, ec);
      (void)store_.Checkpoint();
      if (after_keys_destroyed_) {
        if (base::Status s = after_keys_destroyed_(permit.tenant()); !s.ok()) {
          return base::UnavailableError("tenant " + tenant + " was shredded, but " + s.message() +
                                        "; shred again to finish");
        }
      }
      return base::FailedPreconditionError("tenant " + tenant + " was shredded already");
    }
    if (confirm_name != name) {
      return base::InvalidArgumentError(
          "confirm must repeat the tenant's name exactly; shredding cannot be undone");
    }
    if (status != "suspended") {
      return base::FailedPreconditionError("suspend tenant " + tenant +
                                           " first: shredding needs a tenant nobody is using");
    }
    SR_ASSIGN_OR_RETURN(const auto hold, ActiveHold(*tx, permit.tenant(), std::nullopt));
    if (hold) return HeldError(*hold, "shredding the tenant");
    SR_ASSIGN_OR_RETURN(
        const std::int64_t records,
        Count(*tx,
              "SELECT COUNT(*) FROM vault_records WHERE tenant_id = ? AND ciphertext IS NOT "
              "NULL",
              tenant));
    SR_ASSIGN_OR_RETURN(
        const std::int64_t files,
        Count(*tx,
              "SELECT COUNT(*) FROM vault_files WHERE tenant_id = ? AND sealed_key IS NOT "
              "NULL",
              tenant));
    SR_ASSIGN_OR_RETURN(
        const std::int64_t collections,
        Count(*tx, "SELECT COUNT(*) FROM vault_collections WHERE tenant_id = ?", tenant));
    nlohmann::json keys = nlohmann::json::array();
    for (const std::string& purpose :
         {DataKeyPurpose(permit.tenant()), IndexKeyPurpose(permit.tenant())}) {
      auto id = keys_.ring().FindKey(purpose);
      if (!id.ok()) continue;
      SR_ASSIGN_OR_RETURN(const auto versions, keys_.ring().Versions(*id));
      keys.push_back(
          {{"purpose", purpose}, {"key_id", std::to_string(*id)}, {"versions", versions}});
    }
    receipt = {{"type", "strongroom.tenant_shred.v1"},
               {"tenant_id", tenant},
               {"tenant_name", name},
               {"shredded_at", base::FormatRfc3339(clock_.Now())},
               {"shredded_by", permit.actor().id},
               {"request_id", permit.actor().request_id},
               {"keys_destroyed", keys},
               {"records_destroyed", records},
               {"files_destroyed", files},
               {"collections_destroyed", collections}};
  }
  ShredReceipt out;
  out.receipt = receipt.dump();  // nlohmann sorts keys: the text is canonical.
  const crypto::Ed25519Signature sig = signing_key_.Sign(base::AsBytes(out.receipt));
  out.signature = base::Base64UrlEncode(sig);
  out.key_id = audit::KeyIdOf(signing_key_.public_key());
  out.public_key = base::Base64UrlEncode(signing_key_.public_key());

  // Recorded before anything is destroyed: if the trail cannot take it, nothing happens.
  audit::Event e = permit.Event(clock_.Now(), "tenants.shred", "tenant:" + tenant);
  e.details["receipt_sha256"] = base::HexEncode(crypto::Sha256(base::AsBytes(out.receipt)));
  e.details["signature"] = out.signature;
  e.details["key_id"] = out.key_id;
  e.details["records_destroyed"] = std::to_string(receipt["records_destroyed"].get<int64_t>());
  SR_RETURN_IF_ERROR(audit_.Record(e));

  // The keys first: from here on nothing of the tenant can be decrypted, whatever happens next.
  SR_RETURN_IF_ERROR(keys_.Destroy(permit.tenant()));
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
    SR_RETURN_IF_ERROR(DeleteTenantData(*tx, permit.tenant(), base::FormatRfc3339(clock_.Now()),
                                        permit.actor().id));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  if (after_keys_destroyed_) {
    if (base::Status s = after_keys_destroyed_(permit.tenant()); !s.ok()) {
      return base::UnavailableError("the tenant's keys are destroyed, but " + s.message() +
                                    "; shred again to finish");
    }
  }
  // The files' contents: sealed under keys that are gone, and now removed as well.
  std::error_code ec;
  std::filesystem::remove_all(files_dir_ / tenant, ec);
  if (ec) {
    return base::UnavailableError(
        "the tenant's keys are destroyed but its file directory could "
        "not be removed (" +
        ec.message() + "); shred again to finish");
  }
  // secure_delete overwrote the deleted rows in the database pages; the write-ahead log still
  // holds the pages as they were until it is checkpointed and truncated. Readers in progress can
  // hold the truncation off for a moment: try a few times before giving up (a later call finishes
  // it; see the "shredded already" path above).
  base::Status checkpointed;
  for (int attempt = 0; attempt < 10; ++attempt) {
    checkpointed = store_.Checkpoint();
    if (checkpointed.code() != base::ErrorCode::kUnavailable) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + 1)));
  }
  SR_RETURN_IF_ERROR(checkpointed);
  return out;
}

base::Status DeleteTenantData(storage::Transaction& tx, const identity::TenantId& tenant,
                              const std::string& now, const std::string& revoked_by) {
  const std::string id = tenant.value();
  for (const char* sql : {"DELETE FROM vault_files WHERE tenant_id = ?",
                          "DELETE FROM vault_lookup WHERE tenant_id = ?",
                          "DELETE FROM vault_records WHERE tenant_id = ?",
                          "DELETE FROM vault_collections WHERE tenant_id = ?"}) {
    SR_RETURN_IF_ERROR(tx.Execute(sql, {Text(id)}));
  }
  SR_RETURN_IF_ERROR(tx.Execute(
      "UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE tenant_id = ? AND revoked_at IS "
      "NULL",
      {Text(now), Text(revoked_by), Text(id)}));
  SR_RETURN_IF_ERROR(
      tx.Execute("UPDATE tenants SET shredded_at = COALESCE(shredded_at, ?) WHERE id = ?",
                 {Text(now), Text(id)}));
  return base::OkStatus();
}

bool VerifyShredReceipt(const ShredReceipt& r) {
  auto key = base::Base64UrlDecode(r.public_key);
  auto sig = base::Base64UrlDecode(r.signature);
  if (!key.ok() || !sig.ok() || key->size() != crypto::kEd25519PublicKeySize ||
      sig->size() != crypto::kEd25519SignatureSize) {
    return false;
  }
  crypto::Ed25519PublicKey pk;
  std::copy(key->begin(), key->end(), pk.begin());
  crypto::Ed25519Signature s;
  std::copy(sig->begin(), sig->end(), s.begin());
  return crypto::Ed25519Verify(pk, base::AsBytes(r.receipt), s);
}

}  // namespace strongroom::vault
