#include "strongroom/backup/stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <set>
#include <thread>

#include "strongroom/base/file.hpp"
#include "strongroom/base/mutex.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "SRBACKUP1\n";
constexpr std::string_view kChunkDomain = "strongroom/v1/backup-chunk";

base::Status Errno(std::string_view what, const fs::path& path) {
  const int e = errno;
  return base::UnavailableError(std::string(what) + " " + path.string() + ": " + std::strerror(e));
}

base::Status WriteAll(int fd, base::ByteView data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return base::OkStatus();
}

// Reads until `out` is full or the end of the file; returns how much was read.
base::Result<std::size_t> ReadFull(int fd, std::span<std::uint8_t> out, const fs::path& path) {
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot read", path);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

crypto::GcmNonce ChunkNonce(std::uint64_t index) {
  crypto::GcmNonce nonce{};
  for (int i = 0; i < 8; ++i)
    nonce[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(index >> (8 * (7 - i)));
  return nonce;
}

base::Bytes ChunkAad(std::string_view backup_id, std::uint64_t index, bool last) {
  base::Bytes aad(kChunkDomain.begin(), kChunkDomain.end());
  const auto n = static_cast<std::uint32_t>(backup_id.size());
  for (int i = 3; i >= 0; --i) aad.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  aad.insert(aad.end(), backup_id.begin(), backup_id.end());
  for (int i = 7; i >= 0; --i) aad.push_back(static_cast<std::uint8_t>(index >> (8 * i)));
  aad.push_back(last ? 1 : 0);
  return aad;
}

std::string Hex(const crypto::Sha256Digest& d) { return base::HexEncode(d); }

}  // namespace

// ---- PayloadWriter ------------------------------------------------------------------------------

// The caller fills chunks of compressed bytes; a sealer thread seals, hashes and writes them, so
// sealing and writing overlap reading and compressing. Three chunk buffers circulate between the
// two.
struct PayloadWriter::State {
  struct Piece {
    base::Bytes data;
    std::size_t size = 0;
    std::uint64_t index = 0;
    bool last = false;
  };

  std::vector<fs::path> paths;
  std::vector<std::unique_ptr<base::UniqueFd>> fds;
  crypto::Aes256Key key;
  std::string id;
  ZSTD_CCtx* cctx = nullptr;
  bool finished = false;

  // The caller's side.
  base::Bytes chunk;  // Compressed bytes of the chunk being filled.
  std::size_t fill = 0;
  std::uint64_t next_index = 0;
  std::uint64_t archive_bytes = 0;

  // Between the two.
  base::Mutex mu;
  base::CondVar changed;
  std::deque<Piece> queue SR_GUARDED_BY(mu);
  std::vector<base::Bytes> spare SR_GUARDED_BY(mu);
  base::Status error SR_GUARDED_BY(mu);
  bool closing SR_GUARDED_BY(mu) = false;
  std::thread sealer;

  // The sealer's side (read by the caller only after joining it).
  base::Bytes sealed;
  crypto::Sha256Hasher hasher;
  PayloadSummary summary;

  void SealerLoop();
  base::Status Seal(const Piece& piece);
  void Stop() {
    {
      base::MutexLock l(&mu);
      closing = true;
    }
    changed.SignalAll();
    if (sealer.joinable()) sealer.join();
  }
  ~State() {
    Stop();
    ZSTD_freeCCtx(cctx);
  }
};

base::Status PayloadWriter::State::Seal(const Piece& piece) {
  const base::Bytes aad = ChunkAad(id, piece.index, piece.last);
  const base::ByteView parts[] = {aad};
  crypto::internal::AesGcmEncryptTo(key, ChunkNonce(piece.index), parts,
                                    base::ByteView(piece.data.data(), piece.size), sealed.data());
  const base::ByteView out(sealed.data(), piece.size + crypto::kGcmTagSize);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    SR_RETURN_IF_ERROR(WriteAll(fds[i]->get(), out, paths[i]));
  }
  hasher.Update(out);
  summary.compressed_bytes += piece.size;
  summary.payload_bytes += out.size();
  ++summary.chunks;
  return base::OkStatus();
}

void PayloadWriter::State::SealerLoop() {
  for (;;) {
    Piece piece;
    {
      base::MutexLock l(&mu);
      while (queue.empty() && !closing) changed.Wait(&mu);
      if (queue.empty()) return;
      piece = std::move(queue.front());
      queue.pop_front();
    }
    bool failed;
    {
      base::MutexLock l(&mu);
      failed = !error.ok();
    }
    base::Status s = failed ? base::OkStatus() : Seal(piece);
    {
      base::MutexLock l(&mu);
      if (!s.ok() && error.ok()) error = std::move(s);
      spare.push_back(std::move(piece.data));
    }
    changed.SignalAll();
  }
}

