#include "strongroom/crypto/key_ring.hpp"

#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {
namespace {

constexpr KeyRef kKekRef{0, 1};
constexpr std::string_view kKekInfo = "strongroom/v1/key-wrapping-key";

Aes256Key ToAesKey(const base::SecretBytes& bytes) {
  Aes256Key key;
  std::copy(bytes.Reveal().begin(), bytes.Reveal().end(), key.mutable_value().begin());
  return key;
}

std::string Describe(KeyRef ref) {
  return "key " + std::to_string(ref.key_id) + " version " + std::to_string(ref.version);
}

}  // namespace

base::Bytes WrappingAad(std::uint64_t key_id, std::uint32_t version, const std::string& purpose) {
  base::Bytes aad = base::ToBytes("strongroom/v1/data-key");
  for (int i = 7; i >= 0; --i) aad.push_back(static_cast<std::uint8_t>(key_id >> (8 * i)));
  for (int i = 3; i >= 0; --i) aad.push_back(static_cast<std::uint8_t>(version >> (8 * i)));
  aad.insert(aad.end(), purpose.begin(), purpose.end());
  return aad;
}

KeyRing::KeyRing(Aes256Key kek, WrappedKeyStore& store, const base::Clock& clock)
    : kek_(std::move(kek)), store_(store), clock_(clock) {}

base::Result<std::unique_ptr<KeyRing>> KeyRing::Open(RootKey root, WrappedKeyStore& store,
                                                     const base::Clock& clock) {
  auto kek_bytes = HkdfSha256(root.Reveal(), {}, base::AsBytes(kKekInfo), kAes256KeySize);
  if (!kek_bytes.ok()) return kek_bytes.error();
  std::unique_ptr<KeyRing> ring(new KeyRing(ToAesKey(*kek_bytes), store, clock));
  auto wrapped = store.LoadWrappedKeys();
  if (!wrapped.ok()) return wrapped.error();
  base::MutexLock lock(&ring->mu_);
  for (const WrappedKey& w : *wrapped) {
    if (base::Status s = ring->Unwrap(w); !s.ok()) return s;
  }
  return ring;
}

base::Status KeyRing::Unwrap(const WrappedKey& w) {
  auto plain = AeadOpen(kek_, kKekRef, WrappingAad(w.key_id, w.version, w.purpose), w.wrapped);
  if (!plain.ok()) {
    return base::FailedPreconditionError(
        "the root key does not unwrap " + Describe({w.key_id, w.version}) +
        ": this root key does not belong to this data directory, or the key store was altered");
  }
  base::SecretBytes bytes(std::move(plain).value());
  if (bytes.size() != kAes256KeySize) {
    return base::DataLossError(Describe({w.key_id, w.version}) + " has the wrong length");
  }
  Entry& entry = keys_[w.key_id];
  entry.purpose = w.purpose;
  by_purpose_[w.purpose].insert(w.key_id);
  entry.versions[w.version] = std::make_shared<const Aes256Key>(ToAesKey(bytes));
  return base::OkStatus();
}

base::Status KeyRing::AddVersion(std::uint64_t key_id, std::uint32_t version,
                                 const std::string& purpose) {
  Aes256Key key;
  FillRandom(key.mutable_value());
  WrappedKey w;
  w.key_id = key_id;
  w.version = version;
  w.purpose = purpose;
  w.wrapped = AeadSeal(kek_, kKekRef, WrappingAad(key_id, version, purpose), key.Reveal());
  w.created_at = clock_.Now();
  // Persist before use: a key that was never stored must never seal anything.
  if (base::Status s = store_.InsertWrappedKey(w); !s.ok()) return s;
  Entry& entry = keys_[key_id];
  entry.purpose = purpose;
  by_purpose_[purpose].insert(key_id);
  entry.versions[version] = std::make_shared<const Aes256Key>(std::move(key));
  return base::OkStatus();
}

base::Result<std::uint64_t> KeyRing::CreateKey(const std::string& purpose) {
  base::MutexLock lock(&mu_);
  return CreateKeyLocked(purpose);
}

base::Result<std::uint64_t> KeyRing::CreateKeyLocked(const std::string& purpose) {
  for (;;) {
    // Random ids reveal nothing about how many keys exist; 0 is the key-wrapping key and ids stay
    // below 2^63 so every store can hold them as a signed 64-bit integer.
    const std::uint64_t id = 1 + RandomUniform((std::uint64_t{1} << 63) - 1);
    if (keys_.contains(id)) continue;
    base::Status s = AddVersion(id, 1, purpose);
    if (s.code() == base::ErrorCode::kAlreadyExists) continue;
    if (!s.ok()) return s;
    return id;
  }
}

std::optional<std::uint64_t> KeyRing::FindLocked(const std::string& purpose) const {
  const auto it = by_purpose_.find(purpose);
  if (it == by_purpose_.end() || it->second.empty()) return std::nullopt;
  return *it->second.begin();
}

