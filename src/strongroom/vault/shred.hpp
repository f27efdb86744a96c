#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/sign.hpp"
#include "strongroom/storage/store.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault {

// The signed statement that a tenant's data was destroyed. `receipt` is the canonical JSON that
// was signed; `signature` is its Ed25519 signature (base64url) by the key named `key_id` (the
// instance's audit checkpoint key, whose public keys `strongroom audit verify` already trusts).
struct ShredReceipt {
  std::string receipt;
  std::string signature;
  std::string key_id;
  std::string public_key;  // base64url, for a verifier without the instance's key list.
};

// Crypto-shredding of a tenant that leaves: destroys every version of its data and index keys
// (stored wrapped keys deleted under secure_delete, then the write-ahead log truncated), deletes
// its records, blind index, collections and files, revokes its grants, and marks it shredded, after
// which it can never be resumed. See docs/vault.md for exactly what this guarantees, including
// for backups taken before it. Thread-safe.
class Shredder {
 public:
  // `files_dir` is the directory Files keeps tenants' file contents in.
  Shredder(storage::Store& store, TenantKeys& keys, audit::Sink& audit, const base::Clock& clock,
           crypto::Ed25519KeyPair signing_key, std::filesystem::path files_dir)
      : store_(store),
        keys_(keys),
        audit_(audit),
        clock_(clock),
        signing_key_(std::move(signing_key)),
        files_dir_(std::move(files_dir)) {}

  // Permit: tenants.shred. `confirm_name` must equal the tenant's name. The tenant must be
  // suspended first (so nobody is using it) and under no legal hold. The receipt is recorded in
  // the audit log ("tenants.shred", with its SHA-256 and signature) before anything is
  // destroyed. Errors: kNotFound; kInvalidArgument (name does not match); kFailedPrecondition
  // (not suspended, already shredded, legal hold); store errors, after which calling again
  // finishes the job.
  base::Result<ShredReceipt> Shred(const access::Permit& permit, const std::string& confirm_name);

  // Called once the tenant's keys are destroyed (and again whenever shred is called for a tenant
  // already shredded): destroys key material kept elsewhere, e.g. the tenant's backup keys at
  // every backup destination (backup/tenant_escrow.hpp). An error makes Shred fail with
  // kUnavailable naming it; calling Shred again retries. Set before the first Shred.
  using AfterKeysDestroyed = std::function<base::Status(const identity::TenantId& tenant)>;
  void set_after_keys_destroyed(AfterKeysDestroyed hook) {
    after_keys_destroyed_ = std::move(hook);
  }

 private:
  storage::Store& store_;
  TenantKeys& keys_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const crypto::Ed25519KeyPair signing_key_;
  const std::filesystem::path files_dir_;
  AfterKeysDestroyed after_keys_destroyed_;
};

// Deletes a tenant's records, blind index, collections and file rows, revokes its grants and
// marks it shredded as of `now` (RFC 3339) if it is not already, in `tx`. The shred uses it once
// the keys are gone; a restore uses it for a tenant whose backup keys were destroyed.
base::Status DeleteTenantData(storage::Transaction& tx, const identity::TenantId& tenant,
                              const std::string& now, const std::string& revoked_by);

// Checks `receipt` against `public_key` (base64url). For tests and operators.
bool VerifyShredReceipt(const ShredReceipt& receipt);

}  // namespace strongroom::vault
