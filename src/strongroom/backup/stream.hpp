#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/crypto/aes_gcm.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::backup {

// A backup's payload, `data.sbk`: an archive (below) compressed with zstd, then cut into chunks of
// kChunkSize compressed bytes, each sealed on its own with AES-256-GCM under the backup's random
// content key. Chunk i uses nonce (i, 8 bytes big-endian, then 4 zero bytes) -- unique, as the
// key is used for this one payload -- and associated data binding the backup id, i and whether
// it is the last chunk. The payload is k full chunks and one last chunk of 0..kChunkSize-1
// bytes, so a reordered, altered, dropped, truncated or extended chunk fails to open, and so does
// a chunk from another backup.
inline constexpr std::size_t kChunkSize = 1 << 20;

struct PayloadSummary {
  std::uint64_t archive_bytes = 0;     // Before compression.
  std::uint64_t compressed_bytes = 0;  // Sealed plaintext.
  std::uint64_t payload_bytes = 0;     // On disk.
  std::uint64_t chunks = 0;
  std::string payload_sha256;  // Hex, of the file on disk.
};

// Writes one payload to every path in `outputs` at once (each created new, mode 0600), so every
// destination holds the same bytes. Thread-compatible.
class PayloadWriter {
 public:
  // Errors: kAlreadyExists, I/O errors. Nothing is left behind on error (Abort removes the files).
  static base::Result<std::unique_ptr<PayloadWriter>> Create(
      const std::vector<std::filesystem::path>& outputs, const crypto::Aes256Key& content_key,
      std::string backup_id, int zstd_level = 3);
  ~PayloadWriter();

  base::Status Write(base::ByteView archive_bytes);
  // Ends the zstd frame, seals the last chunk and fsyncs every output.
  base::Result<PayloadSummary> Finish();
  // Removes the outputs (after an error).
  void Abort();

 private:
  struct State;
  explicit PayloadWriter(std::unique_ptr<State> state);
  base::Status Emit(bool last);
  base::Status Compress(base::ByteView in, bool end);
  std::unique_ptr<State> state_;
};

// Reads a payload back: each chunk authenticated before any of its bytes are decompressed, the
// zstd frame checked to end exactly with the last chunk. Thread-compatible.
class PayloadReader {
 public:
  // Errors: kNotFound, I/O errors.
  static base::Result<std::unique_ptr<PayloadReader>> Open(const std::filesystem::path& path,
                                                           const crypto::Aes256Key& content_key,
                                                           std::string backup_id);
  ~PayloadReader();

  // Up to out.size() archive bytes; 0 only at the verified end. Errors: kDataLoss (a chunk does
  // not open, the payload is truncated or extended, the compressed stream is damaged), I/O.
  base::Result<std::size_t> Read(std::span<std::uint8_t> out);
  // After Read returned 0: what was read.
  PayloadSummary summary() const;

 private:
  struct State;
  explicit PayloadReader(std::unique_ptr<State> state);
  base::Status NextChunk();
  std::unique_ptr<State> state_;
};

// The archive inside the compressed stream: the magic "SRBACKUP1\n", then for each entry a
// 2-byte path length, the path (relative to the data directory, '/'-separated), an 8-byte size
// and the bytes, and finally a zero path length. Integers big-endian.
struct ArchiveEntry {
  std::string path;
  std::uint64_t size = 0;
  std::string sha256;  // Hex.
};

// Whether `path` may name an archive entry: relative, '/'-separated, components of letters,
// digits, '.', '_' and '-' that are neither "." nor "..". Restores write only such paths.
bool IsSafeEntryPath(std::string_view path);

class ArchiveWriter {
 public:
  explicit ArchiveWriter(PayloadWriter& out) : out_(out) {}
  base::Status Begin();
  // Copies the regular file at `source` (which must not change size while it is read).
  base::Result<ArchiveEntry> AddFile(const std::string& path, const std::filesystem::path& source);
  base::Result<ArchiveEntry> AddBytes(const std::string& path, base::ByteView bytes);
  base::Status End();

 private:
  base::Status Header(const std::string& path, std::uint64_t size);
  PayloadWriter& out_;
};

// Extracts every entry of the archive under `dir` (files created new, mode 0600, fsynced when
// `durable`; a scratch restore that is checked and thrown away skips that) and returns them in
// order. Errors: kDataLoss (bad magic, unsafe or duplicate path, short entry,
// bytes after the end), the reader's errors, I/O.
base::Result<std::vector<ArchiveEntry>> ExtractArchive(PayloadReader& in,
                                                       const std::filesystem::path& dir,
                                                       bool durable = true);

}  // namespace strongroom::backup
