#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/access/permit.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/storage/store.hpp"
#include "strongroom/vault/records.hpp"
#include "strongroom/vault/tenant_keys.hpp"

namespace strongroom::vault {

// Where an upload's bytes come from (the HTTP request body, a test's buffer).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to out.size() bytes; 0 at the end. Errors end the upload and are returned as they are.
  virtual base::Result<std::size_t> Read(std::span<std::uint8_t> out) = 0;
};

// A file as a caller sees it.
struct FileInfo {
  std::string id;
  std::uint64_t version = 0;
  std::uint64_t size = 0;
  std::string content_type;  // As declared at upload; the server always serves octet-stream.
  std::string sha256;        // Hex SHA-256 of the content (known once it is opened or written).
  base::Time created_at;
  base::Time updated_at;
};

// A download: the file's plaintext, decrypted and authenticated chunk by chunk. The last bytes
// are released only after the whole content's SHA-256 matched the one recorded at upload, so a
// reader never gets a complete file that differs from what was stored: a reordered, truncated,
// altered or substituted chunk fails with kDataLoss (and is audited as files.read failed).
// Thread-compatible.
class FileReader {
 public:
  virtual ~FileReader() = default;
  virtual base::Result<std::size_t> Read(std::span<std::uint8_t> out) = 0;
};

struct FileDownload {
  FileInfo info;
  std::unique_ptr<FileReader> reader;
};

struct FilePage {
  std::vector<FileInfo> files;
  std::optional<std::string> next_after;
};

struct FileLimits {
  std::uint64_t max_bytes = 5ull << 30;  // 5 GiB.
  std::size_t chunk_size = 256 * 1024;   // Plaintext bytes per sealed chunk.
};

// A tenant's files, stored under `files_dir`/<tenant>/ outside the database, each sealed in
// independently authenticated AES-256-GCM chunks under a random key of its own, which is sealed
// under the tenant's data key. Uploads and downloads run in constant memory (one chunk).
//
// Chunk i of a file is sealed with nonce (i as 8 bytes big-endian, then 4 zero bytes) and
// associated data binding tenant, file id, blob name, i and whether it is the last chunk; the
// file is k full chunks and one last chunk of 0..chunk_size-1 bytes. The file key (and the
// content's SHA-256) are sealed with associated data binding tenant, id, version and blob.
//
// Permits as for records (files.read; files.write for writes and deletes); every call records
// one audit event naming the tenant and file. Thread-safe.
class Files {
 public:
  Files(storage::Store& store, TenantKeys& keys, audit::Sink& audit, const base::Clock& clock,
        std::filesystem::path files_dir, FileLimits limits = {})
      : store_(store),
        keys_(keys),
        audit_(audit),
        clock_(clock),
        files_dir_(std::move(files_dir)),
        limits_(limits) {}

  // Streams `content` into a new version of file `id` (Permit: files.write). The upload is
  // written and fsynced before the database row that names it commits: a file acknowledged is
  // complete on disk. Errors: kInvalidArgument (id, content type); kResourceExhausted (over
  // max_bytes); kAborted (conditions); kFailedPrecondition (a tenant-wide legal hold blocks
  // replacing); the source's own errors; I/O errors. Nothing is left behind on error.
  base::Result<FileInfo> Put(const access::Permit& permit, std::string_view id,
                             std::string_view content_type, ByteSource& content,
                             const WriteConditions& conditions);
  // Permit: files.read. Errors: kNotFound; kDataLoss when the file key does not open.
  base::Result<FileDownload> Open(const access::Permit& permit, std::string_view id);
  // Permit: files.write. Errors: kNotFound; kAborted; kFailedPrecondition (legal hold).
  base::Status Delete(const access::Permit& permit, std::string_view id,
                      const WriteConditions& conditions);
  // Files in id order after `after` (Permit: files.read). sha256 is left empty in listings.
  base::Result<FilePage> List(const access::Permit& permit, std::size_t limit,
                              const std::string& after);

  // Deletes blobs no row names (uploads cut short by a crash, blobs of replaced versions whose
  // removal was interrupted). Call before serving: it must not race an upload. Returns how many
  // were removed.
  base::Result<std::size_t> SweepOrphans();

  const FileLimits& limits() const { return limits_; }
  const std::filesystem::path& files_dir() const { return files_dir_; }

 private:
  base::Status Fail(const access::Permit& permit, std::string_view action, std::string_view id,
                    const base::Status& failure);

  storage::Store& store_;
  TenantKeys& keys_;
  audit::Sink& audit_;
  const base::Clock& clock_;
  const std::filesystem::path files_dir_;
  const FileLimits limits_;
};

// The associated data of a file's sealed key: tenant, id, version and blob name.
base::Bytes FileKeyAad(const identity::TenantId& tenant, std::string_view id, std::uint64_t version,
                       std::string_view blob);

}  // namespace strongroom::vault
