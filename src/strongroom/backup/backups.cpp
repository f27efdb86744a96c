#include "strongroom/backup/backups.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "strongroom/audit/audit_log.hpp"
#include "strongroom/audit/checkpoint.hpp"
#include "strongroom/audit/keys.hpp"
#include "strongroom/audit/schema.hpp"
#include "strongroom/audit/verify.hpp"
#include "strongroom/backup/stream.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/key_ring.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/storage/key_store.hpp"
#include "strongroom/storage/migrations/migrations.hpp"
#include "strongroom/storage/sqlite/sqlite_store.hpp"
#include "strongroom/vault/integrity.hpp"
#include "strongroom/vault/shred.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using storage::Int;
using storage::Text;

constexpr std::string_view kFormat = "strongroom.backup.v1";
constexpr std::string_view kPayload = "data.sbk";
constexpr std::string_view kManifest = "manifest.json";
constexpr std::string_view kManifestMac = "manifest.mac";
constexpr std::string_view kTenantKeyPurposePrefix = "tenant:";

base::Bytes Aad(std::string_view domain, std::string_view a, std::string_view b = {}) {
  std::string s(domain);
  s += ':';
  s += a;
  s += ':';
  s += b;
  return base::Bytes(s.begin(), s.end());
}

std::uint64_t MillisSince(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
}

// Removes what it holds when it goes out of scope, unless released.
class Cleanup {
 public:
  Cleanup() = default;
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;
  ~Cleanup() {
    for (const fs::path& p : paths_) {
      std::error_code ignored;
      fs::remove_all(p, ignored);
    }
  }
  void Add(fs::path p) { paths_.push_back(std::move(p)); }
  void Release() { paths_.clear(); }

 private:
  std::vector<fs::path> paths_;
};

base::Status MakePrivateDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return base::UnavailableError("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  return base::OkStatus();
}

fs::path Canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p) : c;
}

// The tenant a key purpose belongs to: "tenant:<id>:data" -> <id>.
std::optional<std::string> TenantOfPurpose(std::string_view purpose) {
  if (!purpose.starts_with(kTenantKeyPurposePrefix)) return std::nullopt;
  purpose.remove_prefix(kTenantKeyPurposePrefix.size());
  const auto colon = purpose.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return std::string(purpose.substr(0, colon));
}

// A manifest read back and authenticated.
struct Manifest {
  json doc;
  BackupInfo info;
};

base::Result<Manifest> ReadManifest(const fs::path& backup_dir, const BackupKeys& keys) {
  auto text = base::ReadSmallFile(backup_dir / kManifest, 64 << 20);
  if (!text.ok()) {
    if (text.status().code() == base::ErrorCode::kNotFound) {
      return base::NotFoundError("no backup at " + backup_dir.string() + " (no " +
                                 std::string(kManifest) + ")");
    }
    return text.status();
  }
  auto mac_text = base::ReadSmallFile(backup_dir / kManifestMac, 1024);
  if (!mac_text.ok()) {
    return base::DataLossError("the backup at " + backup_dir.string() + " has no readable " +
                               std::string(kManifestMac));
  }
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kFormat) {
    return base::DataLossError(backup_dir.string() + "/" + std::string(kManifest) +
                               " is not a Strongroom backup manifest (format " +
                               std::string(kFormat) + ")");
  }
  if (doc.value("key_check", "") != keys.key_check) {
    return base::PermissionDeniedError(
        "the root key given is not the one the backup at " + backup_dir.string() +
        " was made with (or its manifest was altered); give the root key of the instance that "
        "made it");
  }
  const crypto::Sha256Digest mac =
      crypto::HmacSha256(keys.manifest_mac.Reveal(), base::AsBytes(*text));
  std::string given = *mac_text;
  while (!given.empty() && (given.back() == '\n' || given.back() == '\r')) given.pop_back();
  if (!crypto::ConstantTimeEquals(base::AsBytes(base::HexEncode(mac)), base::AsBytes(given))) {
    return base::DataLossError("the manifest of the backup at " + backup_dir.string() +
                               " was altered: its MAC does not match");
  }
  Manifest m;
  try {
    BackupInfo& i = m.info;
    i.id = doc.at("id").get<std::string>();
    i.created_at = doc.at("created_at").get<std::string>();
    i.directory = backup_dir;
    i.schema_version = doc.at("schema_version").get<int>();
    const json& p = doc.at("payload");
    i.archive_bytes = p.at("archive_bytes").get<std::uint64_t>();
    i.payload_bytes = p.at("bytes").get<std::uint64_t>();
    i.payload_sha256 = p.at("sha256").get<std::string>();
    if (doc.contains("audit_checkpoint") && doc["audit_checkpoint"].is_object()) {
      i.audit_tree_size = doc["audit_checkpoint"].at("tree_size").get<std::uint64_t>();
      i.audit_root = doc["audit_checkpoint"].at("root").get<std::string>();
    }
    for (const json& t : doc.at("tenants")) {
      i.tenants.push_back({t.at("id").get<std::string>(), t.at("name").get<std::string>(),
                           t.at("records").get<std::uint64_t>(),
                           t.at("files").get<std::uint64_t>()});
    }
    if (i.id != backup_dir.filename().string()) {
      return base::DataLossError("the backup at " + backup_dir.string() + " is backup " + i.id +
                                 ": a backup's directory must keep its id as its name");
    }
  } catch (const json::exception& e) {
    return base::DataLossError("the manifest of the backup at " + backup_dir.string() +
                               " is incomplete: " + e.what());
  }
  m.doc = std::move(doc);
  return m;
}

struct KeyRow {
  std::int64_t key_id = 0;
  std::int64_t version = 0;
  std::string purpose;
  std::string wrapped;  // base64url
  std::string created_at;
};

json KeyRowsToJson(const std::vector<KeyRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    out.push_back({{"key_id", r.key_id},
                   {"version", r.version},
                   {"purpose", r.purpose},
                   {"wrapped", r.wrapped},
                   {"created_at", r.created_at}});
  }
  return out;
}

base::Result<std::unique_ptr<storage::Store>> OpenCopy(const fs::path& path,
                                                       const base::Clock& clock) {
  storage::SqliteOptions options;
  options.path = path;
  options.reader_connections = 1;
  return storage::OpenSqliteStore(options, clock);
}

