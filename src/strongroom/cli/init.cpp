#include "strongroom/cli/init.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/cli/data_dir.hpp"
#include "strongroom/cli/opened_data_dir.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/crypto/tls.hpp"
#include "strongroom/identity/accounts.hpp"
#include "strongroom/identity/passphrase_policy.hpp"
#include "strongroom/isms/frameworks.hpp"
#include "strongroom/isms/library.hpp"
#include "strongroom/storage/key_store.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"

namespace strongroom::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxPasswordFileBytes = 4096;
constexpr std::size_t kMaxPemBytes = 1 << 20;

// Removes a half-built directory unless released.
class ScratchDir {
 public:
  explicit ScratchDir(fs::path path) : path_(std::move(path)) {}
  ~ScratchDir() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

base::Result<base::SecretString> ReadPasswordFile(const fs::path& path) {
  auto text = base::ReadSmallFile(path, kMaxPasswordFileBytes);
  if (!text.ok()) return text.error().WithContext("password file");
  base::SecretString secret(std::move(text).value());
  std::string& s = secret.mutable_value();
  // One trailing newline is how most editors and `echo` end a file; it is not part of it.
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return secret;
}

base::Status CheckEmptyOrAbsent(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (ec || status.type() == fs::file_type::not_found) return base::OkStatus();
  if (status.type() != fs::file_type::directory || !fs::is_empty(dir, ec) || ec) {
    return base::AlreadyExistsError(
        "data directory " + dir.string() +
        " already exists and is not empty; init changed nothing. Choose a new directory, or run "
        "`strongroom serve --data-dir " +
        dir.string() + "` to use this one");
  }
  return base::OkStatus();
}

}  // namespace

base::SecretString GeneratePassphrase() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  base::SecretString out{std::string()};
  out.mutable_value().reserve(29);
  for (int i = 0; i < 24; ++i) {
    if (i > 0 && i % 4 == 0) out.mutable_value().push_back('-');
    out.mutable_value().push_back(kAlphabet[crypto::RandomUniform(sizeof kAlphabet - 1)]);
  }
  return out;
}

