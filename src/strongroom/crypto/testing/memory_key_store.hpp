#pragma once

#include <vector>

#include "strongroom/base/mutex.hpp"
#include "strongroom/crypto/key_ring.hpp"

namespace strongroom::crypto::testing {

// Keeps wrapped keys in memory. Thread-safe.
class MemoryKeyStore final : public WrappedKeyStore {
 public:
  base::Result<std::vector<WrappedKey>> LoadWrappedKeys() override {
    base::MutexLock lock(&mu_);
    std::vector<WrappedKey> out;
    for (const auto& k : keys_) {
      out.push_back({k.key_id, k.version, k.purpose, k.wrapped, k.created_at});
    }
    return out;
  }
  base::Status InsertWrappedKey(const WrappedKey& key) override {
    base::MutexLock lock(&mu_);
    for (const auto& k : keys_) {
      if (k.key_id == key.key_id && k.version == key.version) {
        return base::AlreadyExistsError("key exists");
      }
    }
    keys_.push_back({key.key_id, key.version, key.purpose, key.wrapped, key.created_at});
    return base::OkStatus();
  }
  base::Status DeleteWrappedKeys(std::uint64_t key_id, std::uint32_t version) override {
    base::MutexLock lock(&mu_);
    std::erase_if(keys_, [&](const WrappedKey& k) {
      return k.key_id == key_id && (version == 0 || k.version == version);
    });
    return base::OkStatus();
  }
  // Direct access, to tamper with stored keys in tests.
  std::vector<WrappedKey>& keys() SR_NO_THREAD_SAFETY_ANALYSIS { return keys_; }

 private:
  base::Mutex mu_;
  std::vector<WrappedKey> keys_ SR_GUARDED_BY(mu_);
};

}  // namespace strongroom::crypto::testing
