#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/backup/keys.hpp"
#include "strongroom/backup/retention.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/key_provider.hpp"
#include "strongroom/crypto/sign.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/storage/store.hpp"

namespace strongroom::backup {

// A backup is a directory DEST/<id>/ holding data.sbk (the sealed payload: stream.hpp) and
// manifest.json with manifest.mac (HMAC-SHA256 of manifest.json under a root-derived key). The
// payload's archive holds a consistent copy of the data directory: strongroom.db (without any
// tenant's keys), audit.db, audit-checkpoints.jsonl, tls/ and files/. Each tenant's data and
// index keys are in the manifest, sealed under the tenant's backup key (keys.hpp), which the
// destination keeps apart in tenant-keys/. See docs/backup.md.

struct TenantSummary {
  std::string id;
  std::string name;
  std::uint64_t records = 0;
  std::uint64_t files = 0;
};

struct BackupInfo {
  std::string id;
  std::string created_at;
  std::filesystem::path directory;  // Where this copy was found (DEST/<id>).
  int schema_version = 0;
  std::uint64_t archive_bytes = 0;
  std::uint64_t payload_bytes = 0;
  std::string payload_sha256;
  std::uint64_t audit_tree_size = 0;  // The audit checkpoint in the backup.
  std::string audit_root;
  std::vector<TenantSummary> tenants;
  // From the live store, when it knows the backup.
  bool held = false;
  std::optional<std::string> verified_at;
  std::optional<bool> verified_ok;
  std::vector<std::string> destinations;
  std::uint64_t duration_ms = 0;
  std::string problem;  // Set by List for a directory whose manifest does not verify.
};

// Reads and authenticates a backup's manifest. Errors: kNotFound (no backup there);
// kPermissionDenied (the root key is not the one the backup was made with); kDataLoss (the
// manifest was changed or is not a manifest).
base::Result<BackupInfo> ReadBackup(const std::filesystem::path& backup_dir,
                                    const crypto::RootKey& root);

struct ShreddedTenant {
  std::string id;
  std::string name;
  std::string shredded_at;
};

struct RestoreResult {
  BackupInfo backup;
  std::filesystem::path data_dir;
  std::vector<TenantSummary> tenants;    // Restored with their keys.
  std::vector<ShreddedTenant> shredded;  // Shredded after the backup: restored without data.
};

// Restores the backup in `backup_dir` into `new_dir`, a data directory `serve` can start from,
// with `root` written to new_dir/root.key (the data keys are wrapped under it). Everything is
// checked before new_dir appears: the manifest's MAC, every chunk, the payload's size and hash,
// every entry against the manifest. A tenant whose backup key the destination no longer has
// because it was shredded is restored as shredded: no keys, no data. `new_dir` must not exist
// (or be an empty directory); nothing is left behind on error. When `record` is set, the restore
// is recorded as "backup.restore" in the restored audit log. Errors: kAlreadyExists,
// kPermissionDenied (wrong root key), kDataLoss (any changed or missing byte; the message says
// what), kFailedPrecondition (a newer schema; a tenant key missing without a shred record), I/O.
// Verification restores into scratch with `durable` unset: nothing is fsynced, as the copy is
// checked and thrown away.
base::Result<RestoreResult> RestoreBackup(const std::filesystem::path& backup_dir,
                                          const std::filesystem::path& new_dir,
                                          const crypto::RootKey& root, const base::Clock& clock,
                                          const audit::Actor& actor, bool record = true,
                                          bool durable = true);

// The live instance a backup is taken from.
struct Sources {
  storage::Store* store = nullptr;
  storage::Store* audit_store = nullptr;
  std::filesystem::path checkpoint_file;
  std::filesystem::path files_dir;
  std::filesystem::path tls_dir;
  // Snapshots and verification restores are made here; keep it on the data directory's disk.
  std::filesystem::path scratch_dir;
};

// The signed outcome of a verification (also recorded, with its hash and signature, as
// "backup.verify" in the audit log).
struct Verification {
  std::string backup_id;
  bool ok = false;
  std::vector<std::string> problems;
  std::string statement;  // Canonical JSON: what was checked and found.
  std::string signature;  // Ed25519 over `statement`, base64url.
  std::string key_id;
};

struct PruneResult {
  std::vector<std::string> removed;
  std::vector<std::string> kept;
};

// Creates, verifies, lists and prunes the live instance's backups; every operation is audited
// (allowed or failed) and its last outcome kept for /metrics. Operations are serialised.
// Thread-safe.
class Backups {
 public:
  // `signing_key` signs verification statements: the audit checkpoint key.
  Backups(Sources sources, crypto::RootKey root, audit::Sink& audit, const base::Clock& clock,
          crypto::Ed25519KeyPair signing_key);

