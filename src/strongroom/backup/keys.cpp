#include "strongroom/backup/keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;

base::Result<crypto::Aes256Key> Derive(const crypto::RootKey& root, std::string_view info) {
  SR_ASSIGN_OR_RETURN(
      const base::SecretBytes bytes,
      crypto::HkdfSha256(root.Reveal(), {}, base::AsBytes(info), crypto::kAes256KeySize));
  crypto::Aes256Key key;
  std::copy_n(bytes.Reveal().begin(), crypto::kAes256KeySize, key.mutable_value().begin());
  return key;
}

base::Bytes TenantKeyAad(const std::string& tenant) {
  const std::string aad = "strongroom/v1/tenant-backup-key:" + tenant;
  return base::Bytes(aad.begin(), aad.end());
}

fs::path KeyDir(const fs::path& destination) { return destination / "tenant-keys"; }
fs::path KeyFile(const fs::path& destination, const std::string& tenant) {
  return KeyDir(destination) / (tenant + ".key");
}
fs::path ShredFile(const fs::path& destination, const std::string& tenant) {
  return KeyDir(destination) / (tenant + ".shredded");
}

bool SafeTenantId(const std::string& tenant) {
  return !tenant.empty() && tenant.size() <= 128 &&
         std::all_of(tenant.begin(), tenant.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
         });
}

// Writes `text` to `path` atomically: a new temporary file, fsynced, renamed over, directory
// fsynced.
base::Status ReplaceFile(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" +
                                             base::HexEncode(crypto::RandomArray<4>()));
  SR_RETURN_IF_ERROR(base::WriteNewFile(tmp, text, 0600));
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return base::UnavailableError("cannot write " + path.string() + ": " + ec.message());
  }
  return base::SyncDirectory(path.parent_path());
}

// Overwrites a file's bytes with zeros and fsyncs before it is removed: on a file system that
// writes in place, the old bytes do not stay on the disk (copy-on-write file systems and SSDs may
// keep them; docs/backup.md).
base::Status OverwriteAndRemove(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return base::OkStatus();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return base::ErrnoError("cannot open " + path.string(), errno);
  base::UniqueFd closer(fd);
  const auto size = fs::file_size(path, ec);
  const std::string zeros(ec ? 0 : size, '\0');
  if (::pwrite(fd, zeros.data(), zeros.size(), 0) != static_cast<ssize_t>(zeros.size()) ||
      ::fsync(fd) != 0) {
    return base::ErrnoError("cannot overwrite " + path.string(), errno);
  }
  SR_RETURN_IF_ERROR(closer.Close());
  if (!fs::remove(path, ec) && ec) {
    return base::UnavailableError("cannot remove " + path.string() + ": " + ec.message());
  }
  return base::SyncDirectory(path.parent_path());
}

}  // namespace

base::Result<BackupKeys> DeriveBackupKeys(const crypto::RootKey& root) {
  BackupKeys keys;
  SR_ASSIGN_OR_RETURN(keys.wrapping, Derive(root, "strongroom/v1/backup-wrapping-key"));
  SR_ASSIGN_OR_RETURN(keys.manifest_mac, Derive(root, "strongroom/v1/backup-manifest-mac"));
  SR_ASSIGN_OR_RETURN(const crypto::Aes256Key check,
                      Derive(root, "strongroom/v1/backup-key-check"));
  const crypto::Sha256Digest mac =
      crypto::HmacSha256(check.Reveal(), base::AsBytes(std::string_view("key check")));
  keys.key_check = base::HexEncode(base::ByteView(mac.data(), 8));
  return keys;
}

base::Bytes Seal(const crypto::Aes256Key& key, base::ByteView aad, base::ByteView plaintext) {
  const auto nonce = crypto::RandomArray<crypto::kGcmNonceSize>();
  base::Bytes out(nonce.begin(), nonce.end());
  const base::Bytes ct = crypto::AesGcmEncrypt(key, nonce, aad, plaintext);
  out.insert(out.end(), ct.begin(), ct.end());
  return out;
}

