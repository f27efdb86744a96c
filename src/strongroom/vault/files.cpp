#include "strongroom/vault/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/aead.hpp"
#include "strongroom/crypto/aes_gcm.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/vault/internal/common.hpp"
#include "strongroom/vault/legal_holds.hpp"

namespace strongroom::vault {
namespace {

namespace fs = std::filesystem;
using storage::Int;
using storage::Text;

constexpr std::size_t kPayloadSize = crypto::kAes256KeySize + crypto::kSha256Size;
constexpr const char* kUploadPrefix = ".upload-";

using Fd = base::UniqueFd;

base::Status WriteAll(int fd, base::ByteView data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::ErrnoError("cannot write an uploaded file", errno);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return base::OkStatus();
}

base::Status ValidateContentType(std::string_view type) {
  if (type.empty() || type.size() > 200 ||
      !std::all_of(type.begin(), type.end(), [](char c) { return c >= 0x20 && c < 0x7F; })) {
    return base::InvalidArgumentError(
        "Content-Type must be 1 to 200 printable ASCII characters, such as application/pdf");
  }
  return base::OkStatus();
}

crypto::GcmNonce ChunkNonce(std::uint64_t index) {
  crypto::GcmNonce nonce{};
  for (int i = 0; i < 8; ++i)
    nonce[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(index >> (56 - 8 * i));
  return nonce;
}

base::Bytes ChunkAad(const identity::TenantId& tenant, std::string_view id, std::string_view blob,
                     std::uint64_t index, bool last) {
  base::Bytes aad = base::ToBytes("strongroom/v1/file-chunk");
  internal::AppendField(aad, tenant.value());
  internal::AppendField(aad, id);
  internal::AppendField(aad, blob);
  internal::AppendU64(aad, index);
  aad.push_back(last ? 1 : 0);
  return aad;
}

std::string FileResource(std::string_view id) { return "file:" + std::string(id); }

// The stored form of a file row.
struct FileRow {
  std::uint64_t version = 0;
  std::optional<std::string> blob;  // nullopt: deleted.
  std::uint64_t size = 0;
  std::string content_type;
  std::size_t chunk_size = 0;
  std::optional<base::Bytes> sealed_key;
  base::Time created_at;
  base::Time updated_at;
};

constexpr const char* kFileColumns =
    "version, blob, size, content_type, chunk_size, sealed_key, created_at, updated_at";

base::Result<FileRow> FileRowFrom(const storage::Row& row) {
  FileRow f;
  SR_ASSIGN_OR_RETURN(const std::int64_t version, row.GetInt(0));
  f.version = static_cast<std::uint64_t>(version);
  SR_ASSIGN_OR_RETURN(f.blob, row.GetOptionalText(1));
  SR_ASSIGN_OR_RETURN(const std::int64_t size, row.GetInt(2));
  f.size = static_cast<std::uint64_t>(size);
  SR_ASSIGN_OR_RETURN(f.content_type, row.GetText(3));
  SR_ASSIGN_OR_RETURN(const std::int64_t chunk, row.GetInt(4));
  if (chunk <= 0 || chunk > (64 << 20))
    return base::DataLossError("a file row has a bad chunk size");
  f.chunk_size = static_cast<std::size_t>(chunk);
  if (!row.IsNull(5)) {
    SR_ASSIGN_OR_RETURN(base::Bytes sealed, row.GetBlob(5));
    f.sealed_key = std::move(sealed);
  }
  SR_ASSIGN_OR_RETURN(const std::string created, row.GetText(6));
  SR_ASSIGN_OR_RETURN(f.created_at, base::ParseRfc3339(created));
  SR_ASSIGN_OR_RETURN(const std::string updated, row.GetText(7));
  SR_ASSIGN_OR_RETURN(f.updated_at, base::ParseRfc3339(updated));
  return f;
}

base::Result<std::optional<FileRow>> LoadFileRow(storage::Transaction& tx,
                                                 const identity::TenantId& tenant,
                                                 std::string_view id) {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kFileColumns +
                                              " FROM vault_files WHERE tenant_id = ? AND id = ?",
                                          {Text(tenant.value()), Text(id)}));
  if (rows.empty()) return std::optional<FileRow>();
  SR_ASSIGN_OR_RETURN(FileRow f, FileRowFrom(rows[0]));
  return std::optional<FileRow>(std::move(f));
}

// The bytes a file of `size` plaintext bytes takes on disk.
std::uint64_t BlobSize(std::uint64_t size, std::size_t chunk_size) {
  return size + (size / chunk_size + 1) * crypto::kGcmTagSize;
}

class ChunkReader final : public FileReader {
 public:
  ChunkReader(int fd, crypto::Aes256Key key, crypto::Sha256Digest expected, FileRow row,
              identity::TenantId tenant, std::string id, std::function<void()> on_failure)
      : fd_(fd),
        key_(std::move(key)),
        expected_(expected),
        row_(std::move(row)),
        tenant_(std::move(tenant)),
        id_(std::move(id)),
        on_failure_(std::move(on_failure)),
        full_chunks_(row_.size / row_.chunk_size) {}

  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    if (!failed_.ok()) return failed_;
    std::size_t written = 0;
    while (written < out.size()) {
      if (offset_ == plain_.size()) {
        if (done_) break;
        if (base::Status s = NextChunk(); !s.ok()) {
          if (on_failure_) on_failure_();
          on_failure_ = nullptr;
          failed_ = s;
          // What was verified goes out; the error comes with the next call.
          if (written > 0) return written;
          return s;
        }
        continue;
      }
      const std::size_t n = std::min(out.size() - written, plain_.size() - offset_);
      std::memcpy(out.data() + written, plain_.data() + offset_, n);
      offset_ += n;
      written += n;
    }
    return written;
  }

