#include "strongroom/cli/opened_data_dir.hpp"

#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::cli {

base::Status CheckAuditStorePresent(storage::Store& store, const DataDirLayout& layout,
                                    const base::Clock& clock) {
  SR_ASSIGN_OR_RETURN(auto tx, store.BeginWrite());
  SR_ASSIGN_OR_RETURN(const auto rows,
                      tx->Query("SELECT value FROM instance WHERE key = 'audit_log_created_at'"));
  const bool present = std::filesystem::exists(layout.audit_store());
  if (!rows.empty() && !present) {
    return base::DataLossError("the audit log " + layout.audit_store().string() +
                               " is missing; this data directory has had one since " +
                               rows[0].GetText(0).value_or("?") +
                               ". Restore it from a backup; the server will not start without it");
  }
  if (rows.empty()) {
    SR_RETURN_IF_ERROR(
        tx->Execute("INSERT INTO instance (key, value) VALUES ('audit_log_created_at', ?)",
                    {storage::Text(base::FormatRfc3339(clock.Now()))}));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  return base::OkStatus();
}

base::Result<std::unique_ptr<OpenedDataDir>> OpenedDataDir::OpenKeys(
    const std::filesystem::path& dir, const base::Clock& clock) {
  std::unique_ptr<OpenedDataDir> d(new OpenedDataDir(dir));
  if (!std::filesystem::is_directory(d->layout_.root())) {
    return base::NotFoundError("no data directory at " + dir.string() +
                               "; create one with `strongroom init --data-dir " + dir.string() +
                               "`");
  }
  crypto::FileKeyProvider key_provider(d->layout_.root_key());
  SR_ASSIGN_OR_RETURN(crypto::RootKey root_key, key_provider.LoadRootKey());
  storage::SqliteOptions options;
  options.path = d->layout_.store();
  SR_ASSIGN_OR_RETURN(d->store_, storage::OpenSqliteStore(options, clock));
  d->key_store_ = std::make_unique<storage::SqlKeyStore>(*d->store_);
  SR_ASSIGN_OR_RETURN(d->ring_, crypto::KeyRing::Open(std::move(root_key), *d->key_store_, clock));
  return d;
}

base::Result<std::unique_ptr<OpenedDataDir>> OpenedDataDir::OpenForAuditVerification(
    const std::filesystem::path& dir, const base::Clock& clock) {
  SR_ASSIGN_OR_RETURN(auto d, OpenKeys(dir, clock));
  SR_ASSIGN_OR_RETURN(d->audit_store_,
                      audit::OpenAuditStore(d->layout_.audit_store(), clock, /*create=*/false));
  return d;
}

base::Result<std::unique_ptr<OpenedDataDir>> OpenedDataDir::Open(
    const std::filesystem::path& dir, const base::Clock& clock, identity::SessionPolicy sessions,
    audit::AuditLogOptions audit_options) {
  SR_RETURN_IF_ERROR(identity::ValidateSessionPolicy(sessions));
  SR_ASSIGN_OR_RETURN(auto d, OpenKeys(dir, clock));

  // Data directories made before two-factor sign-in existed have no identity key yet.
  SR_ASSIGN_OR_RETURN(d->identity_key_, d->ring_->FindOrCreateKey("identity"));
  SR_RETURN_IF_ERROR(CheckAuditStorePresent(*d->store_, d->layout_, clock));
  SR_ASSIGN_OR_RETURN(d->audit_store_, audit::OpenAuditStore(d->layout_.audit_store(), clock));
  SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair checkpoint_key,
                      audit::CheckpointSigningKey(*d->ring_));
  SR_ASSIGN_OR_RETURN(
      d->audit_log_,
      audit::AuditLog::Open(*d->audit_store_, std::move(checkpoint_key),
                            d->layout_.audit_checkpoints(), clock, std::move(audit_options)));
  audit::Sink& audit = *d->audit_log_;
  d->two_factor_ = std::make_unique<identity::TwoFactor>(*d->ring_, d->identity_key_, clock);
  d->tenants_ = std::make_unique<identity::TenantStore>(*d->store_, audit, clock);
  d->accounts_ = std::make_unique<identity::Accounts>(*d->store_, *d->two_factor_, audit, clock);
  d->sessions_ = std::make_unique<identity::Sessions>(*d->store_, audit, clock, sessions);
  // The upgrade path: a binary that ships changed catalogs loads them (a no-op otherwise).
  isms::Frameworks frameworks(*d->store_, audit, clock);
  SR_RETURN_IF_ERROR(frameworks.LoadShipped(isms::CatalogLoaderActor()).status());
  return d;
}

OpenedDataDir::~OpenedDataDir() { (void)Close(); }

base::Status OpenedDataDir::Close() {
  base::Status status;
  if (audit_log_) status = audit_log_->Close();
  if (audit_store_) {
    if (base::Status s = audit_store_->Close(); status.ok()) status = s;
  }
  if (store_) {
    if (base::Status s = store_->Close(); status.ok()) status = s;
  }
  return status;
}

}  // namespace strongroom::cli