PayloadWriter::PayloadWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
PayloadWriter::~PayloadWriter() {
  if (state_ && !state_->finished) Abort();
}

base::Result<std::unique_ptr<PayloadWriter>> PayloadWriter::Create(
    const std::vector<fs::path>& outputs, const crypto::Aes256Key& content_key,
    std::string backup_id, int zstd_level) {
  auto state = std::make_unique<State>();
  state->key = content_key.Clone();
  state->id = std::move(backup_id);
  state->chunk.resize(kChunkSize);
  state->sealed.resize(kChunkSize + crypto::kGcmTagSize);
  {
    base::MutexLock l(&state->mu);
    for (int i = 0; i < 2; ++i) state->spare.emplace_back(kChunkSize);
  }
  state->cctx = ZSTD_createCCtx();
  if (state->cctx == nullptr) return base::ResourceExhaustedError("cannot start zstd");
  ZSTD_CCtx_setParameter(state->cctx, ZSTD_c_compressionLevel, zstd_level);
  ZSTD_CCtx_setParameter(state->cctx, ZSTD_c_checksumFlag, 1);
  // Compression runs on its own thread too (ignored by a libzstd built without threads).
  ZSTD_CCtx_setParameter(state->cctx, ZSTD_c_nbWorkers, 1);
  std::unique_ptr<PayloadWriter> writer(new PayloadWriter(std::move(state)));
  for (const fs::path& p : outputs) {
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      const base::Status s = errno == EEXIST
                                 ? base::AlreadyExistsError(p.string() + " already exists")
                                 : Errno("cannot create", p);
      writer->Abort();
      return s;
    }
    writer->state_->paths.push_back(p);
    writer->state_->fds.push_back(std::make_unique<base::UniqueFd>(fd));
  }
  State* raw = writer->state_.get();
  raw->sealer = std::thread([raw] { raw->SealerLoop(); });
  return writer;
}

base::Status PayloadWriter::Emit(bool last) {
  State& s = *state_;
  {
    base::MutexLock l(&s.mu);
    while (s.spare.empty() && s.error.ok()) s.changed.Wait(&s.mu);
    if (!s.error.ok()) return s.error;
    State::Piece piece;
    piece.data = std::move(s.chunk);
    piece.size = s.fill;
    piece.index = s.next_index++;
    piece.last = last;
    s.queue.push_back(std::move(piece));
    s.chunk = std::move(s.spare.back());
    s.spare.pop_back();
  }
  s.changed.SignalAll();
  s.fill = 0;
  return base::OkStatus();
}

base::Status PayloadWriter::Compress(base::ByteView in, bool end) {
  State& s = *state_;
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  for (;;) {
    ZSTD_outBuffer output{s.chunk.data() + s.fill, kChunkSize - s.fill, 0};
    const std::size_t rc =
        ZSTD_compressStream2(s.cctx, &output, &input, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(rc)) {
      return base::InternalError(std::string("zstd compression failed: ") + ZSTD_getErrorName(rc));
    }
    s.fill += output.pos;
    if (s.fill == kChunkSize) SR_RETURN_IF_ERROR(Emit(false));
    const bool consumed = input.pos == input.size;
    if (consumed && (!end || rc == 0) && s.fill < kChunkSize) return base::OkStatus();
  }
}

base::Status PayloadWriter::Write(base::ByteView archive_bytes) {
  if (state_->finished) return base::FailedPreconditionError("the payload is finished");
  state_->archive_bytes += archive_bytes.size();
  return Compress(archive_bytes, false);
}

base::Result<PayloadSummary> PayloadWriter::Finish() {
  State& s = *state_;
  if (s.finished) return base::FailedPreconditionError("the payload is finished");
  SR_RETURN_IF_ERROR(Compress({}, true));
  SR_RETURN_IF_ERROR(Emit(true));
  s.Stop();  // The sealer drains the queue first.
  {
    base::MutexLock l(&s.mu);
    if (!s.error.ok()) return s.error;
  }
  for (std::size_t i = 0; i < s.fds.size(); ++i) {
    if (::fsync(s.fds[i]->get()) != 0) return Errno("cannot fsync", s.paths[i]);
    SR_RETURN_IF_ERROR(s.fds[i]->Close());
  }
  s.summary.archive_bytes = s.archive_bytes;
  s.summary.payload_sha256 = Hex(s.hasher.Finish());
  s.finished = true;
  return s.summary;
}

