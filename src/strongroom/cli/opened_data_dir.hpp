#pragma once

#include <filesystem>
#include <memory>

#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/cli/data_dir.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/sessions.hpp"
#include "strongroom/identity/tenants.hpp"
#include "strongroom/identity/two_factor.hpp"
#include "strongroom/storage/key_store.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::cli {

// An initialised data directory opened into the services commands and the server share: the
// store (migrated), the key ring (the root key file must be private to its owner and must open
// the stored keys), and the identity services. Owns them; not thread-safe to open or close, the
// services themselves are thread-safe.
class OpenedDataDir {
 public:
  // Errors: kNotFound (no data directory), kFailedPrecondition (root key file permissions, wrong
  // root key, store from a newer build), store errors.
  static base::Result<std::unique_ptr<OpenedDataDir>> Open(const std::filesystem::path& dir,
                                                           const base::Clock& clock,
                                                           audit::Sink& audit,
                                                           identity::SessionPolicy sessions = {});
  ~OpenedDataDir();

  const DataDirLayout& layout() const { return layout_; }
  storage::Store& store() { return *store_; }
  crypto::KeyRing& ring() { return *ring_; }
  std::uint64_t identity_key() const { return identity_key_; }
  const identity::TwoFactor& two_factor() const { return *two_factor_; }
  identity::TenantStore& tenants() { return *tenants_; }
  identity::Accounts& accounts() { return *accounts_; }
  identity::Sessions& sessions() { return *sessions_; }

  // Closes the store (checkpointing it). Idempotent.
  base::Status Close();

 private:
  explicit OpenedDataDir(std::filesystem::path dir) : layout_(std::move(dir)) {}

  DataDirLayout layout_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::SqlKeyStore> key_store_;
  std::unique_ptr<crypto::KeyRing> ring_;
  std::uint64_t identity_key_ = 0;
  std::unique_ptr<identity::TwoFactor> two_factor_;
  std::unique_ptr<identity::TenantStore> tenants_;
  std::unique_ptr<identity::Accounts> accounts_;
  std::unique_ptr<identity::Sessions> sessions_;
};

}  // namespace strongroom::cli
