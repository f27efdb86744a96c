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
  // The store runs with secure_delete, so the deleted rows' bytes are overwritten in the database
  // file; the write-ahead log is truncated by the caller's checkpoint (see vault shred).
  base::Status DeleteWrappedKeys(std::uint64_t key_id, std::uint32_t version) override;

 private:
  Store& store_;
};

}  // namespace strongroom::storage
