#pragma once

#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::storage {

// Keeps the key ring's wrapped data keys in the data_keys table. Thread-safe (the Store is).
class SqlKeyStore final : public crypto::WrappedKeyStore {
 public:
  explicit SqlKeyStore(Store& store) : store_(store) {}

  base::Result<std::vector<crypto::WrappedKey>> LoadWrappedKeys() override;
  base::Status InsertWrappedKey(const crypto::WrappedKey& key) override;

 private:
  Store& store_;
};

}  // namespace strongroom::storage