base::Result<base::Bytes> Unseal(const crypto::Aes256Key& key, base::ByteView aad,
                                 base::ByteView sealed) {
  if (sealed.size() < crypto::kGcmNonceSize + crypto::kGcmTagSize) {
    return base::DataLossError("a sealed value is too short");
  }
  crypto::GcmNonce nonce;
  std::copy_n(sealed.begin(), nonce.size(), nonce.begin());
  auto plain = crypto::AesGcmDecrypt(key, nonce, aad, sealed.subspan(nonce.size()));
  if (!plain.ok()) return base::DataLossError("a sealed value does not open");
  return plain;
}

base::Result<crypto::Aes256Key> TenantKeyEscrow::Load(const fs::path& destination,
                                                      const std::string& tenant) const {
  if (!SafeTenantId(tenant)) return base::InvalidArgumentError("not a tenant id: " + tenant);
  auto text = base::ReadSmallFile(KeyFile(destination, tenant), 64 * 1024);
  if (!text.ok()) {
    if (text.status().code() == base::ErrorCode::kNotFound) {
      return base::NotFoundError("no backup key for tenant " + tenant + " in " +
                                 KeyDir(destination).string());
    }
    return text.status();
  }
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("sealed") ||
      !doc["sealed"].is_string() || doc.value("tenant_id", "") != tenant) {
    return base::DataLossError(KeyFile(destination, tenant).string() +
                               " is not a tenant backup key file");
  }
  auto sealed = base::Base64UrlDecode(doc["sealed"].get<std::string>());
  if (!sealed.ok())
    return base::DataLossError(KeyFile(destination, tenant).string() + " is damaged");
  auto plain = Unseal(wrapping_, TenantKeyAad(tenant), *sealed);
  if (!plain.ok() || plain->size() != crypto::kAes256KeySize) {
    return base::DataLossError("the backup key of tenant " + tenant + " in " +
                               KeyDir(destination).string() +
                               " does not open with this root key, or was altered");
  }
  crypto::Aes256Key key;
  std::copy_n(plain->begin(), crypto::kAes256KeySize, key.mutable_value().begin());
  base::SecureWipe(plain->data(), plain->size());
  return key;
}

std::optional<std::string> TenantKeyEscrow::ShreddedAt(const fs::path& destination,
                                                       const std::string& tenant) const {
  if (!SafeTenantId(tenant)) return std::nullopt;
  auto text = base::ReadSmallFile(ShredFile(destination, tenant), 64 * 1024);
  if (!text.ok()) return std::nullopt;
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::string("an unknown time");
  return doc.value("shredded_at", std::string("an unknown time"));
}

std::string TenantKeyEscrow::Fingerprint(const crypto::Aes256Key& key) const {
  std::string input = "strongroom/v1/tenant-backup-key-id:";
  input.append(key.Reveal().begin(), key.Reveal().end());
  const crypto::Sha256Digest mac = crypto::HmacSha256(wrapping_.Reveal(), base::AsBytes(input));
  base::SecureWipe(input.data(), input.size());
  return base::HexEncode(base::ByteView(mac.data(), 8));
}