 private:
  base::Status NextChunk() {
    const bool last = index_ == full_chunks_;
    const std::size_t plain_size =
        last ? static_cast<std::size_t>(row_.size - full_chunks_ * row_.chunk_size)
             : row_.chunk_size;
    base::Bytes ct(plain_size + crypto::kGcmTagSize);
    const auto at = static_cast<off_t>(index_ * (row_.chunk_size + crypto::kGcmTagSize));
    std::size_t got = 0;
    while (got < ct.size()) {
      const ssize_t n =
          ::pread(fd_.get(), ct.data() + got, ct.size() - got, at + static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return base::ErrnoError("cannot read file " + id_, errno);
      if (n == 0)
        return base::DataLossError("file " + id_ + " is truncated at chunk " +
                                   std::to_string(index_));
      got += static_cast<std::size_t>(n);
    }
    auto plain = crypto::AesGcmDecrypt(key_, ChunkNonce(index_),
                                       ChunkAad(tenant_, id_, *row_.blob, index_, last), ct);
    if (!plain.ok()) {
      return base::DataLossError("file " + id_ + " chunk " + std::to_string(index_) +
                                 " failed authentication: it was altered, moved or reordered");
    }
    hasher_.Update(*plain);
    if (last) {
      // The last bytes go out only once the whole content is known to be what was stored.
      if (hasher_.Finish() != expected_) {
        return base::DataLossError("file " + id_ + " does not match its recorded SHA-256");
      }
      done_ = true;
    }
    plain_ = std::move(plain).value();
    offset_ = 0;
    ++index_;
    return base::OkStatus();
  }

  Fd fd_;
  const crypto::Aes256Key key_;
  const crypto::Sha256Digest expected_;
  const FileRow row_;
  const identity::TenantId tenant_;
  const std::string id_;
  std::function<void()> on_failure_;
  const std::uint64_t full_chunks_;
  std::uint64_t index_ = 0;
  bool done_ = false;
  base::Status failed_;
  base::Bytes plain_;
  std::size_t offset_ = 0;
  crypto::Sha256Hasher hasher_;
};

}  // namespace

base::Bytes FileKeyAad(const identity::TenantId& tenant, std::string_view id, std::uint64_t version,
                       std::string_view blob) {
  base::Bytes aad = base::ToBytes("strongroom/v1/file-key");
  internal::AppendField(aad, tenant.value());
  internal::AppendField(aad, id);
  internal::AppendU64(aad, version);
  internal::AppendField(aad, blob);
  return aad;
}

base::Status Files::Fail(const access::Permit& permit, std::string_view action, std::string_view id,
                         const base::Status& failure) {
  return internal::RecordFailure(audit_, clock_.Now(), permit, action, FileResource(id), "", id,
                                 failure);
}

