#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/aes_gcm.hpp"
#include "strongroom/crypto/key_provider.hpp"

namespace strongroom::backup {

// The keys backups use, derived from the root key with HKDF-SHA256 (no salt) under their own
// labels, so none of them is a key the live store uses:
// - `wrapping` ("strongroom/v1/backup-wrapping-key") seals each backup's random content key and
//   each tenant's backup key;
// - `manifest_mac` ("strongroom/v1/backup-manifest-mac") authenticates manifest.json;
// - `key_check` (the first 8 bytes of HMAC-SHA256 under "strongroom/v1/backup-key-check" of a
//   constant, hex) tells a wrong root key apart from a changed manifest.
struct BackupKeys {
  crypto::Aes256Key wrapping;
  crypto::Aes256Key manifest_mac;
  std::string key_check;
};
base::Result<BackupKeys> DeriveBackupKeys(const crypto::RootKey& root);

// AES-256-GCM with a random nonce: nonce || ciphertext || tag.
base::Bytes Seal(const crypto::Aes256Key& key, base::ByteView aad, base::ByteView plaintext);
// Errors: kDataLoss when it does not open.
base::Result<base::Bytes> Unseal(const crypto::Aes256Key& key, base::ByteView aad,
                                 base::ByteView sealed);

// Each backup destination keeps one backup key per tenant in DEST/tenant-keys/<tenant>.key,
// sealed under the wrapping key (associated data binds the tenant). A backup seals each tenant's
// data and index keys under that tenant's backup key; the keys are not in the backup's copy of
// the store. Shredding a tenant destroys its backup key at every destination (overwritten, then
// removed) and leaves DEST/tenant-keys/<tenant>.shredded, so no backup in that destination, old
// or new, opens the tenant's data again, and a restore reports the tenant as shredded.
// Thread-compatible; callers serialise backups.
struct TenantBackupKey {
  std::string fingerprint;  // Names the key without revealing it (TenantKeyEscrow::Fingerprint).
  crypto::Aes256Key key;
};

class TenantKeyEscrow {
 public:
  TenantKeyEscrow(const crypto::Aes256Key& wrapping, const base::Clock& clock)
      : wrapping_(wrapping.Clone()), clock_(clock) {}

  // The tenant's backup keys in `destinations`, one per distinct key: a destination without one
  // gets the key another destination has, or a new one. A key file, once written, is never
  // replaced (it is created with link(2), so two processes backing up at once cannot overwrite
  // each other's key: the second adopts the first's); destinations can still end up with
  // different keys (backed up separately at first), so a backup seals the tenant's keys under
  // each. Errors: kFailedPrecondition when a destination records the tenant as shredded;
  // kDataLoss when a key file does not open; I/O.
  base::Result<std::vector<TenantBackupKey>> Ensure(
      const std::vector<std::filesystem::path>& destinations, const std::string& tenant);
  // HMAC-SHA256 of the key under the wrapping key, 16 hex digits.
  std::string Fingerprint(const crypto::Aes256Key& key) const;
  // The key as `destination` holds it. Errors: kNotFound (no key and no shred record);
  // kDataLoss; I/O. A shredded tenant is reported by ShreddedAt.
  base::Result<crypto::Aes256Key> Load(const std::filesystem::path& destination,
                                       const std::string& tenant) const;
  // When `destination` records the tenant as shredded, the time it was.
  std::optional<std::string> ShreddedAt(const std::filesystem::path& destination,
                                        const std::string& tenant) const;
  // Overwrites and removes the tenant's key at every destination and records the shred there.
  // Idempotent. Errors: I/O, naming the destination.
  base::Status Destroy(const std::vector<std::filesystem::path>& destinations,
                       const std::string& tenant, const std::string& shredded_at);

 private:
  // Writes `key` unless the destination has a key already; returns the key it holds after.
  base::Result<crypto::Aes256Key> WriteIfAbsent(const std::filesystem::path& destination,
                                                const std::string& tenant,
                                                const crypto::Aes256Key& key);

  const crypto::Aes256Key wrapping_;
  const base::Clock& clock_;
};

}  // namespace strongroom::backup
