#pragma once

#include <filesystem>
#include <memory>

#include "strongroom/audit/audit_log.hpp"
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
// the stored keys), the audit log (its own store and checkpoint file), and the identity services,
// which record into that audit log. Owns them; not thread-safe to open or close, the services
// themselves are thread-safe.
class OpenedDataDir {
 public:
  // Errors: kNotFound (no data directory), kFailedPrecondition (root key file permissions, wrong
  // root key, store from a newer build), kDataLoss (the audit log is behind or disagrees with its
  // checkpoint file), store errors.
  static base::Result<std::unique_ptr<OpenedDataDir>> Open(const std::filesystem::path& dir,
                                                           const base::Clock& clock,
                                                           identity::SessionPolicy sessions = {},
                                                           audit::AuditLogOptions audit = {});
  // Only the store, the key ring and the audit store, for `audit verify`: nothing is appended
  // and a damaged log is opened so it can be examined. Errors: as Open's; kNotFound without an
  // audit store.
  static base::Result<std::unique_ptr<OpenedDataDir>> OpenForAuditVerification(
      const std::filesystem::path& dir, const base::Clock& clock);
  ~OpenedDataDir();

  const DataDirLayout& layout() const { return layout_; }
  storage::Store& store() { return *store_; }
  crypto::KeyRing& ring() { return *ring_; }
  std::uint64_t identity_key() const { return identity_key_; }
  const identity::TwoFactor& two_factor() const { return *two_factor_; }
  identity::TenantStore& tenants() { return *tenants_; }
  identity::Accounts& accounts() { return *accounts_; }
  identity::Sessions& sessions() { return *sessions_; }
  audit::AuditLog& audit_log() { return *audit_log_; }
  storage::Store& audit_store() { return *audit_store_; }

  // Closes the audit log (with a final checkpoint) and the stores. Idempotent.
  base::Status Close();

 private:
  explicit OpenedDataDir(std::filesystem::path dir) : layout_(std::move(dir)) {}
  static base::Result<std::unique_ptr<OpenedDataDir>> OpenKeys(const std::filesystem::path& dir,
                                                               const base::Clock& clock);

  DataDirLayout layout_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::SqlKeyStore> key_store_;
  std::unique_ptr<crypto::KeyRing> ring_;
  std::unique_ptr<storage::Store> audit_store_;
  std::unique_ptr<audit::AuditLog> audit_log_;

  std::uint64_t identity_key_ = 0;
  std::unique_ptr<identity::TwoFactor> two_factor_;
  std::unique_ptr<identity::TenantStore> tenants_;
  std::unique_ptr<identity::Accounts> accounts_;
  std::unique_ptr<identity::Sessions> sessions_;
};

// The main store remembers that the data directory has an audit log (recorded the first time),
// so deleting audit.db together with its checkpoint file is noticed rather than silently starting
// a new, empty log. Errors: kDataLoss when the log is missing; store errors.
base::Status CheckAuditStorePresent(storage::Store& store, const DataDirLayout& layout,
                                    const base::Clock& clock);

}  // namespace strongroom::cli