int LatestSchema() {
  int latest = 0;
  for (const auto& m : storage::AllMigrations()) latest = std::max(latest, m.version);
  return latest;
}

}  // namespace

base::Result<BackupInfo> ReadBackup(const fs::path& backup_dir, const crypto::RootKey& root) {
  SR_ASSIGN_OR_RETURN(const BackupKeys keys, DeriveBackupKeys(root));
  SR_ASSIGN_OR_RETURN(Manifest m, ReadManifest(backup_dir, keys));
  return std::move(m.info);
}

base::Result<RestoreResult> RestoreBackup(const fs::path& backup_dir_in, const fs::path& new_dir_in,
                                          const crypto::RootKey& root, const base::Clock& clock,
                                          const audit::Actor& actor, bool record, bool durable) {
  const fs::path backup_dir = Canonical(backup_dir_in);
  const fs::path new_dir = Canonical(new_dir_in);
  SR_ASSIGN_OR_RETURN(const BackupKeys keys, DeriveBackupKeys(root));
  SR_ASSIGN_OR_RETURN(Manifest m, ReadManifest(backup_dir, keys));
  const std::string& id = m.info.id;
  if (m.info.schema_version > LatestSchema()) {
    return base::FailedPreconditionError(
        "backup " + id + " was made by a newer Strongroom (store schema " +
        std::to_string(m.info.schema_version) + "; this build knows up to " +
        std::to_string(LatestSchema()) + "): restore it with that version or later");
  }
  std::error_code ec;
  bool replace_empty_dir = false;
  if (fs::exists(new_dir, ec)) {
    if (!fs::is_directory(new_dir, ec) || !fs::is_empty(new_dir, ec)) {
      return base::AlreadyExistsError(new_dir.string() +
                                      " exists and is not an empty directory; restore into a "
                                      "new directory");
    }
    replace_empty_dir = true;
  }
  const fs::path staging =
      new_dir.parent_path() / ("." + new_dir.filename().string() + ".restoring-" +
                               base::HexEncode(crypto::RandomArray<4>()));
  SR_RETURN_IF_ERROR(MakePrivateDir(staging));
  Cleanup cleanup;
  cleanup.Add(staging);

  // The payload: its size first (a truncated copy is named as such), then every chunk.
  const fs::path payload = backup_dir / kPayload;
  const auto on_disk = fs::file_size(payload, ec);
  if (ec) return base::DataLossError("backup " + id + " has no " + std::string(kPayload));
  if (on_disk != m.info.payload_bytes) {
    return base::DataLossError("the payload of backup " + id + " is " + std::to_string(on_disk) +
                               " bytes but its manifest says " +
                               std::to_string(m.info.payload_bytes) +
                               ": it was truncated or extended");
  }
  crypto::Aes256Key content_key;
  {
    auto sealed = base::Base64UrlDecode(m.doc.value("content_key", ""));
    if (!sealed.ok()) return base::DataLossError("backup " + id + " has no content key");
    auto opened = Unseal(keys.wrapping, Aad("strongroom/v1/backup-content-key", id), *sealed);
    if (!opened.ok() || opened->size() != crypto::kAes256KeySize) {
      return base::DataLossError("the content key of backup " + id + " does not open");
    }
    std::copy_n(opened->begin(), crypto::kAes256KeySize, content_key.mutable_value().begin());
    base::SecureWipe(opened->data(), opened->size());
  }
  SR_ASSIGN_OR_RETURN(auto reader, PayloadReader::Open(payload, content_key, id));
  auto entries = ExtractArchive(*reader, staging, durable);
  if (!entries.ok()) {
    return base::DataLossError("backup " + id +
                               " cannot be restored: " + entries.status().message());
  }
  if (reader->summary().payload_sha256 != m.info.payload_sha256) {
    return base::DataLossError("the payload of backup " + id +
                               " does not have the SHA-256 its manifest records");
  }
  {
    std::vector<ArchiveEntry> expected;
    try {
      for (const json& e : m.doc.at("entries")) {
        expected.push_back({e.at("path").get<std::string>(), e.at("size").get<std::uint64_t>(),
                            e.at("sha256").get<std::string>()});
      }
    } catch (const json::exception&) {
      return base::DataLossError("the manifest of backup " + id + " lists its entries wrongly");
    }
    const auto same = [](const ArchiveEntry& a, const ArchiveEntry& b) {
      return a.path == b.path && a.size == b.size && a.sha256 == b.sha256;
    };
    if (!std::equal(expected.begin(), expected.end(), entries->begin(), entries->end(), same)) {
      return base::DataLossError("the contents of backup " + id +
                                 " do not match its manifest (an entry's path, size or hash)");
    }
  }

  // Tenants' keys, from the destination's tenant-keys/.
  RestoreResult result;
  result.backup = m.info;
  const fs::path destination = backup_dir.parent_path();
  TenantKeyEscrow escrow(keys.wrapping, clock);
  std::vector<KeyRow> rows;
  for (const json& t : m.doc.at("tenants")) {
    const std::string tenant = t.at("id").get<std::string>();
    const std::string name = t.at("name").get<std::string>();
    if (!t.contains("keys") || t["keys"].is_null()) continue;  // Had no keys: nothing to open.
    if (auto at = escrow.ShreddedAt(destination, tenant)) {
      result.shredded.push_back({tenant, name, *at});
      continue;
    }
    auto key = escrow.Load(destination, tenant);
    if (!key.ok()) {
      if (key.status().code() == base::ErrorCode::kNotFound) {
        return base::FailedPreconditionError(
            "the backup key of tenant " + tenant + " (" + name + ") is not in " +
            (destination / "tenant-keys").string() +
            " and no shred of it is recorded there: copy tenant-keys/ from another destination "
            "of this backup, then restore again");
      }
      return key.status();
    }
    const std::string fingerprint = escrow.Fingerprint(*key);
    std::optional<base::Bytes> sealed;
    for (const json& k : t["keys"]) {
      if (k.value("key", "") != fingerprint) continue;
      auto decoded = base::Base64UrlDecode(k.value("sealed", ""));
      if (!decoded.ok()) return base::DataLossError("tenant " + tenant + "'s keys are damaged");
      sealed = std::move(*decoded);
    }
    if (!sealed) {
      return base::DataLossError("the backup key of tenant " + tenant + " in " +
                                 (destination / "tenant-keys").string() + " is not one backup " +
                                 id +
                                 " was sealed for: restore from the destination it was written to");
    }
    auto plain = Unseal(*key, Aad("strongroom/v1/backup-tenant-keys", id, tenant), *sealed);
    if (!plain.ok()) {
      return base::DataLossError("the keys of tenant " + tenant + " in backup " + id +
                                 " do not open with the tenant's backup key in " +
                                 destination.string());
    }
    const json list = json::parse(plain->begin(), plain->end(), nullptr, false);
    base::SecureWipe(plain->data(), plain->size());
    if (!list.is_array()) return base::DataLossError("tenant " + tenant + "'s keys are damaged");
    for (const json& r : list) {
      rows.push_back({r.at("key_id").get<std::int64_t>(), r.at("version").get<std::int64_t>(),
                      r.at("purpose").get<std::string>(), r.at("wrapped").get<std::string>(),
                      r.at("created_at").get<std::string>()});
    }
    result.tenants.push_back(
        {tenant, name, t.at("records").get<std::uint64_t>(), t.at("files").get<std::uint64_t>()});
  }

  {
    SR_ASSIGN_OR_RETURN(auto store, OpenCopy(staging / "strongroom.db", clock));
    {
      SR_ASSIGN_OR_RETURN(auto tx, store->BeginWrite());
      for (const KeyRow& r : rows) {
        SR_ASSIGN_OR_RETURN(const base::Bytes wrapped, base::Base64UrlDecode(r.wrapped));
        SR_RETURN_IF_ERROR(tx->Execute(
            "INSERT INTO data_keys (key_id, version, purpose, wrapped, created_at) VALUES (?, ?, "
            "?, ?, ?)",
            {Int(r.key_id), Int(r.version), Text(r.purpose), storage::Blob(wrapped),
             Text(r.created_at)}));
      }
      for (const ShreddedTenant& s : result.shredded) {
        SR_RETURN_IF_ERROR(vault::DeleteTenantData(*tx, identity::TenantId(s.id), s.shredded_at,
                                                   "backup-restore:" + id));
      }
      SR_RETURN_IF_ERROR(tx->Commit());
    }
    SR_RETURN_IF_ERROR(store->Close());
  }
  for (const ShreddedTenant& s : result.shredded) fs::remove_all(staging / "files" / s.id, ec);
  fs::create_directories(staging / "files", ec);
  SR_RETURN_IF_ERROR(
      base::WriteNewFile(staging / "root.key", crypto::EncodeRootKeyFile(root).Reveal(), 0600));

  // The restored keys must open with the root key, and the restore goes into the restored log.
  {
    SR_ASSIGN_OR_RETURN(auto store, OpenCopy(staging / "strongroom.db", clock));
    storage::SqlKeyStore key_store(*store);
    auto ring = crypto::KeyRing::Open(root.Clone(), key_store, clock);
    if (!ring.ok()) {
      return base::DataLossError("the restored store's keys do not open with the root key: " +
                                 ring.status().message());
    }
    if (record) {
      SR_ASSIGN_OR_RETURN(auto audit_store,
                          audit::OpenAuditStore(staging / "audit.db", clock, /*create=*/false));
      SR_ASSIGN_OR_RETURN(crypto::Ed25519KeyPair signing, audit::CheckpointSigningKey(**ring));
      SR_ASSIGN_OR_RETURN(auto log,
                          audit::AuditLog::Open(*audit_store, std::move(signing),
                                                staging / "audit-checkpoints.jsonl", clock));
      audit::Event e = audit::MakeEvent(actor, clock.Now(), "backup.restore", "backup:" + id,
                                        audit::Outcome::kAllowed, "");
      e.details["backup_id"] = id;
      e.details["backup_created_at"] = m.info.created_at;
      e.details["tenants_restored"] = std::to_string(result.tenants.size());
      e.details["tenants_shredded"] = std::to_string(result.shredded.size());
      SR_RETURN_IF_ERROR(log->Record(e));
      SR_RETURN_IF_ERROR(log->Close());
      SR_RETURN_IF_ERROR(audit_store->Close());
    }
    SR_RETURN_IF_ERROR(store->Close());
  }

  SR_RETURN_IF_ERROR(base::SyncDirectory(staging));
  if (replace_empty_dir) fs::remove(new_dir, ec);
  fs::rename(staging, new_dir, ec);
  if (ec) {
    return base::UnavailableError("cannot move the restored data into " + new_dir.string() + ": " +
                                  ec.message());
  }
  cleanup.Release();
  SR_RETURN_IF_ERROR(base::SyncDirectory(new_dir.parent_path()));
  result.data_dir = new_dir;
  return result;
}