void PayloadWriter::Abort() {
  State& s = *state_;
  {
    base::MutexLock l(&s.mu);
    s.queue.clear();
  }
  s.Stop();
  s.fds.clear();
  for (const fs::path& p : s.paths) {
    std::error_code ignored;
    fs::remove(p, ignored);
  }
  s.paths.clear();
  s.finished = true;
}

// ---- PayloadReader ------------------------------------------------------------------------------

// An opener thread reads and authenticates chunks ahead of the caller, who decompresses them;
// three chunk buffers circulate between the two.
struct PayloadReader::State {
  struct Piece {
    base::Bytes data;
    std::size_t size = 0;
    bool last = false;
  };

  fs::path path;
  std::unique_ptr<base::UniqueFd> fd;
  crypto::Aes256Key key;
  std::string id;
  ZSTD_DCtx* dctx = nullptr;

  // The caller's side.
  Piece current;
  std::size_t pos = 0;
  bool have_current = false;
  bool last_seen = false;
  bool frame_done = false;
  std::uint64_t archive_bytes = 0;

  // Between the two.
  base::Mutex mu;
  base::CondVar changed;
  std::deque<Piece> ready SR_GUARDED_BY(mu);
  std::vector<base::Bytes> spare SR_GUARDED_BY(mu);
  base::Status error SR_GUARDED_BY(mu);
  bool stopping SR_GUARDED_BY(mu) = false;
  std::thread opener;

  // The opener's side (read by the caller only after joining it).
  base::Bytes sealed;
  crypto::Sha256Hasher hasher;
  PayloadSummary summary;

  void OpenerLoop();
  base::Status OpenNext(base::Bytes& into, std::size_t& size, bool& last);
  void Stop() {
    {
      base::MutexLock l(&mu);
      stopping = true;
    }
    changed.SignalAll();
    if (opener.joinable()) opener.join();
  }
  ~State() {
    Stop();
    ZSTD_freeDCtx(dctx);
  }
};

base::Status PayloadReader::State::OpenNext(base::Bytes& into, std::size_t& size, bool& last) {
  SR_ASSIGN_OR_RETURN(const std::size_t got, ReadFull(fd->get(), sealed, path));
  const std::uint64_t index = summary.chunks;
  // A full-size chunk is never the last one; a shorter one always is.
  last = got < sealed.size();
  if (got < crypto::kGcmTagSize) {
    return base::DataLossError("the backup payload is truncated at chunk " + std::to_string(index));
  }
  const base::ByteView in(sealed.data(), got);
  const base::Bytes aad = ChunkAad(id, index, last);
  const base::ByteView parts[] = {aad};
  if (!crypto::internal::AesGcmDecryptTo(key, ChunkNonce(index), parts, in, crypto::kGcmTagSize,
                                         into.data())
           .ok()) {
    return base::DataLossError("chunk " + std::to_string(index) +
                               " of the backup payload does not authenticate: the payload was "
                               "altered, truncated, reordered or belongs to another backup");
  }
  hasher.Update(in);
  size = got - crypto::kGcmTagSize;
  summary.payload_bytes += got;
  summary.compressed_bytes += size;
  ++summary.chunks;
  if (last) summary.payload_sha256 = Hex(hasher.Finish());
  return base::OkStatus();
}

void PayloadReader::State::OpenerLoop() {
  for (;;) {
    Piece piece;
    {
      base::MutexLock l(&mu);
      while (spare.empty() && !stopping) changed.Wait(&mu);
      if (stopping) return;
      piece.data = std::move(spare.back());
      spare.pop_back();
    }
    base::Status s = OpenNext(piece.data, piece.size, piece.last);
    const bool done = !s.ok() || piece.last;
    {
      base::MutexLock l(&mu);
      if (s.ok()) {
        ready.push_back(std::move(piece));
      } else {
        error = std::move(s);
      }
    }
    changed.SignalAll();
    if (done) return;
  }
}

PayloadReader::PayloadReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
PayloadReader::~PayloadReader() = default;