base::Result<FileInfo> Files::Put(const access::Permit& permit, std::string_view id,
                                  std::string_view content_type, ByteSource& content,
                                  const WriteConditions& conditions) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kFilesWrite));
  const auto fail = [&](const base::Status& s) { return Fail(permit, "files.write", id, s); };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  if (base::Status s = ValidateContentType(content_type); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  SR_ASSIGN_OR_RETURN(const std::uint64_t key_id, keys_.Ensure(tenant));

  const fs::path dir = files_dir_ / tenant.value();
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return base::UnavailableError("cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
    SR_RETURN_IF_ERROR(base::SyncDirectory(files_dir_));
  }
  const std::string blob = std::string(id) + "." + base::HexEncode(crypto::RandomArray<8>());
  const fs::path upload = dir / (kUploadPrefix + blob);
  const fs::path final_path = dir / blob;
  Fd fd(::open(upload.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return base::ErrnoError("cannot create " + upload.string(), errno);
  // Whatever fails from here on leaves no file behind.
  bool keep = false;
  fs::path to_remove = upload;
  struct Cleanup {
    const bool& keep;
    const fs::path& path;
    ~Cleanup() {
      if (!keep) {
        std::error_code ignored;
        fs::remove(path, ignored);
      }
    }
  } cleanup{keep, to_remove};

  auto dek_bytes = crypto::RandomArray<crypto::kAes256KeySize>();
  const crypto::Aes256Key dek(dek_bytes);
  std::fill(dek_bytes.begin(), dek_bytes.end(), 0);
  crypto::Sha256Hasher hasher;
  base::Bytes plain(limits_.chunk_size);
  std::uint64_t total = 0;
  for (std::uint64_t index = 0;; ++index) {
    std::size_t fill = 0;
    while (fill < plain.size()) {
      auto n = content.Read(std::span<std::uint8_t>(plain).subspan(fill));
      if (!n.ok()) return fail(n.error());
      if (*n == 0) break;
      fill += *n;
      total += *n;
      if (total > limits_.max_bytes) {
        return fail(base::ResourceExhaustedError("the file exceeds " +
                                                 std::to_string(limits_.max_bytes) +
                                                 " bytes, the limit for one file"));
      }
    }
    const bool last = fill < plain.size();
    const base::ByteView piece(plain.data(), fill);
    hasher.Update(piece);
    const base::Bytes sealed = crypto::AesGcmEncrypt(
        dek, ChunkNonce(index), ChunkAad(tenant, id, blob, index, last), piece);
    SR_RETURN_IF_ERROR(WriteAll(fd.get(), sealed));
    if (last) break;
  }
  std::fill(plain.begin(), plain.end(), 0);
  if (::fsync(fd.get()) != 0) return base::ErrnoError("cannot sync " + upload.string(), errno);
  SR_RETURN_IF_ERROR(fd.Close());
  if (::rename(upload.c_str(), final_path.c_str()) != 0) {
    return base::ErrnoError("cannot move " + upload.string() + " into place", errno);
  }
  to_remove = final_path;
  SR_RETURN_IF_ERROR(base::SyncDirectory(dir));
  const crypto::Sha256Digest digest = hasher.Finish();

  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const std::optional<FileRow> current, LoadFileRow(*tx, tenant, id));
  const bool exists = current && current->blob;
  if (base::Status s = internal::CheckConditions(exists, exists ? current->version : 0, conditions);
      !s.ok()) {
    return fail(s);
  }
  if (exists) {
    SR_ASSIGN_OR_RETURN(const auto hold, ActiveTenantWideHold(*tx, tenant));
    if (hold) return fail(HeldError(*hold, "replacing a file"));
  }
  const base::Time now = clock_.Now();
  FileInfo info;
  info.id = std::string(id);
  info.version = current ? current->version + 1 : 1;
  info.size = total;
  info.content_type = std::string(content_type);
  info.sha256 = base::HexEncode(digest);
  info.created_at = exists ? current->created_at : now;
  info.updated_at = now;
  base::Bytes payload(dek.Reveal().begin(), dek.Reveal().end());
  payload.insert(payload.end(), digest.begin(), digest.end());
  auto sealed_key = keys_.ring().Seal(key_id, FileKeyAad(tenant, id, info.version, blob), payload);
  std::fill(payload.begin(), payload.end(), 0);
  if (!sealed_key.ok()) return sealed_key.error();
  SR_ASSIGN_OR_RETURN(const crypto::CiphertextHeader header,
                      crypto::ParseCiphertextHeader(*sealed_key));
  SR_RETURN_IF_ERROR(tx->Execute(
      "INSERT INTO vault_files (tenant_id, id, version, blob, size, content_type, chunk_size, "
      "key_id, key_version, sealed_key, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (tenant_id, id) DO UPDATE SET version = "
      "excluded.version, blob = excluded.blob, size = excluded.size, content_type = "
      "excluded.content_type, chunk_size = excluded.chunk_size, key_id = excluded.key_id, "
      "key_version = excluded.key_version, sealed_key = excluded.sealed_key, created_at = "
      "excluded.created_at, updated_at = excluded.updated_at, deleted_at = NULL",
      {Text(tenant.value()), Text(id), Int(static_cast<std::int64_t>(info.version)), Text(blob),
       Int(static_cast<std::int64_t>(total)), Text(content_type),
       Int(static_cast<std::int64_t>(limits_.chunk_size)),
       Int(static_cast<std::int64_t>(header.key.key_id)), Int(header.key.version),
       storage::Blob(*sealed_key), Text(base::FormatRfc3339(info.created_at)),
       Text(base::FormatRfc3339(now))}));
  audit::Event e = permit.Event(now, "files.write", FileResource(id));
  e.details["id"] = info.id;
  e.details["version"] = std::to_string(info.version);
  e.details["size"] = std::to_string(total);
  e.details["created"] = exists ? "false" : "true";
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  keep = true;
  if (exists && current->blob) {
    // The old version's blob; if this removal is cut short, SweepOrphans finishes it.
    std::error_code ignored;
    fs::remove(dir / *current->blob, ignored);
  }
  return info;
}

base::Result<FileDownload> Files::Open(const access::Permit& permit, std::string_view id) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kFilesRead));
  const auto fail = [&](const base::Status& s) { return Fail(permit, "files.read", id, s); };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  std::optional<FileRow> row;
  {
    SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
    SR_ASSIGN_OR_RETURN(row, LoadFileRow(*tx, tenant, id));
  }
  if (!row || !row->blob || !row->sealed_key) {
    return fail(
        base::NotFoundError("tenant " + tenant.value() + " has no file '" + std::string(id) + "'"));
  }
  auto payload =
      keys_.ring().Open(FileKeyAad(tenant, id, row->version, *row->blob), *row->sealed_key);
  if (!payload.ok() || payload->size() != kPayloadSize) {
    return fail(base::DataLossError("the key of file " + std::string(id) +
                                    " cannot be opened: it was altered or moved"));
  }
  std::array<std::uint8_t, crypto::kAes256KeySize> key_bytes;
  std::copy_n(payload->begin(), key_bytes.size(), key_bytes.begin());
  crypto::Aes256Key key(key_bytes);
  std::fill(key_bytes.begin(), key_bytes.end(), 0);
  crypto::Sha256Digest expected;
  std::copy_n(payload->begin() + crypto::kAes256KeySize, expected.size(), expected.begin());
  std::fill(payload->begin(), payload->end(), 0);

  const fs::path path = files_dir_ / tenant.value() / *row->blob;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(base::DataLossError("the content of file " + std::string(id) + " is missing"));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 ||
      static_cast<std::uint64_t>(st.st_size) != BlobSize(row->size, row->chunk_size)) {
    ::close(fd);
    return fail(base::DataLossError("the content of file " + std::string(id) +
                                    " has the wrong length: it was truncated or extended"));
  }
  FileDownload out;
  out.info.id = std::string(id);
  out.info.version = row->version;
  out.info.size = row->size;
  out.info.content_type = row->content_type;
  out.info.sha256 = base::HexEncode(expected);
  out.info.created_at = row->created_at;
  out.info.updated_at = row->updated_at;
  audit::Event e = permit.Event(clock_.Now(), "files.read", FileResource(id));
  e.details["id"] = out.info.id;
  e.details["version"] = std::to_string(row->version);
  e.details["size"] = std::to_string(row->size);
  if (base::Status s = audit_.Record(e); !s.ok()) {
    ::close(fd);
    return s;
  }
  out.reader = std::make_unique<ChunkReader>(
      fd, std::move(key), expected, std::move(*row), tenant, std::string(id),
      [this, permit, file = std::string(id)] {
        (void)Fail(permit, "files.read", file,
                   base::DataLossError("file " + file + " failed verification while read"));
      });
  return out;
}