// ---- Backups ------------------------------------------------------------------------------------

Backups::Backups(Sources sources, crypto::RootKey root, audit::Sink& audit,
                 const base::Clock& clock, crypto::Ed25519KeyPair signing_key)
    : sources_(std::move(sources)),
      root_(std::move(root)),
      audit_(audit),
      clock_(clock),
      signing_key_(std::move(signing_key)) {
  auto keys = DeriveBackupKeys(root_);
  // HKDF over a 32-byte key with a short label cannot fail.
  SR_CHECK(keys.ok());
  keys_ = std::move(*keys);
}

base::Result<std::vector<fs::path>> Backups::KnownDestinations() {
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query("SELECT path FROM backup_destinations ORDER BY path", {}));
  std::vector<fs::path> out;
  for (const auto& r : rows) {
    SR_ASSIGN_OR_RETURN(std::string p, r.GetText(0));
    out.emplace_back(std::move(p));
  }
  return out;
}

base::Status Backups::RecordOperation(const std::string& operation, const base::Status& outcome,
                                      std::uint64_t duration_ms, std::uint64_t bytes) {
  const std::string now = base::FormatRfc3339(clock_.Now());
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO backup_operations (operation) VALUES (?) ON CONFLICT (operation) DO NOTHING",
      {Text(operation)}));
  if (outcome.ok()) {
    SR_RETURN_IF_ERROR(
        tx->Execute("UPDATE backup_operations SET successes = successes + 1, last_success_at = ?, "
                    "last_duration_ms = ?, last_bytes = ? WHERE operation = ?",
                    {Text(now), Int(static_cast<std::int64_t>(duration_ms)),
                     Int(static_cast<std::int64_t>(bytes)), Text(operation)}));
  } else {
    SR_RETURN_IF_ERROR(tx->Execute(
        "UPDATE backup_operations SET failures = failures + 1, last_failure_at = ?, last_error "
        "= ? WHERE operation = ?",
        {Text(now), Text(outcome.message()), Text(operation)}));
  }
  return tx->Commit();
}

