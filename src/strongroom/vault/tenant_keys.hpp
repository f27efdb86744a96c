#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/identity/ids.hpp"

namespace strongroom::vault {

// The associated data of a record's ciphertext: a domain tag, then tenant, collection, record id
// (each length-prefixed) and version. A ciphertext copied to any other tenant, collection,
// record or version fails authentication.
base::Bytes RecordAad(const identity::TenantId& tenant, std::string_view collection,
                      std::string_view id, std::uint64_t version);

// A tenant's keys in the key ring: the data key ("tenant:<id>:data", rotated on request) that
// seals its records and files, and the index key ("tenant:<id>:index") from which the blind
// index's HMAC key is derived. Keys are made on first use; a shredded tenant's are destroyed
// (Destroy), after which nothing it sealed opens. Thread-safe.
class TenantKeys {
 public:
  explicit TenantKeys(crypto::KeyRing& ring) : ring_(ring) {}

  // Makes both keys if the tenant has none yet. Call it before a write transaction that seals or
  // indexes (making a key writes to the store itself). Returns the data key's id.
  base::Result<std::uint64_t> Ensure(const identity::TenantId& tenant);
  // The blind-index token of one normalised term (vault/document.hpp IndexTerms) of `field` in
  // `collection`: HMAC-SHA256 under the tenant's index key over a domain tag, the collection,
  // the field and the term. Errors: kNotFound when Ensure was never called for the tenant.
  base::Result<base::Bytes> LookupToken(const identity::TenantId& tenant,
                                        std::string_view collection, std::string_view field,
                                        std::string_view term);
  // Destroys both keys, every version (crypto-shredding). Idempotent. Errors: store errors.
  base::Status Destroy(const identity::TenantId& tenant);

  crypto::KeyRing& ring() { return ring_; }

 private:
  crypto::KeyRing& ring_;
};

std::string DataKeyPurpose(const identity::TenantId& tenant);
std::string IndexKeyPurpose(const identity::TenantId& tenant);

}  // namespace strongroom::vault
