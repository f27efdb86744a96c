#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/aead.hpp"
#include "strongroom/crypto/key_provider.hpp"

namespace strongroom::crypto {

// A data key as persisted: only ever in wrapped (encrypted) form.
struct WrappedKey {
  std::uint64_t key_id = 0;
  std::uint32_t version = 0;
  std::string purpose;  // What the key is for, e.g. "tenant:<id>:data". Bound into the wrapping.
  base::Bytes wrapped;  // AeadSeal under the key-wrapping key, KeyRef{0, 1}.
  base::Time created_at;
};

// Persistence for wrapped keys, implemented by storage (which depends on crypto, not the other
// way round). Implementations are thread-safe.
class WrappedKeyStore {
 public:
  virtual ~WrappedKeyStore() = default;
  virtual base::Result<std::vector<WrappedKey>> LoadWrappedKeys() = 0;
  // Durably inserts one version. Errors: kAlreadyExists when (key_id, version) exists.
  virtual base::Status InsertWrappedKey(const WrappedKey& key) = 0;
  // Durably deletes one version of `key_id`, or every version when `version` is 0, overwriting
  // the stored bytes (the store's secure delete). Deleting nothing is not an error.
  virtual base::Status DeleteWrappedKeys(std::uint64_t key_id, std::uint32_t version) = 0;
};

// The data keys of one installation. The root key derives (HKDF-SHA256) a key-wrapping key that
// wraps each data key with AES-256-GCM; the wrapping's associated data binds the key id, version
// and purpose, so a wrapped key copied to another row does not unwrap. Each key has versions:
// Seal uses the newest, Open uses whichever version the ciphertext header names, so data sealed
// before a rotation still opens.
//
// A version can be retired once nothing it sealed is left, and a whole key destroyed (crypto-
// shredding): both delete the wrapped key from the store before forgetting it, so whatever it
// sealed can never be opened again.
//
// Unwrapped keys are held in memory, wiped when the ring is destroyed. Thread-safe.
class KeyRing {
 public:
  // Loads and unwraps every key. Errors: kFailedPrecondition when the root key does not open the
  // stored keys (the wrong root key for this data directory); store errors as they come.
  static base::Result<std::unique_ptr<KeyRing>> Open(RootKey root, WrappedKeyStore& store,
                                                     const base::Clock& clock);

  // Creates a new key (version 1) for `purpose` and returns its id.
  base::Result<std::uint64_t> CreateKey(const std::string& purpose);
  // The key for `purpose`, created if there is none yet (the oldest if several). Concurrent
  // callers for one purpose get the same key.
  base::Result<std::uint64_t> FindOrCreateKey(const std::string& purpose);
  // The (oldest) key for `purpose`. Errors: kNotFound.
  base::Result<std::uint64_t> FindKey(const std::string& purpose) const;
  // Adds a new version; new seals use it at once. Errors: kNotFound.
  base::Result<std::uint32_t> RotateKey(std::uint64_t key_id);
  // The newest version of `key_id`. Errors: kNotFound.
  base::Result<KeyRef> Current(std::uint64_t key_id) const;
  base::Result<std::string> Purpose(std::uint64_t key_id) const;
  // The versions of `key_id` still held, oldest first. Errors: kNotFound.
  base::Result<std::vector<std::uint32_t>> Versions(std::uint64_t key_id) const;

  // Deletes one version, which must not be the newest (new seals use that). Ciphertexts it sealed
  // no longer open (kNotFound). Errors: kNotFound; kFailedPrecondition for the newest version.
  base::Status RetireVersion(KeyRef ref);
  // Deletes every version of `key_id`, stored and in memory. Idempotent: a key already gone is
  // not an error. Errors: store errors (the key is then kept whole: nothing half-destroyed).
  base::Status DestroyKey(std::uint64_t key_id);

  // Seals under the newest version of `key_id`. Errors: kNotFound.
  base::Result<base::Bytes> Seal(std::uint64_t key_id, base::ByteView aad,
                                 base::ByteView plaintext) const;
  // Opens with the key version named in the ciphertext's header. Errors: kInvalidArgument
  // (malformed), kNotFound (unknown key or version), kDataLoss (authentication failed).
  base::Result<base::Bytes> Open(base::ByteView aad, base::ByteView ciphertext) const;

  // A 256-bit subkey of a data key version for a separate use (e.g. a blind index), derived with
  // HKDF-SHA256 and `info`. Errors: kNotFound.
  base::Result<Aes256Key> DeriveSubkey(KeyRef ref, const std::string& info) const;

 private:
  // Keys are shared: Seal and Open take a reference under the lock and encrypt outside it, so a
  // version retired or destroyed meanwhile stays alive (in memory only) until they finish.
  using KeyPtr = std::shared_ptr<const Aes256Key>;
  struct Entry {
    std::string purpose;
    std::map<std::uint32_t, KeyPtr> versions;
  };

  KeyRing(Aes256Key kek, WrappedKeyStore& store, const base::Clock& clock);
  base::Status Unwrap(const WrappedKey& wrapped) SR_REQUIRES(mu_);
  base::Status AddVersion(std::uint64_t key_id, std::uint32_t version, const std::string& purpose)
      SR_REQUIRES(mu_);
  base::Result<std::uint64_t> CreateKeyLocked(const std::string& purpose) SR_REQUIRES(mu_);
  KeyPtr Find(KeyRef ref) const SR_REQUIRES(mu_);
  // The smallest id with `purpose`, if any.
  std::optional<std::uint64_t> FindLocked(const std::string& purpose) const SR_REQUIRES(mu_);

  const Aes256Key kek_;
  WrappedKeyStore& store_;
  const base::Clock& clock_;
  mutable base::Mutex mu_;
  std::map<std::uint64_t, Entry> keys_ SR_GUARDED_BY(mu_);
  // Key ids by purpose: every write looks its tenant's keys up by purpose, so it must not scan.
  std::map<std::string, std::set<std::uint64_t>, std::less<>> by_purpose_ SR_GUARDED_BY(mu_);
};

// The associated data that binds a wrapped key to its id, version and purpose.
base::Bytes WrappingAad(std::uint64_t key_id, std::uint32_t version, const std::string& purpose);

}  // namespace strongroom::crypto