base::Result<BackupInfo> Backups::CreateOnce(const std::string& id,
                                             const std::vector<fs::path>& destinations) {
  const fs::path scratch = sources_.scratch_dir / ("create-" + id);
  SR_RETURN_IF_ERROR(MakePrivateDir(scratch));
  Cleanup cleanup;
  cleanup.Add(scratch);

  // The main store first, then the checkpoint file, then the audit store: every event of a
  // change in the copy is in the audit copy, and every checkpoint in the file copy is covered
  // by the audit copy (a later checkpoint would look like a rolled-back log).
  SR_RETURN_IF_ERROR(sources_.store->SnapshotTo(scratch / "strongroom.db"));
  std::error_code ec;
  fs::copy_file(sources_.checkpoint_file, scratch / "audit-checkpoints.jsonl", ec);
  if (ec) {
    return base::UnavailableError("cannot copy " + sources_.checkpoint_file.string() + ": " +
                                  ec.message());
  }
  SR_RETURN_IF_ERROR(sources_.audit_store->SnapshotTo(scratch / "audit.db"));

  // Take every tenant's keys out of the copy, and note what the copy holds.
  struct TenantRow {
    std::string name;
    bool shredded = false;
    std::uint64_t records = 0;
    std::uint64_t files = 0;
    std::vector<KeyRow> keys;
  };
  std::map<std::string, TenantRow> tenants;
  std::vector<std::pair<std::string, std::string>> blobs;
  int schema = 0;
  json checkpoint = nullptr;
  {
    SR_ASSIGN_OR_RETURN(auto copy, OpenCopy(scratch / "strongroom.db", clock_));
    SR_ASSIGN_OR_RETURN(auto tx, copy->BeginWrite());
    SR_ASSIGN_OR_RETURN(auto v, tx->Query("SELECT MAX(version) FROM schema_migrations", {}));
    SR_ASSIGN_OR_RETURN(const std::int64_t version, v.at(0).GetInt(0));
    schema = static_cast<int>(version);
    SR_RETURN_IF_ERROR(tx->ForEach(
        "SELECT t.id, t.name, t.shredded_at IS NOT NULL, "
        "(SELECT COUNT(*) FROM vault_records r WHERE r.tenant_id = t.id AND r.ciphertext IS NOT "
        "NULL), "
        "(SELECT COUNT(*) FROM vault_files f WHERE f.tenant_id = t.id AND f.sealed_key IS NOT "
        "NULL) FROM tenants t",
        {}, [&](const storage::RowView& r) -> base::Status {
          SR_ASSIGN_OR_RETURN(const std::string_view tid, r.GetText(0));
          TenantRow& t = tenants[std::string(tid)];
          SR_ASSIGN_OR_RETURN(const std::string_view name, r.GetText(1));
          t.name = std::string(name);
          SR_ASSIGN_OR_RETURN(const std::int64_t shredded, r.GetInt(2));
          t.shredded = shredded != 0;
          SR_ASSIGN_OR_RETURN(const std::int64_t records, r.GetInt(3));
          SR_ASSIGN_OR_RETURN(const std::int64_t files, r.GetInt(4));
          t.records = static_cast<std::uint64_t>(records);
          t.files = static_cast<std::uint64_t>(files);
          return base::OkStatus();
        }));
    SR_RETURN_IF_ERROR(tx->ForEach(
        "SELECT key_id, version, purpose, wrapped, created_at FROM data_keys WHERE purpose LIKE "
        "'tenant:%' ORDER BY key_id, version",
        {}, [&](const storage::RowView& r) -> base::Status {
          KeyRow k;
          SR_ASSIGN_OR_RETURN(k.key_id, r.GetInt(0));
          SR_ASSIGN_OR_RETURN(k.version, r.GetInt(1));
          SR_ASSIGN_OR_RETURN(const std::string_view purpose, r.GetText(2));
          k.purpose = std::string(purpose);
          SR_ASSIGN_OR_RETURN(const base::ByteView wrapped, r.GetBlob(3));
          k.wrapped = base::Base64UrlEncode(wrapped);
          SR_ASSIGN_OR_RETURN(const std::string_view created, r.GetText(4));
          k.created_at = std::string(created);
          const auto tenant = TenantOfPurpose(purpose);
          if (!tenant || !tenants.contains(*tenant)) {
            return base::InternalError("a tenant key (" + k.purpose + ") names no tenant");
          }
          tenants[*tenant].keys.push_back(std::move(k));
          return base::OkStatus();
        }));
    SR_RETURN_IF_ERROR(tx->ForEach(
        "SELECT tenant_id, blob FROM vault_files WHERE blob IS NOT NULL ORDER BY tenant_id, blob",
        {}, [&](const storage::RowView& r) -> base::Status {
          SR_ASSIGN_OR_RETURN(const std::string_view tid, r.GetText(0));
          SR_ASSIGN_OR_RETURN(const std::string_view blob, r.GetText(1));
          blobs.emplace_back(std::string(tid), std::string(blob));
          return base::OkStatus();
        }));
    SR_RETURN_IF_ERROR(
        tx->Execute("DELETE FROM data_keys WHERE purpose LIKE 'tenant:%'", {}).status());
    SR_RETURN_IF_ERROR(tx->Commit());
    tx.reset();
    // Folds the log into the file; secure_delete has zeroed the deleted keys in the pages.
    SR_RETURN_IF_ERROR(copy->Close());
  }
  {
    SR_ASSIGN_OR_RETURN(auto audit_copy,
                        audit::OpenAuditStore(scratch / "audit.db", clock_, /*create=*/false));
    SR_ASSIGN_OR_RETURN(auto tx, audit_copy->BeginRead());
    SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT tree_size, root_hash, time, key_id FROM "
                                             "audit_checkpoints ORDER BY tree_size DESC LIMIT 1",
                                             {}));
    if (!rows.empty()) {
      SR_ASSIGN_OR_RETURN(const std::int64_t size, rows[0].GetInt(0));
      SR_ASSIGN_OR_RETURN(const base::Bytes root, rows[0].GetBlob(1));
      SR_ASSIGN_OR_RETURN(const std::string time, rows[0].GetText(2));
      SR_ASSIGN_OR_RETURN(const std::string key_id, rows[0].GetText(3));
      checkpoint = {
          {"tree_size", size}, {"root", base::HexEncode(root)}, {"time", time}, {"key_id", key_id}};
    }
    tx.reset();
    SR_RETURN_IF_ERROR(audit_copy->Close());
  }

  // Each tenant's keys, sealed under its backup key.
  TenantKeyEscrow escrow(keys_.wrapping, clock_);
  json tenant_docs = json::array();
  for (auto& [tid, t] : tenants) {
    json doc = {{"id", tid},        {"name", t.name},         {"records", t.records},
                {"files", t.files}, {"shredded", t.shredded}, {"keys", nullptr}};
    if (!t.keys.empty()) {
      // Sealed under each distinct backup key the destinations hold for the tenant.
      SR_ASSIGN_OR_RETURN(const auto backup_keys, escrow.Ensure(destinations, tid));
      std::string plain = KeyRowsToJson(t.keys).dump();
      json sealed = json::array();
      for (const TenantBackupKey& k : backup_keys) {
        sealed.push_back({{"key", k.fingerprint},
                          {"sealed", base::Base64UrlEncode(Seal(
                                         k.key, Aad("strongroom/v1/backup-tenant-keys", id, tid),
                                         base::AsBytes(plain)))}});
      }
      base::SecureWipe(plain.data(), plain.size());
      doc["keys"] = std::move(sealed);
    }
    tenant_docs.push_back(std::move(doc));
  }

  // The payload, written to every destination at once.
  crypto::Aes256Key content_key;
  {
    const base::Bytes random = crypto::RandomBytes(crypto::kAes256KeySize);
    std::copy_n(random.begin(), crypto::kAes256KeySize, content_key.mutable_value().begin());
  }
  std::vector<fs::path> partials, finals, outputs;
  for (const fs::path& d : destinations) {
    partials.push_back(d / (".partial-" + id));
    finals.push_back(d / id);
    SR_RETURN_IF_ERROR(MakePrivateDir(partials.back()));
    cleanup.Add(partials.back());
    outputs.push_back(partials.back() / kPayload);
  }
  SR_ASSIGN_OR_RETURN(auto writer, PayloadWriter::Create(outputs, content_key, id));
  ArchiveWriter archive(*writer);
  std::vector<ArchiveEntry> entries;
  const auto add = [&](const std::string& path, const fs::path& source) -> base::Status {
    auto added = archive.AddFile(path, source);
    if (!added.ok()) {
      if (added.status().code() == base::ErrorCode::kNotFound) {
        return base::AbortedError(source.string() + " was removed while the backup ran");
      }
      return added.status();
    }
    entries.push_back(std::move(*added));
    return base::OkStatus();
  };
  SR_RETURN_IF_ERROR(archive.Begin());
  SR_RETURN_IF_ERROR(add("strongroom.db", scratch / "strongroom.db"));
  SR_RETURN_IF_ERROR(add("audit.db", scratch / "audit.db"));
  SR_RETURN_IF_ERROR(add("audit-checkpoints.jsonl", scratch / "audit-checkpoints.jsonl"));
  if (fs::is_directory(sources_.tls_dir, ec)) {
    std::vector<fs::path> tls;
    for (const auto& e : fs::directory_iterator(sources_.tls_dir, ec)) {
      if (e.is_regular_file()) tls.push_back(e.path());
    }
    std::sort(tls.begin(), tls.end());
    for (const fs::path& p : tls) SR_RETURN_IF_ERROR(add("tls/" + p.filename().string(), p));
  }
  for (const auto& [tid, blob] : blobs) {
    SR_RETURN_IF_ERROR(add("files/" + tid + "/" + blob, sources_.files_dir / tid / blob));
  }
  SR_RETURN_IF_ERROR(archive.End());
  // The snapshots are in the payload now: remove them while the payload is fsynced.
  std::jthread remove_scratch([scratch] {
    std::error_code ignored;
    fs::remove_all(scratch, ignored);
  });
  SR_ASSIGN_OR_RETURN(const PayloadSummary summary, writer->Finish());

  json entry_docs = json::array();
  for (const auto& e : entries) {
    entry_docs.push_back({{"path", e.path}, {"size", e.size}, {"sha256", e.sha256}});
  }
  const std::string created_at = base::FormatRfc3339(clock_.Now());
  const json manifest = {
      {"format", kFormat},
      {"id", id},
      {"created_at", created_at},
      {"schema_version", schema},
      {"key_check", keys_.key_check},
      {"content_key",
       base::Base64UrlEncode(Seal(keys_.wrapping, Aad("strongroom/v1/backup-content-key", id),
                                  content_key.Reveal()))},
      {"audit_checkpoint", checkpoint},
      {"payload",
       {{"file", kPayload},
        {"bytes", summary.payload_bytes},
        {"sha256", summary.payload_sha256},
        {"chunks", summary.chunks},
        {"chunk_size", kChunkSize},
        {"compressed_bytes", summary.compressed_bytes},
        {"archive_bytes", summary.archive_bytes},
        {"compression", "zstd"},
        {"cipher", "AES-256-GCM"}}},
      {"entries", entry_docs},
      {"tenants", tenant_docs}};
  const std::string text = manifest.dump(2) + "\n";
  const std::string mac =
      base::HexEncode(crypto::HmacSha256(keys_.manifest_mac.Reveal(), base::AsBytes(text))) + "\n";
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    SR_RETURN_IF_ERROR(base::WriteNewFile(partials[i] / kManifest, text, 0600));
    SR_RETURN_IF_ERROR(base::WriteNewFile(partials[i] / kManifestMac, mac, 0600));
    SR_RETURN_IF_ERROR(base::SyncDirectory(partials[i]));
  }
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    fs::rename(partials[i], finals[i], ec);
    if (ec) {
      return base::UnavailableError("cannot move backup " + id + " into place in " +
                                    destinations[i].string() + ": " + ec.message());
    }
    cleanup.Add(finals[i]);  // Until every destination has it.
    SR_RETURN_IF_ERROR(base::SyncDirectory(destinations[i]));
  }
  cleanup.Release();
  fs::remove_all(scratch, ec);
  auto read = ReadManifest(finals[0], keys_);
  if (!read.ok()) return read.status();
  return std::move(read->info);
}