base::Result<InitReport> InitDataDir(const InitOptions& options, const base::Clock& clock,
                                     const audit::Actor& actor, audit::Sink* observer) {
  if (options.data_dir.empty()) return base::InvalidArgumentError("--data-dir must not be empty");
  const fs::path data_dir = fs::absolute(options.data_dir).lexically_normal();
  const fs::path target = data_dir.has_filename() ? data_dir : data_dir.parent_path();
  const fs::path parent = target.parent_path();

  // Everything that can be checked before touching the disk is checked first.
  SR_RETURN_IF_ERROR(CheckEmptyOrAbsent(target));
  if (!fs::is_directory(parent)) {
    return base::NotFoundError("the parent directory " + parent.string() +
                               " does not exist; create it first");
  }
  SR_RETURN_IF_ERROR(identity::ValidateUsername(options.admin).WithContext("--admin"));
  std::optional<base::SecretString> generated;
  base::SecretString passphrase;
  if (options.password_file) {
    SR_ASSIGN_OR_RETURN(passphrase, ReadPasswordFile(*options.password_file));
  } else {
    do {
      passphrase = GeneratePassphrase();
    } while (!identity::CheckPassphrase(passphrase, options.admin).ok());
    generated = passphrase.Clone();
  }
  SR_RETURN_IF_ERROR(identity::CheckPassphrase(passphrase, options.admin)
                         .WithContext("the admin passphrase in the password file"));
  if (options.tls_cert.has_value() != options.tls_key.has_value()) {
    return base::InvalidArgumentError("--tls-cert and --tls-key go together: give both or neither");
  }
  crypto::TlsCredentials tls;
  bool self_signed = true;
  if (options.tls_cert) {
    SR_ASSIGN_OR_RETURN(tls.cert_chain_pem, base::ReadSmallFile(*options.tls_cert, kMaxPemBytes));
    auto key = base::ReadSmallFile(*options.tls_key, kMaxPemBytes);
    if (!key.ok()) return key.error().WithContext("--tls-key");
    tls.private_key_pem = base::SecretString(std::move(key).value());
    self_signed = false;
  } else {
    SR_ASSIGN_OR_RETURN(
        tls, crypto::GenerateSelfSignedCertificate({"localhost"}, {"127.0.0.1", "::1"}, clock.Now(),
                                                   std::chrono::days(397)));
  }
  SR_ASSIGN_OR_RETURN(const crypto::CertificateInfo cert,
                      crypto::CheckCertificateAndKey(tls.cert_chain_pem, tls.private_key_pem));

  std::string scratch_template = (parent / ".strongroom-init-XXXXXX").string();
  if (::mkdtemp(scratch_template.data()) == nullptr) {
    return base::ErrnoError("cannot create a working directory in " + parent.string(), errno);
  }
  ScratchDir scratch(scratch_template);
  const DataDirLayout layout(scratch.path());
  if (::chmod(scratch.path().c_str(), 0700) != 0 || ::mkdir(layout.tls_dir().c_str(), 0700) != 0) {
    return base::ErrnoError("cannot prepare " + scratch.path().string(), errno);
  }

  const crypto::RootKey root_key = crypto::GenerateRootKey();
  SR_RETURN_IF_ERROR(
      base::WriteNewFile(layout.root_key(), crypto::EncodeRootKeyFile(root_key).Reveal(), 0600));
  SR_RETURN_IF_ERROR(base::WriteNewFile(layout.tls_cert(), tls.cert_chain_pem, 0644));
  SR_RETURN_IF_ERROR(base::WriteNewFile(layout.tls_key(), tls.private_key_pem.Reveal(), 0600));

  InitReport report;
  {
    storage::SqliteOptions store_options;
    store_options.path = layout.store();
    store_options.create = true;
    store_options.reader_connections = 1;
    SR_ASSIGN_OR_RETURN(auto store, storage::OpenSqliteStore(store_options, clock));
    if (::chmod(layout.store().c_str(), 0600) != 0) {
      return base::ErrnoError("cannot restrict " + layout.store().string(), errno);
    }
    storage::SqlKeyStore key_store(*store);
    SR_ASSIGN_OR_RETURN(auto ring, crypto::KeyRing::Open(root_key.Clone(), key_store, clock));
    // The first key: from now on a wrong root key is detected at start-up, before anything else.
    SR_RETURN_IF_ERROR(ring->CreateKey("instance").status());
    SR_ASSIGN_OR_RETURN(const std::uint64_t identity_key, ring->CreateKey("identity"));

    report.instance_id = identity::NewRandomId("ins");
    {
      SR_ASSIGN_OR_RETURN(auto tx, store->BeginWrite());
      for (const auto& [key, value] :
           {std::pair<std::string, std::string>{"instance_id", report.instance_id},
            {"created_at", base::FormatRfc3339(clock.Now())}}) {
        SR_RETURN_IF_ERROR(tx->Execute("INSERT INTO instance (key, value) VALUES (?, ?)",
                                       {storage::Text(key), storage::Text(value)}));
      }
      SR_RETURN_IF_ERROR(tx->Commit());
    }
    // The audit log starts with the data directory: the admin's creation is its first event.
    SR_RETURN_IF_ERROR(CheckAuditStorePresent(*store, layout, clock));  // Marks it as made.
    SR_ASSIGN_OR_RETURN(auto audit_store, audit::OpenAuditStore(layout.audit_store(), clock));
    SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair checkpoint_key, audit::CheckpointSigningKey(*ring));
    SR_ASSIGN_OR_RETURN(auto audit_log,
                        audit::AuditLog::Open(*audit_store, std::move(checkpoint_key),
                                              layout.audit_checkpoints(), clock));

    std::optional<audit::TeeSink> tee;
    if (observer != nullptr) tee.emplace(*audit_log, *observer);
    audit::Sink& audit = tee ? static_cast<audit::Sink&>(*tee) : *audit_log;
    const identity::TwoFactor two_factor(*ring, identity_key, clock);
    identity::Accounts accounts(*store, two_factor, audit, clock);
    SR_ASSIGN_OR_RETURN(
        identity::CreatedUser admin,
        accounts.Create(actor, identity::NewUser{options.admin, identity::Role::kAdmin,
                                                 std::nullopt, std::move(passphrase)}));
    report.admin_id = admin.user.id;
    report.admin_two_factor = std::move(*admin.enrollment);
    // The framework catalogs the binary ships; every later start loads them again if changed.
    isms::Frameworks frameworks(*store, audit, clock);
    SR_RETURN_IF_ERROR(frameworks.LoadShipped(isms::CatalogLoaderActor()).status());
    // The default control library, owned by the first admin until the security officer
    // reassigns each control.
    isms::Controls controls(*store, audit, clock);
    SR_ASSIGN_OR_RETURN(const isms::ControlLibrary library, isms::ShippedControlLibrary());
    SR_RETURN_IF_ERROR(
        isms::InstallControlLibrary(controls, frameworks, actor, admin.user.id.value(), library)
            .status());
    SR_ASSIGN_OR_RETURN(report.schema_version, store->SchemaVersion());
    SR_RETURN_IF_ERROR(audit_log->Close());
    SR_RETURN_IF_ERROR(audit_store->Close());
    SR_RETURN_IF_ERROR(store->Close());
  }

  SR_RETURN_IF_ERROR(base::SyncDirectory(layout.tls_dir()));
  SR_RETURN_IF_ERROR(base::SyncDirectory(scratch.path()));
  // rename(2) replaces an empty directory atomically; a non-empty one makes it fail (ENOTEMPTY),
  // which covers a directory that appeared since the check above.
  if (::rename(scratch.path().c_str(), target.c_str()) != 0) {
    const int err = errno;
    if (err == ENOTEMPTY || err == EEXIST) SR_RETURN_IF_ERROR(CheckEmptyOrAbsent(target));
    return base::ErrnoError("cannot move the new data directory into " + target.string(), err);
  }
  scratch.Release();
  SR_RETURN_IF_ERROR(base::SyncDirectory(parent));

  const DataDirLayout final_layout(target);
  report.data_dir = target;
  report.root_key_file = final_layout.root_key();
  report.store_file = final_layout.store();
  report.tls_cert_file = final_layout.tls_cert();
  report.tls_key_file = final_layout.tls_key();
  report.tls_self_signed = self_signed;
  report.tls_sha256_fingerprint = cert.sha256_fingerprint;
  report.tls_not_after = cert.not_after;
  report.admin_username = options.admin;
  report.generated_password = std::move(generated);
  return report;
}

}  // namespace strongroom::cli