base::Result<crypto::Aes256Key> TenantKeyEscrow::WriteIfAbsent(const fs::path& destination,
                                                               const std::string& tenant,
                                                               const crypto::Aes256Key& key) {
  std::error_code ec;
  fs::create_directories(KeyDir(destination), ec);
  if (ec) {
    return base::UnavailableError("cannot create " + KeyDir(destination).string() + ": " +
                                  ec.message());
  }
  fs::permissions(KeyDir(destination), fs::perms::owner_all, ec);
  const nlohmann::json doc = {
      {"format", 1},
      {"tenant_id", tenant},
      {"created_at", base::FormatRfc3339(clock_.Now())},
      {"sealed", base::Base64UrlEncode(Seal(wrapping_, TenantKeyAad(tenant), key.Reveal()))}};
  const fs::path final_path = KeyFile(destination, tenant);
  const fs::path tmp = KeyDir(destination) /
                       ("." + tenant + ".key.tmp-" + base::HexEncode(crypto::RandomArray<4>()));
  SR_RETURN_IF_ERROR(base::WriteNewFile(tmp, doc.dump() + "\n", 0600));
  // link(2) fails when the name exists: a key file is never replaced.
  const int linked = ::link(tmp.c_str(), final_path.c_str());
  const int link_errno = errno;
  fs::remove(tmp, ec);
  if (linked != 0) {
    if (link_errno == EEXIST) return Load(destination, tenant);
    return base::ErrnoError("cannot write " + final_path.string(), link_errno);
  }
  SR_RETURN_IF_ERROR(base::SyncDirectory(KeyDir(destination)));
  return key.Clone();
}

base::Result<std::vector<TenantBackupKey>> TenantKeyEscrow::Ensure(
    const std::vector<fs::path>& destinations, const std::string& tenant) {
  if (!SafeTenantId(tenant)) return base::InvalidArgumentError("not a tenant id: " + tenant);
  for (const fs::path& d : destinations) {
    if (auto at = ShreddedAt(d, tenant)) {
      return base::FailedPreconditionError("tenant " + tenant + " was shredded at " + *at +
                                           " (recorded in " + KeyDir(d).string() +
                                           "); it cannot be backed up again");
    }
  }
  std::optional<crypto::Aes256Key> first;
  std::vector<crypto::Aes256Key> held(destinations.size());
  std::vector<bool> has(destinations.size(), false);
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    auto loaded = Load(destinations[i], tenant);
    if (loaded.ok()) {
      if (!first) first = loaded->Clone();
      held[i] = std::move(*loaded);
      has[i] = true;
    } else if (loaded.status().code() != base::ErrorCode::kNotFound) {
      return loaded.status();
    }
  }
  if (!first) {
    crypto::Aes256Key made;
    const auto random = crypto::RandomBytes(crypto::kAes256KeySize);
    std::copy_n(random.begin(), crypto::kAes256KeySize, made.mutable_value().begin());
    first = std::move(made);
  }
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    if (has[i]) continue;
    SR_ASSIGN_OR_RETURN(held[i], WriteIfAbsent(destinations[i], tenant, *first));
  }
  std::vector<TenantBackupKey> out;
  for (auto& k : held) {
    std::string fp = Fingerprint(k);
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const TenantBackupKey& t) { return t.fingerprint == fp; });
    if (!seen) out.push_back({std::move(fp), std::move(k)});
  }
  return out;
}

base::Status TenantKeyEscrow::Destroy(const std::vector<fs::path>& destinations,
                                      const std::string& tenant, const std::string& shredded_at) {
  if (!SafeTenantId(tenant)) return base::InvalidArgumentError("not a tenant id: " + tenant);
  for (const fs::path& d : destinations) {
    std::error_code ec;
    fs::create_directories(KeyDir(d), ec);
    if (ec) {
      return base::UnavailableError("the backup destination " + d.string() +
                                    " cannot be reached: " + ec.message());
    }
    // The shred record first: from then on no backup to this destination includes the tenant.
    if (!ShreddedAt(d, tenant)) {
      const nlohmann::json doc = {{"tenant_id", tenant}, {"shredded_at", shredded_at}};
      SR_RETURN_IF_ERROR(ReplaceFile(ShredFile(d, tenant), doc.dump() + "\n"));
    }
    if (base::Status s = OverwriteAndRemove(KeyFile(d, tenant)); !s.ok()) {
      return base::UnavailableError("the backup key of tenant " + tenant + " in " + d.string() +
                                    " could not be destroyed: " + s.message());
    }
  }
  return base::OkStatus();
}

}  // namespace strongroom::backup