base::Result<BackupInfo> Backups::Create(const audit::Actor& actor,
                                         const std::vector<fs::path>& destinations_in) {
  base::MutexLock lock(&mu_);
  const auto start = std::chrono::steady_clock::now();
  std::vector<fs::path> destinations;
  for (const fs::path& d : destinations_in) {
    const fs::path c = Canonical(d);
    if (std::find(destinations.begin(), destinations.end(), c) == destinations.end()) {
      destinations.push_back(c);
    }
  }
  // bk-2026-12-02T183915-b74794: the time without colons, which some file systems refuse.
  std::string id = "bk-" + base::FormatRfc3339(clock_.Now()).substr(0, 19) + "-" +
                   base::HexEncode(crypto::RandomArray<3>());
  std::erase(id, ':');
  auto outcome = [&]() -> base::Result<BackupInfo> {
    if (destinations.empty()) {
      return base::InvalidArgumentError("a backup needs at least one destination directory");
    }
    {
      SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
      for (const fs::path& d : destinations) {
        SR_RETURN_IF_ERROR(MakePrivateDir(d));
        SR_RETURN_IF_ERROR(tx->Execute(
            "INSERT INTO backup_destinations (path, first_used_at) VALUES (?, ?) ON CONFLICT "
            "(path) DO NOTHING",
            {Text(d.string()), Text(base::FormatRfc3339(clock_.Now()))}));
      }
      SR_RETURN_IF_ERROR(tx->Commit());
    }
    base::Result<BackupInfo> made = base::AbortedError("not run");
    for (int attempt = 0; attempt < 3; ++attempt) {
      made = CreateOnce(id, destinations);
      if (made.ok() || made.status().code() != base::ErrorCode::kAborted) break;
    }
    return made;
  }();
  const std::uint64_t ms = MillisSince(start);
  audit::Event e = audit::MakeEvent(
      actor, clock_.Now(), "backup.create", "backup:" + id,
      outcome.ok() ? audit::Outcome::kAllowed : audit::Outcome::kFailed,
      outcome.ok() ? "" : std::string(base::ErrorCodeName(outcome.status().code())));
  e.details["destinations"] = std::to_string(destinations.size());
  if (outcome.ok()) {
    e.details["payload_bytes"] = std::to_string(outcome->payload_bytes);
    e.details["payload_sha256"] = outcome->payload_sha256;
    e.details["audit_tree_size"] = std::to_string(outcome->audit_tree_size);
  }
  base::Status recorded = audit_.Record(e);
  if (outcome.ok() && recorded.ok()) {
    json dests = json::array();
    for (const auto& d : destinations) dests.push_back(d.string());
    auto tx = sources_.store->BeginWrite();
    recorded = tx.status();
    if (tx.ok()) {
      recorded = (*tx)
                     ->Execute(
                         "INSERT INTO backups (id, created_at, destinations, archive_bytes, "
                         "payload_bytes, payload_sha256, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         {Text(outcome->id), Text(outcome->created_at), Text(dests.dump()),
                          Int(static_cast<std::int64_t>(outcome->archive_bytes)),
                          Int(static_cast<std::int64_t>(outcome->payload_bytes)),
                          Text(outcome->payload_sha256), Int(static_cast<std::int64_t>(ms))})
                     .status();
      if (recorded.ok()) recorded = (*tx)->Commit();
    }
  }
  if (outcome.ok() && !recorded.ok()) {
    // Fail closed: a backup nobody can account for is removed.
    std::error_code ec;
    for (const fs::path& d : destinations) fs::remove_all(d / outcome->id, ec);
    outcome = base::UnavailableError(
        "backup " + outcome->id +
        " was made but could not be recorded, so it was removed: " + recorded.message());
  }
  (void)RecordOperation("create", outcome.status(), ms, outcome.ok() ? outcome->payload_bytes : 0);
  if (!outcome.ok()) return outcome.status();
  outcome->destinations.clear();
  for (const auto& d : destinations) outcome->destinations.push_back(d.string());
  outcome->duration_ms = ms;
  return outcome;
}

