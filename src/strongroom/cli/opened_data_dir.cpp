#include "strongroom/cli/opened_data_dir.hpp"

#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::cli {

base::Result<std::unique_ptr<OpenedDataDir>> OpenedDataDir::Open(const std::filesystem::path& dir,
                                                                 const base::Clock& clock,
                                                                 audit::Sink& audit,
                                                                 identity::SessionPolicy sessions) {
  SR_RETURN_IF_ERROR(identity::ValidateSessionPolicy(sessions));
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
  // Data directories made before two-factor sign-in existed have no identity key yet.
  SR_ASSIGN_OR_RETURN(d->identity_key_, d->ring_->FindOrCreateKey("identity"));
  d->two_factor_ = std::make_unique<identity::TwoFactor>(*d->ring_, d->identity_key_, clock);
  d->tenants_ = std::make_unique<identity::TenantStore>(*d->store_, audit, clock);
  d->accounts_ = std::make_unique<identity::Accounts>(*d->store_, *d->two_factor_, audit, clock);
  d->sessions_ = std::make_unique<identity::Sessions>(*d->store_, audit, clock, sessions);
  return d;
}

OpenedDataDir::~OpenedDataDir() { (void)Close(); }

base::Status OpenedDataDir::Close() { return store_ ? store_->Close() : base::OkStatus(); }

}  // namespace strongroom::cli