base::Status Files::Delete(const access::Permit& permit, std::string_view id,
                           const WriteConditions& conditions) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kFilesWrite));
  const auto fail = [&](const base::Status& s) { return Fail(permit, "files.delete", id, s); };
  if (base::Status s = ValidateRecordId(id); !s.ok()) return fail(s);
  const identity::TenantId& tenant = permit.tenant();
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginWrite());
  SR_ASSIGN_OR_RETURN(const std::optional<FileRow> current, LoadFileRow(*tx, tenant, id));
  if (!current || !current->blob) {
    return fail(
        base::NotFoundError("tenant " + tenant.value() + " has no file '" + std::string(id) + "'"));
  }
  if (base::Status s = internal::CheckConditions(true, current->version, conditions); !s.ok()) {
    return fail(s);
  }
  SR_ASSIGN_OR_RETURN(const auto hold, ActiveTenantWideHold(*tx, tenant));
  if (hold) return fail(HeldError(*hold, "deleting a file"));
  const std::string now = base::FormatRfc3339(clock_.Now());
  SR_RETURN_IF_ERROR(tx->Execute(
      "UPDATE vault_files SET blob = NULL, sealed_key = NULL, deleted_at = ?, updated_at = ? "
      "WHERE tenant_id = ? AND id = ?",
      {Text(now), Text(now), Text(tenant.value()), Text(id)}));
  audit::Event e = permit.Event(clock_.Now(), "files.delete", FileResource(id));
  e.details["id"] = std::string(id);
  e.details["version"] = std::to_string(current->version);
  SR_RETURN_IF_ERROR(audit_.Record(e));
  SR_RETURN_IF_ERROR(tx->Commit());
  std::error_code ignored;
  fs::remove(files_dir_ / tenant.value() / *current->blob, ignored);
  return base::OkStatus();
}