base::Result<Verification> Backups::Verify(const audit::Actor& actor, const fs::path& backup_dir,
                                           std::size_t sample) {
  base::MutexLock lock(&mu_);
  const auto start = std::chrono::steady_clock::now();
  const fs::path scratch =
      sources_.scratch_dir / ("verify-" + base::HexEncode(crypto::RandomArray<4>()));
  SR_RETURN_IF_ERROR(MakePrivateDir(scratch));
  Cleanup cleanup;
  cleanup.Add(scratch);

  Verification v;
  v.backup_id = backup_dir.filename().string();
  std::vector<std::string> problems;
  json audit_doc = nullptr;
  json tenants_doc = json::array();
  std::string payload_sha256;
  std::uint64_t payload_bytes = 0;
  auto restored = RestoreBackup(backup_dir, scratch / "data", root_, clock_, actor,
                                /*record=*/false, /*durable=*/false);
  if (!restored.ok()) {
    problems.push_back(restored.status().message());
  } else {
    v.backup_id = restored->backup.id;
    payload_sha256 = restored->backup.payload_sha256;
    payload_bytes = restored->backup.payload_bytes;
    const fs::path data = restored->data_dir;
    const base::Status checked = [&]() -> base::Status {
      SR_ASSIGN_OR_RETURN(auto store, OpenCopy(data / "strongroom.db", clock_));
      storage::SqlKeyStore key_store(*store);
      SR_ASSIGN_OR_RETURN(auto ring, crypto::KeyRing::Open(root_.Clone(), key_store, clock_));
      SR_ASSIGN_OR_RETURN(auto audit_store,
                          audit::OpenAuditStore(data / "audit.db", clock_, /*create=*/false));
      SR_ASSIGN_OR_RETURN(const auto public_keys, audit::CheckpointPublicKeys(*ring));
      SR_ASSIGN_OR_RETURN(
          const audit::VerifyReport report,
          audit::VerifyAuditLog(*audit_store, data / "audit-checkpoints.jsonl", public_keys));
      for (const auto& p : report.problems) problems.push_back("audit log: " + p);
      audit_doc = {{"ok", report.ok()},
                   {"events", report.events},
                   {"checkpoints", report.checkpoints},
                   {"covered", report.covered}};
      SR_ASSIGN_OR_RETURN(const auto tenants,
                          vault::CheckTenants(*store, *ring, data / "files", sample));
      for (const auto& t : tenants) {
        for (const auto& p : t.problems) problems.push_back(p);
        tenants_doc.push_back({{"id", t.tenant_id},
                               {"name", t.name},
                               {"shredded", t.shredded},
                               {"records", t.records},
                               {"files", t.files},
                               {"records_opened", t.records_opened},
                               {"files_opened", t.files_opened}});
      }
      SR_RETURN_IF_ERROR(audit_store->Close());
      return store->Close();
    }();
    if (!checked.ok())
      problems.push_back("the restored data cannot be checked: " + checked.message());
  }
  v.ok = problems.empty();
  v.problems = problems;
  const json statement = {{"type", "strongroom.backup_verification.v1"},
                          {"backup_id", v.backup_id},
                          {"backup_directory", backup_dir.string()},
                          {"verified_at", base::FormatRfc3339(clock_.Now())},
                          {"ok", v.ok},
                          {"problems", problems},
                          {"payload_sha256", payload_sha256},
                          {"payload_bytes", payload_bytes},
                          {"restored_audit_log", audit_doc},
                          {"tenants", tenants_doc},
                          {"sample_per_tenant", sample}};
  v.statement = statement.dump();
  v.signature = base::Base64UrlEncode(signing_key_.Sign(base::AsBytes(v.statement)));
  v.key_id = audit::KeyIdOf(signing_key_.public_key());
  const std::uint64_t ms = MillisSince(start);

  audit::Event e = audit::MakeEvent(actor, clock_.Now(), "backup.verify", "backup:" + v.backup_id,
                                    v.ok ? audit::Outcome::kAllowed : audit::Outcome::kFailed,
                                    v.ok ? "" : "verification_failed");
  e.details["statement_sha256"] = base::HexEncode(crypto::Sha256(base::AsBytes(v.statement)));
  e.details["signature"] = v.signature;
  e.details["key_id"] = v.key_id;
  e.details["tenants"] = std::to_string(tenants_doc.size());
  if (!v.ok) e.details["problem"] = problems.front().substr(0, 300);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  {
    SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
    SR_RETURN_IF_ERROR(tx->Execute(
        "UPDATE backups SET verified_at = ?, verified_ok = ?, verify_summary = ? WHERE id = ?",
        {Text(base::FormatRfc3339(clock_.Now())), Int(v.ok ? 1 : 0),
         Text(v.ok ? "ok" : problems.front()), Text(v.backup_id)}));
    SR_RETURN_IF_ERROR(tx->Commit());
  }
  (void)RecordOperation("verify", v.ok ? base::OkStatus() : base::DataLossError(problems.front()),
                        ms, payload_bytes);
  return v;
}