base::Result<std::uint64_t> KeyRing::FindKey(const std::string& purpose) const {
  base::MutexLock lock(&mu_);
  if (const auto id = FindLocked(purpose)) return *id;
  return base::NotFoundError("no key for " + purpose);
}

base::Result<std::uint64_t> KeyRing::FindOrCreateKey(const std::string& purpose) {
  base::MutexLock lock(&mu_);
  if (const auto id = FindLocked(purpose)) return *id;
  return CreateKeyLocked(purpose);
}

base::Result<std::uint32_t> KeyRing::RotateKey(std::uint64_t key_id) {
  base::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return base::NotFoundError("no key " + std::to_string(key_id));
  const std::uint32_t next = it->second.versions.rbegin()->first + 1;
  if (base::Status s = AddVersion(key_id, next, it->second.purpose); !s.ok()) return s;
  return next;
}

base::Result<KeyRef> KeyRing::Current(std::uint64_t key_id) const {
  base::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return base::NotFoundError("no key " + std::to_string(key_id));
  return KeyRef{key_id, it->second.versions.rbegin()->first};
}

base::Result<std::string> KeyRing::Purpose(std::uint64_t key_id) const {
  base::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return base::NotFoundError("no key " + std::to_string(key_id));
  return it->second.purpose;
}

base::Result<std::vector<std::uint32_t>> KeyRing::Versions(std::uint64_t key_id) const {
  base::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return base::NotFoundError("no key " + std::to_string(key_id));
  std::vector<std::uint32_t> out;
  for (const auto& [version, key] : it->second.versions) out.push_back(version);
  return out;
}

base::Status KeyRing::RetireVersion(KeyRef ref) {
  base::MutexLock lock(&mu_);
  auto it = keys_.find(ref.key_id);
  if (it == keys_.end() || !it->second.versions.contains(ref.version)) {
    return base::NotFoundError("no " + Describe(ref) + " in the ring");
  }
  if (it->second.versions.rbegin()->first == ref.version) {
    return base::FailedPreconditionError(Describe(ref) +
                                         " is the newest version and seals new data");
  }
  // Stored first: if the delete fails the version is still whole in both places.
  if (base::Status s = store_.DeleteWrappedKeys(ref.key_id, ref.version); !s.ok()) return s;
  it->second.versions.erase(ref.version);
  return base::OkStatus();
}

base::Status KeyRing::DestroyKey(std::uint64_t key_id) {
  base::MutexLock lock(&mu_);
  if (base::Status s = store_.DeleteWrappedKeys(key_id, 0); !s.ok()) return s;
  if (const auto it = keys_.find(key_id); it != keys_.end()) {
    const auto ids = by_purpose_.find(it->second.purpose);
    if (ids != by_purpose_.end()) {
      ids->second.erase(key_id);
      if (ids->second.empty()) by_purpose_.erase(ids);
    }
    keys_.erase(it);
  }
  return base::OkStatus();
}

KeyRing::KeyPtr KeyRing::Find(KeyRef ref) const {
  auto it = keys_.find(ref.key_id);
  if (it == keys_.end()) return nullptr;
  auto v = it->second.versions.find(ref.version);
  return v == it->second.versions.end() ? nullptr : v->second;
}

// Seal and Open look the key up under the lock and encrypt outside it, holding a reference so a
// concurrent retirement cannot free the key under them.
base::Result<base::Bytes> KeyRing::Seal(std::uint64_t key_id, base::ByteView aad,
                                        base::ByteView plaintext) const {
  KeyPtr key;
  KeyRef ref{key_id, 0};
  {
    base::MutexLock lock(&mu_);
    auto it = keys_.find(key_id);
    if (it == keys_.end() || it->second.versions.empty()) {
      return base::NotFoundError("no key " + std::to_string(key_id));
    }
    ref.version = it->second.versions.rbegin()->first;
    key = it->second.versions.rbegin()->second;
  }
  return AeadSeal(*key, ref, aad, plaintext);
}

base::Result<base::Bytes> KeyRing::Open(base::ByteView aad, base::ByteView ciphertext) const {
  auto header = ParseCiphertextHeader(ciphertext);
  if (!header.ok()) return header.error();
  KeyPtr key;
  {
    base::MutexLock lock(&mu_);
    key = Find(header->key);
  }
  if (key == nullptr) return base::NotFoundError("no " + Describe(header->key) + " in the ring");
  return AeadOpen(*key, header->key, aad, ciphertext);
}

base::Result<Aes256Key> KeyRing::DeriveSubkey(KeyRef ref, const std::string& info) const {
  base::MutexLock lock(&mu_);
  const KeyPtr key = Find(ref);
  if (key == nullptr) return base::NotFoundError("no " + Describe(ref) + " in the ring");
  auto bytes = HkdfSha256(key->Reveal(), {}, base::AsBytes(info), kAes256KeySize);
  if (!bytes.ok()) return bytes.error();
  return ToAesKey(*bytes);
}

}  // namespace strongroom::crypto