  // Takes a consistent snapshot while the server keeps serving and writes the same backup to
  // every destination (created if needed). Errors: kInvalidArgument (no destination);
  // kAborted (a file went away while it was copied: try again), store and I/O errors. Nothing
  // is left in any destination on error.
  base::Result<BackupInfo> Create(const audit::Actor& actor,
                                  const std::vector<std::filesystem::path>& destinations);
  // Restores the backup into scratch, verifies the restored audit log, counts every tenant's
  // records and files and decrypts a sample of `sample` of each; records the signed outcome.
  // A backup that fails verification is a Verification with ok = false, not an error.
  base::Result<Verification> Verify(const audit::Actor& actor,
                                    const std::filesystem::path& backup_dir,
                                    std::size_t sample = 20);
  // Every backup in `destinations`, newest first, one entry per id (with every directory it is
  // in), with its hold and last verification from the live store.
  base::Result<std::vector<BackupInfo>> List(
      const std::vector<std::filesystem::path>& destinations);
  // Removes what `policy` does not keep from every destination; never a held backup.
  base::Result<PruneResult> Prune(const audit::Actor& actor,
                                  const std::vector<std::filesystem::path>& destinations,
                                  const RetentionPolicy& policy);
  // Every destination this instance has written a backup to (canonical paths, sorted).
  base::Result<std::vector<std::filesystem::path>> KnownDestinations();
  // Legal hold on one backup (kNotFound for an id the live store does not know).
  base::Status Hold(const audit::Actor& actor, const std::string& id, const std::string& reason);
  base::Status Release(const audit::Actor& actor, const std::string& id);
  // Records a restore done by RestoreBackup into this instance's log and operation metrics.
  base::Status RecordRestore(const audit::Actor& actor, const base::Result<RestoreResult>& result,
                             const std::filesystem::path& backup_dir, std::uint64_t duration_ms);

  // The shred hook: destroys the tenant's backup key in every destination ever used.
  base::Status DestroyTenantKeys(const identity::TenantId& tenant);

  struct OperationStats {
    std::string operation;
    std::uint64_t successes = 0;
    std::uint64_t failures = 0;
    std::optional<std::string> last_success_at;
    std::uint64_t last_duration_ms = 0;
    std::uint64_t last_bytes = 0;
    std::optional<std::string> last_failure_at;
  };
  // The last outcome of create, prune, verify and restore, from the store (so operations run by
  // the CLI show too).
  base::Result<std::vector<OperationStats>> Stats();

 private:
  base::Result<BackupInfo> CreateOnce(const std::string& id,
                                      const std::vector<std::filesystem::path>& destinations);
  base::Status RecordOperation(const std::string& operation, const base::Status& outcome,
                               std::uint64_t duration_ms, std::uint64_t bytes);

  const Sources sources_;
  const crypto::RootKey root_;
  BackupKeys keys_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const crypto::Ed25519KeyPair signing_key_;
  base::Mutex mu_;  // One operation at a time.
};

}  // namespace strongroom::backup