base::Result<std::unique_ptr<PayloadReader>> PayloadReader::Open(
    const fs::path& path, const crypto::Aes256Key& content_key, std::string backup_id) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return base::NotFoundError(path.string() + " does not exist");
    return Errno("cannot open", path);
  }
  auto state = std::make_unique<State>();
  state->path = path;
  state->fd = std::make_unique<base::UniqueFd>(fd);
  state->key = content_key.Clone();
  state->id = std::move(backup_id);
  state->sealed.resize(kChunkSize + crypto::kGcmTagSize);
  {
    base::MutexLock l(&state->mu);
    for (int i = 0; i < 3; ++i) state->spare.emplace_back(kChunkSize);
  }
  state->dctx = ZSTD_createDCtx();
  if (state->dctx == nullptr) return base::ResourceExhaustedError("cannot start zstd");
  State* raw = state.get();
  raw->opener = std::thread([raw] { raw->OpenerLoop(); });
  return std::unique_ptr<PayloadReader>(new PayloadReader(std::move(state)));
}

base::Status PayloadReader::NextChunk() {
  State& s = *state_;
  base::MutexLock l(&s.mu);
  if (s.have_current) {
    s.spare.push_back(std::move(s.current.data));
    s.have_current = false;
    s.changed.SignalAll();
  }
  while (s.ready.empty() && s.error.ok()) s.changed.Wait(&s.mu);
  if (s.ready.empty()) return s.error;
  s.current = std::move(s.ready.front());
  s.ready.pop_front();
  s.have_current = true;
  s.pos = 0;
  s.last_seen = s.current.last;
  return base::OkStatus();
}

base::Result<std::size_t> PayloadReader::Read(std::span<std::uint8_t> out) {
  State& s = *state_;
  const auto remaining = [&] { return s.have_current ? s.current.size - s.pos : 0; };
  for (;;) {
    if (s.frame_done) {
      if (remaining() > 0) {
        return base::DataLossError("the backup payload has bytes after its compressed stream");
      }
      if (!s.last_seen) {
        SR_RETURN_IF_ERROR(NextChunk());
        continue;
      }
      s.Stop();  // The opener has finished: its summary may be read.
      return std::size_t{0};
    }
    if (remaining() == 0) {
      if (s.last_seen) {
        return base::DataLossError("the backup payload ends before its compressed stream does");
      }
      SR_RETURN_IF_ERROR(NextChunk());
      continue;
    }
    ZSTD_inBuffer input{s.current.data.data(), s.current.size, s.pos};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(s.dctx, &output, &input);
    s.pos = input.pos;
    if (ZSTD_isError(rc)) {
      return base::DataLossError(std::string("the backup's compressed stream is damaged: ") +
                                 ZSTD_getErrorName(rc));
    }
    if (rc == 0) s.frame_done = true;
    if (output.pos > 0) {
      s.archive_bytes += output.pos;
      return output.pos;
    }
  }
}

PayloadSummary PayloadReader::summary() const {
  PayloadSummary out = state_->summary;
  out.archive_bytes = state_->archive_bytes;
  return out;
}

// ---- The archive --------------------------------------------------------------------------------

