#include "strongroom/vault/tenant_keys.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/vault/internal/common.hpp"

namespace strongroom::vault {

using internal::AppendField;

std::string DataKeyPurpose(const identity::TenantId& tenant) {
  return "tenant:" + tenant.value() + ":data";
}
std::string IndexKeyPurpose(const identity::TenantId& tenant) {
  return "tenant:" + tenant.value() + ":index";
}

base::Bytes RecordAad(const identity::TenantId& tenant, std::string_view collection,
                      std::string_view id, std::uint64_t version) {
  base::Bytes aad = base::ToBytes("strongroom/v1/record");
  AppendField(aad, tenant.value());
  AppendField(aad, collection);
  AppendField(aad, id);
  internal::AppendU64(aad, version);
  return aad;
}

base::Result<std::uint64_t> TenantKeys::Ensure(const identity::TenantId& tenant) {
  SR_RETURN_IF_ERROR(ring_.FindOrCreateKey(IndexKeyPurpose(tenant)));
  return ring_.FindOrCreateKey(DataKeyPurpose(tenant));
}

base::Result<base::Bytes> TenantKeys::LookupToken(const identity::TenantId& tenant,
                                                  std::string_view collection,
                                                  std::string_view field, std::string_view term) {
  SR_ASSIGN_OR_RETURN(const std::uint64_t key_id, ring_.FindKey(IndexKeyPurpose(tenant)));
  // The index key is never rotated: its version 1 is the one every token was made with.
  SR_ASSIGN_OR_RETURN(const crypto::Aes256Key mac_key,
                      ring_.DeriveSubkey(crypto::KeyRef{key_id, 1}, "strongroom/v1/blind-index"));
  base::Bytes message = base::ToBytes("strongroom/v1/lookup");
  AppendField(message, collection);
  AppendField(message, field);
  AppendField(message, term);
  const crypto::Sha256Digest mac = crypto::HmacSha256(mac_key.Reveal(), message);
  return base::Bytes(mac.begin(), mac.end());
}

base::Status TenantKeys::Destroy(const identity::TenantId& tenant) {
  for (const std::string& purpose : {DataKeyPurpose(tenant), IndexKeyPurpose(tenant)}) {
    // A purpose may have more than one key if one was ever made twice; destroy every one.
    for (;;) {
      auto id = ring_.FindKey(purpose);
      if (!id.ok()) break;
      SR_RETURN_IF_ERROR(ring_.DestroyKey(*id));
    }
  }
  return base::OkStatus();
}

}  // namespace strongroom::vault