base::Result<std::vector<BackupInfo>> Backups::List(const std::vector<fs::path>& destinations) {
  std::map<std::string, BackupInfo> by_id;
  std::set<fs::path> seen;
  for (const fs::path& d_in : destinations) {
    const fs::path d = Canonical(d_in);
    if (!seen.insert(d).second) continue;  // Named twice, or by two spellings.
    std::error_code ec;
    if (!fs::is_directory(d, ec)) continue;
    for (const auto& entry : fs::directory_iterator(d, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_directory() || name.starts_with(".") || name == "tenant-keys") continue;
      auto m = ReadManifest(entry.path(), keys_);
      if (!m.ok()) {
        if (m.status().code() == base::ErrorCode::kNotFound) continue;
        BackupInfo broken;
        broken.id = name;
        broken.directory = entry.path();
        broken.problem = m.status().message();
        by_id.emplace(name + "@" + d.string(), std::move(broken));
        continue;
      }
      auto [it, inserted] = by_id.emplace(m->info.id, m->info);
      it->second.destinations.push_back(d.string());
    }
  }
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginRead());
  for (auto& [key, info] : by_id) {
    SR_ASSIGN_OR_RETURN(auto rows,
                        tx->Query("SELECT verified_at, verified_ok, duration_ms, (SELECT 1 FROM "
                                  "backup_holds h WHERE h.backup_id = b.id) FROM backups b "
                                  "WHERE id = ?",
                                  {Text(info.id)}));
    if (rows.empty()) continue;
    SR_ASSIGN_OR_RETURN(info.verified_at, rows[0].GetOptionalText(0));
    if (!rows[0].IsNull(1)) {
      SR_ASSIGN_OR_RETURN(const std::int64_t ok, rows[0].GetInt(1));
      info.verified_ok = ok != 0;
    }
    SR_ASSIGN_OR_RETURN(const std::int64_t ms, rows[0].GetInt(2));
    info.duration_ms = static_cast<std::uint64_t>(ms);
    info.held = !rows[0].IsNull(3);
  }
  std::vector<BackupInfo> out;
  for (auto& [key, info] : by_id) out.push_back(std::move(info));
  std::sort(out.begin(), out.end(), [](const BackupInfo& a, const BackupInfo& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  return out;
}

base::Result<PruneResult> Backups::Prune(const audit::Actor& actor,
                                         const std::vector<fs::path>& destinations,
                                         const RetentionPolicy& policy) {
  SR_RETURN_IF_ERROR(ValidateRetention(policy));
  base::MutexLock lock(&mu_);
  const auto start = std::chrono::steady_clock::now();
  auto result = [&]() -> base::Result<PruneResult> {
    SR_ASSIGN_OR_RETURN(const auto listed, List(destinations));
    std::vector<BackupStamp> stamps;
    for (const auto& b : listed) {
      if (!b.problem.empty()) continue;  // Never removed by policy: an operator looks at it.
      SR_ASSIGN_OR_RETURN(const base::Time t, base::ParseRfc3339(b.created_at));
      stamps.push_back({b.id, t, b.held});
    }
    const auto keep = Retained(stamps, policy, clock_.Now());
    PruneResult out;
    for (const auto& b : listed) {
      if (!b.problem.empty() || keep.contains(b.id)) {
        out.kept.push_back(b.id);
        continue;
      }
      // Audited before anything is removed.
      audit::Event e = audit::MakeEvent(actor, clock_.Now(), "backup.prune", "backup:" + b.id,
                                        audit::Outcome::kAllowed, "retention");
      e.details["created_at"] = b.created_at;
      e.details["destinations"] = std::to_string(b.destinations.size());
      SR_RETURN_IF_ERROR(audit_.Record(e));
      for (const std::string& d : b.destinations) {
        // Renamed first, so a removal cut short never leaves something that looks like a
        // backup; List skips dot-directories and the next prune finishes them.
        const fs::path from = fs::path(d) / b.id;
        const fs::path doomed = fs::path(d) / (".pruning-" + b.id);
        std::error_code ec;
        fs::rename(from, doomed, ec);
        if (ec) {
          return base::UnavailableError("cannot prune backup " + b.id + " from " + d + ": " +
                                        ec.message());
        }
        fs::remove_all(doomed, ec);
        (void)base::SyncDirectory(d);
      }
      SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
      SR_RETURN_IF_ERROR(tx->Execute("UPDATE backups SET pruned_at = ? WHERE id = ?",
                                     {Text(base::FormatRfc3339(clock_.Now())), Text(b.id)}));
      SR_RETURN_IF_ERROR(tx->Commit());
      out.removed.push_back(b.id);
    }
    // Finish removals an earlier prune could not.
    for (const fs::path& d : destinations) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(Canonical(d), ec)) {
        if (entry.path().filename().string().starts_with(".pruning-")) {
          fs::remove_all(entry.path(), ec);
        }
      }
    }
    return out;
  }();
  (void)RecordOperation("prune", result.status(), MillisSince(start),
                        result.ok() ? result->removed.size() : 0);
  return result;
}