bool IsSafeEntryPath(std::string_view path) {
  if (path.empty() || path.size() > 1024) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (const char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

base::Status ArchiveWriter::Begin() { return out_.Write(base::AsBytes(kMagic)); }

base::Status ArchiveWriter::Header(const std::string& path, std::uint64_t size) {
  if (!IsSafeEntryPath(path)) {
    return base::InvalidArgumentError("cannot archive '" + path + "': not a safe relative path");
  }
  base::Bytes h;
  h.push_back(static_cast<std::uint8_t>(path.size() >> 8));
  h.push_back(static_cast<std::uint8_t>(path.size()));
  h.insert(h.end(), path.begin(), path.end());
  for (int i = 7; i >= 0; --i) h.push_back(static_cast<std::uint8_t>(size >> (8 * i)));
  return out_.Write(h);
}

base::Result<ArchiveEntry> ArchiveWriter::AddFile(const std::string& path, const fs::path& source) {
  const int raw = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return base::NotFoundError(source.string() + " does not exist");
    return Errno("cannot open", source);
  }
  base::UniqueFd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Errno("cannot stat", source);
  if (!S_ISREG(st.st_mode)) return base::InvalidArgumentError(source.string() + " is not a file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  SR_RETURN_IF_ERROR(Header(path, size));
  crypto::Sha256Hasher hasher;
  std::vector<std::uint8_t> buf(std::size_t{1} << 20);
  std::uint64_t left = size;
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
    SR_ASSIGN_OR_RETURN(const std::size_t got,
                        ReadFull(fd.get(), std::span(buf.data(), want), source));
    if (got != want) {
      return base::AbortedError(source.string() + " shrank while it was backed up");
    }
    hasher.Update(base::ByteView(buf.data(), got));
    SR_RETURN_IF_ERROR(out_.Write(base::ByteView(buf.data(), got)));
    left -= got;
  }
  return ArchiveEntry{path, size, Hex(hasher.Finish())};
}

base::Result<ArchiveEntry> ArchiveWriter::AddBytes(const std::string& path, base::ByteView bytes) {
  SR_RETURN_IF_ERROR(Header(path, bytes.size()));
  SR_RETURN_IF_ERROR(out_.Write(bytes));
  return ArchiveEntry{path, bytes.size(), Hex(crypto::Sha256(bytes))};
}

base::Status ArchiveWriter::End() {
  const std::uint8_t end[2] = {0, 0};
  return out_.Write(end);
}

namespace {

// Exact reads over the payload reader.
class Input {
 public:
  explicit Input(PayloadReader& in) : in_(in), buf_(1 << 16) {}

  base::Status Exact(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
      if (pos_ == size_) {
        SR_ASSIGN_OR_RETURN(size_, in_.Read(buf_));
        pos_ = 0;
        if (size_ == 0) return base::DataLossError("the backup archive ends in the middle");
      }
      const std::size_t n = std::min(out.size() - done, size_ - pos_);
      std::memcpy(out.data() + done, buf_.data() + pos_, n);
      pos_ += n;
      done += n;
    }
    return base::OkStatus();
  }

  base::Result<std::uint64_t> Uint(int bytes) {
    std::array<std::uint8_t, 8> b{};
    SR_RETURN_IF_ERROR(Exact(std::span(b.data(), static_cast<std::size_t>(bytes))));
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | b[static_cast<std::size_t>(i)];
    return v;
  }

  // After the end marker nothing may follow.
  base::Status ExpectEnd() {
    if (pos_ < size_) return base::DataLossError("the backup archive has bytes after its end");
    std::array<std::uint8_t, 1> b{};
    SR_ASSIGN_OR_RETURN(const std::size_t n, in_.Read(b));
    if (n != 0) return base::DataLossError("the backup archive has bytes after its end");
    return base::OkStatus();
  }

 private:
  PayloadReader& in_;
  std::vector<std::uint8_t> buf_;
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
};

}  // namespace

base::Result<std::vector<ArchiveEntry>> ExtractArchive(PayloadReader& in, const fs::path& dir,
                                                       bool durable) {
  Input input(in);
  std::array<std::uint8_t, kMagic.size()> magic{};
  SR_RETURN_IF_ERROR(input.Exact(magic));
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    return base::DataLossError("the backup archive does not start with its magic bytes");
  }
  std::vector<ArchiveEntry> entries;
  std::set<std::string> seen;
  std::vector<std::uint8_t> buf(std::size_t{1} << 20);
  for (;;) {
    SR_ASSIGN_OR_RETURN(const std::uint64_t len, input.Uint(2));
    if (len == 0) break;
    std::string path(len, '\0');
    SR_RETURN_IF_ERROR(input.Exact(std::span(reinterpret_cast<std::uint8_t*>(path.data()), len)));
    if (!IsSafeEntryPath(path) || !seen.insert(path).second) {
      return base::DataLossError("the backup archive holds an unsafe or repeated path");
    }
    SR_ASSIGN_OR_RETURN(const std::uint64_t size, input.Uint(8));
    const fs::path target = dir / path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return base::UnavailableError("cannot create " + target.parent_path().string());
    const int raw = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (raw < 0) return Errno("cannot create", target);
    base::UniqueFd fd(raw);
    crypto::Sha256Hasher hasher;
    std::uint64_t left = size;
    while (left > 0) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
      SR_RETURN_IF_ERROR(input.Exact(std::span(buf.data(), n)));
      hasher.Update(base::ByteView(buf.data(), n));
      SR_RETURN_IF_ERROR(WriteAll(fd.get(), base::ByteView(buf.data(), n), target));
      left -= n;
    }
    if (durable && ::fsync(fd.get()) != 0) return Errno("cannot fsync", target);
    SR_RETURN_IF_ERROR(fd.Close());
    entries.push_back(ArchiveEntry{path, size, Hex(hasher.Finish())});
  }
  SR_RETURN_IF_ERROR(input.ExpectEnd());
  return entries;
}

}  // namespace strongroom::backup