base::Result<FilePage> Files::List(const access::Permit& permit, std::size_t limit,
                                   const std::string& after) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(permit, access::Action::kFilesRead));
  limit = std::clamp<std::size_t>(limit, 1, 1000);
  SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
  SR_ASSIGN_OR_RETURN(
      auto rows,
      tx->Query(
          std::string("SELECT id, ") + kFileColumns +
              " FROM vault_files WHERE tenant_id = ? AND id > ? AND sealed_key IS NOT NULL "
              "ORDER BY id LIMIT ?",
          {Text(permit.tenant().value()), Text(after), Int(static_cast<std::int64_t>(limit + 1))}));
  tx.reset();
  FilePage page;
  for (const storage::Row& row : rows) {
    if (page.files.size() == limit) {
      page.next_after = page.files.back().id;
      break;
    }
    FileInfo info;
    SR_ASSIGN_OR_RETURN(info.id, row.GetText(0));
    std::vector<storage::Value> rest;
    for (std::size_t i = 1; i < row.size(); ++i) rest.push_back(row.value(i));
    SR_ASSIGN_OR_RETURN(const FileRow f, FileRowFrom(storage::Row(std::move(rest))));
    info.version = f.version;
    info.size = f.size;
    info.content_type = f.content_type;
    info.created_at = f.created_at;
    info.updated_at = f.updated_at;
    page.files.push_back(std::move(info));
  }
  audit::Event e = permit.Event(clock_.Now(), "files.list", "tenant:" + permit.tenant().value());
  e.details["count"] = std::to_string(page.files.size());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return page;
}

base::Result<std::size_t> Files::SweepOrphans() {
  std::error_code ec;
  if (!fs::exists(files_dir_, ec)) return std::size_t{0};
  std::size_t removed = 0;
  for (const auto& tenant_dir : fs::directory_iterator(files_dir_, ec)) {
    if (!tenant_dir.is_directory()) continue;
    const std::string tenant = tenant_dir.path().filename().string();
    std::set<std::string> named;
    {
      SR_ASSIGN_OR_RETURN(auto tx, store_.BeginRead());
      SR_ASSIGN_OR_RETURN(auto rows,
                          tx->Query("SELECT blob FROM vault_files WHERE tenant_id = ? AND blob IS "
                                    "NOT NULL",
                                    {Text(tenant)}));
      for (const storage::Row& row : rows) {
        SR_ASSIGN_OR_RETURN(std::string b, row.GetText(0));
        named.insert(std::move(b));
      }
    }
    for (const auto& entry : fs::directory_iterator(tenant_dir.path(), ec)) {
      if (named.contains(entry.path().filename().string())) continue;
      std::error_code ignored;
      if (fs::remove(entry.path(), ignored)) ++removed;
    }
  }
  if (ec) return base::UnavailableError("cannot list " + files_dir_.string() + ": " + ec.message());
  return removed;
}

}  // namespace strongroom::vault