base::Status Backups::Hold(const audit::Actor& actor, const std::string& id,
                           const std::string& reason) {
  if (reason.empty() || reason.size() > 500) {
    return base::InvalidArgumentError("a legal hold needs a reason of 1 to 500 characters");
  }
  base::MutexLock lock(&mu_);
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT 1 FROM backups WHERE id = ?", {Text(id)}));
  if (rows.empty()) return base::NotFoundError("this instance made no backup " + id);
  audit::Event e = audit::MakeEvent(actor, clock_.Now(), "backup.hold", "backup:" + id,
                                    audit::Outcome::kAllowed, "");
  e.details["reason"] = reason;
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO backup_holds (backup_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?) ON "
      "CONFLICT (backup_id) DO UPDATE SET reason = excluded.reason",
      {Text(id), Text(reason), Text(actor.id), Text(base::FormatRfc3339(clock_.Now()))}));
  return tx->Commit();
}

base::Status Backups::Release(const audit::Actor& actor, const std::string& id) {
  base::MutexLock lock(&mu_);
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginWrite());
  SR_ASSIGN_OR_RETURN(auto rows,
                      tx->Query("SELECT 1 FROM backup_holds WHERE backup_id = ?", {Text(id)}));
  if (rows.empty()) return base::NotFoundError("backup " + id + " is not under legal hold");
  SR_RETURN_IF_ERROR(audit_.Record(audit::MakeEvent(actor, clock_.Now(), "backup.release",
                                                    "backup:" + id, audit::Outcome::kAllowed, "")));
  SR_RETURN_IF_ERROR(tx->Execute("DELETE FROM backup_holds WHERE backup_id = ?", {Text(id)}));
  return tx->Commit();
}

base::Status Backups::RecordRestore(const audit::Actor& actor,
                                    const base::Result<RestoreResult>& result,
                                    const fs::path& backup_dir, std::uint64_t duration_ms) {
  const std::string id = result.ok() ? result->backup.id : backup_dir.filename().string();
  audit::Event e =
      audit::MakeEvent(actor, clock_.Now(), "backup.restore", "backup:" + id,
                       result.ok() ? audit::Outcome::kAllowed : audit::Outcome::kFailed,
                       result.ok() ? "" : std::string(base::ErrorCodeName(result.status().code())));
  if (result.ok()) {
    e.details["data_dir"] = result->data_dir.string();
    e.details["tenants_shredded"] = std::to_string(result->shredded.size());
  }
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return RecordOperation("restore", result.status(), duration_ms,
                         result.ok() ? result->backup.payload_bytes : 0);
}

base::Status Backups::DestroyTenantKeys(const identity::TenantId& tenant) {
  SR_ASSIGN_OR_RETURN(const auto destinations, KnownDestinations());
  TenantKeyEscrow escrow(keys_.wrapping, clock_);
  return escrow.Destroy(destinations, tenant.value(), base::FormatRfc3339(clock_.Now()));
}

base::Result<std::vector<Backups::OperationStats>> Backups::Stats() {
  SR_ASSIGN_OR_RETURN(auto tx, sources_.store->BeginRead());
  SR_ASSIGN_OR_RETURN(auto rows, tx->Query("SELECT operation, successes, failures, "
                                           "last_success_at, last_duration_ms, last_bytes, "
                                           "last_failure_at FROM backup_operations ORDER BY "
                                           "operation",
                                           {}));
  std::vector<OperationStats> out;
  for (const auto& r : rows) {
    OperationStats s;
    SR_ASSIGN_OR_RETURN(s.operation, r.GetText(0));
    SR_ASSIGN_OR_RETURN(const std::int64_t ok, r.GetInt(1));
    SR_ASSIGN_OR_RETURN(const std::int64_t failed, r.GetInt(2));
    s.successes = static_cast<std::uint64_t>(ok);
    s.failures = static_cast<std::uint64_t>(failed);
    SR_ASSIGN_OR_RETURN(s.last_success_at, r.GetOptionalText(3));
    if (!r.IsNull(4)) {
      SR_ASSIGN_OR_RETURN(const std::int64_t ms, r.GetInt(4));
      s.last_duration_ms = static_cast<std::uint64_t>(ms);
    }
    if (!r.IsNull(5)) {
      SR_ASSIGN_OR_RETURN(const std::int64_t bytes, r.GetInt(5));
      s.last_bytes = static_cast<std::uint64_t>(bytes);
    }
    SR_ASSIGN_OR_RETURN(s.last_failure_at, r.GetOptionalText(6));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace strongroom::backup
