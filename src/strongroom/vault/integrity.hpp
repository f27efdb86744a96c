#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "strongroom/base/result.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::vault {

// What a check of one tenant's stored data found.
struct TenantIntegrity {
  std::string tenant_id;
  std::string name;
  bool shredded = false;
  std::uint64_t records = 0;         // Live records.
  std::uint64_t files = 0;           // Live files.
  std::uint64_t records_opened = 0;  // Of the sample, decrypted and authenticated.
  std::uint64_t files_opened = 0;    // Of the sample, file key unsealed and content present.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Counts every tenant's live records and files and opens a random sample of up to `sample` of
// each: a record's ciphertext must decrypt under its tenant's key with its associated data, a
// file's sealed key must open and its sealed content must exist under `files_dir`. A shredded
// tenant must hold nothing. Used by backup verification on a restored store, as the system (no
// permit: nothing is returned but counts). Problems go into the result; errors are I/O only.
base::Result<std::vector<TenantIntegrity>> CheckTenants(storage::Store& store,
                                                        crypto::KeyRing& ring,
                                                        const std::filesystem::path& files_dir,
                                                        std::size_t sample);

}  // namespace strongroom::vault
