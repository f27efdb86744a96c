#include "strongroom/vault/export.hpp"

#include <cstdio>
#include <cstring>
#include <deque>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/vault/internal/common.hpp"

namespace strongroom::vault {
namespace {

using nlohmann::json;

constexpr std::size_t kBlock = 512;
constexpr std::size_t kPage = 200;
constexpr const char* kSignedPrefix = "strongroom.export.v1\n";

// width - 1 octal digits, zero-padded, then NUL (values that do not fit are a bug: sizes are
// bounded far below 8 GiB by the file limit).
void PutOctal(char* field, std::size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i > 0; --i) {
    field[i - 1] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

// One ustar header block. Names longer than 100 bytes get a pax header first.
std::string TarHeader(const std::string& name, std::uint64_t size, char type, std::int64_t mtime) {
  std::string block(kBlock, '\0');
  char* h = block.data();
  std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 100));
  PutOctal(h + 100, 8, type == '5' ? 0700 : 0600);
  PutOctal(h + 108, 8, 0);
  PutOctal(h + 116, 8, 0);
  PutOctal(h + 124, 12, size);
  PutOctal(h + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime, 0)));
  std::memset(h + 148, ' ', 8);
  h[156] = type;
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  PutOctal(h + 148, 7, sum);  // Six digits and NUL, then the space already there.
  return block;
}

std::string Padding(std::uint64_t size) {
  return std::string((kBlock - size % kBlock) % kBlock, '\0');
}

// The header (with a pax record for a long name) of an entry of `size` bytes.
std::string EntryHeader(const std::string& path, std::uint64_t size, std::int64_t mtime) {
  if (path.size() <= 100) return TarHeader(path, size, '0', mtime);
  // "<len> path=<path>\n", where <len> counts the whole record, its own digits included.
  const std::string body = " path=" + path + "\n";
  std::size_t len = body.size() + 1;
  while (std::to_string(len).size() + body.size() != len) ++len;
  const std::string record = std::to_string(len) + body;
  return TarHeader("PaxHeader", record.size(), 'x', mtime) + record + Padding(record.size()) +
         TarHeader(path.substr(0, 100), size, '0', mtime);
}

json RecordJson(const Record& r) {
  return {{"id", r.id},
          {"collection", r.collection},
          {"version", r.version},
          {"created_at", base::FormatRfc3339(r.created_at)},
          {"updated_at", base::FormatRfc3339(r.updated_at)},
          {"data", r.data}};
}

class ExportStream final : public FileReader {
 public:
  ExportStream(Records& records, Files& files, const base::Clock& clock,
               const crypto::Ed25519KeyPair& key, ExportPermits permits, json header)
      : records_(records),
        files_(files),
        key_(key),
        permits_(std::move(permits)),
        header_(std::move(header)),
        mtime_(base::ToUnixMillis(clock.Now()) / 1000),
        manifest_(std::tmpfile()) {}
  ~ExportStream() override {
    if (manifest_ != nullptr) std::fclose(manifest_);
  }

  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    if (!failed_.ok()) return failed_;
    std::size_t written = 0;
    while (written < out.size()) {
      if (pending_at_ < pending_.size()) {
        const std::size_t n = std::min(out.size() - written, pending_.size() - pending_at_);
        std::memcpy(out.data() + written, pending_.data() + pending_at_, n);
        pending_at_ += n;
        written += n;
        continue;
      }
      if (file_) {
        auto n = file_->Read(out.subspan(written));
        if (!n.ok()) return Fail(n.error(), written);
        if (*n > 0) {
          written += *n;
          continue;
        }
        file_.reset();
        Emit(Padding(file_size_));
        continue;
      }
      if (done_) break;
      if (base::Status s = Advance(); !s.ok()) return Fail(s, written);
    }
    return written;
  }

 private:
  enum class Phase { kCollections, kRecords, kFiles, kManifest, kDone };

  base::Result<std::size_t> Fail(const base::Status& s, std::size_t written) {
    failed_ = s;
    if (written > 0) return written;
    return s;
  }

  void Emit(std::string bytes) {
    if (pending_at_ == pending_.size()) {
      pending_ = std::move(bytes);
      pending_at_ = 0;
    } else {
      pending_ += bytes;
    }
  }

  base::Status Note(const std::string& path, std::uint64_t size, const std::string& sha256) {
    const std::string line = json{{"path", path}, {"size", size}, {"sha256", sha256}}.dump() + "\n";
    if (std::fwrite(line.data(), 1, line.size(), manifest_) != line.size()) {
      return base::UnavailableError("cannot spool the export manifest");
    }
    return base::OkStatus();
  }

  base::Status SmallEntry(const std::string& path, const std::string& content) {
    Emit(EntryHeader(path, content.size(), mtime_) + content + Padding(content.size()));
    return Note(path, content.size(), base::HexEncode(crypto::Sha256(base::AsBytes(content))));
  }

  // Queues the next piece of the archive.
  base::Status Advance() {
    switch (phase_) {
      case Phase::kCollections: {
        if (manifest_ == nullptr) return base::UnavailableError("cannot create a temporary file");
        SR_ASSIGN_OR_RETURN(const std::vector<Collection> list,
                            records_.ListCollections(permits_.records));
        for (const Collection& c : list) {
          collections_.push_back(c.name);
          const json spec = {{"name", c.name},
                             {"classification", ClassificationName(c.spec.classification)},
                             {"retention_days",
                              c.spec.retention_days ? json(*c.spec.retention_days) : json(nullptr)},
                             {"lookup_fields", c.spec.lookup_fields},
                             {"restricted_fields", c.spec.restricted_fields},
                             {"created_at", base::FormatRfc3339(c.created_at)}};
          SR_RETURN_IF_ERROR(SmallEntry("collections/" + c.name + ".json", spec.dump(2) + "\n"));
        }
        collections_count_ = list.size();
        phase_ = Phase::kRecords;
        return base::OkStatus();
      }
      case Phase::kRecords: {
        if (collections_.empty()) {
          phase_ = Phase::kFiles;
          after_.clear();
          return base::OkStatus();
        }
        const std::string& collection = collections_.front();
        SR_ASSIGN_OR_RETURN(const RecordPage page, records_.List(permits_.records, collection,
                                                                 kPage, after_, &permits_.unmask));
        for (const Record& r : page.records) {
          SR_RETURN_IF_ERROR(SmallEntry("records/" + collection + "/" + r.id + ".json",
                                        RecordJson(r).dump(2) + "\n"));
          ++records_count_;
        }
        if (page.next_after) {
          after_ = *page.next_after;
        } else {
          collections_.pop_front();
          after_.clear();
        }
        return base::OkStatus();
      }
      case Phase::kFiles: {
        if (file_ids_.empty()) {
          if (files_listed_) {
            phase_ = Phase::kManifest;
            return base::OkStatus();
          }
          SR_ASSIGN_OR_RETURN(const FilePage page, files_.List(permits_.files, kPage, after_));
          for (const FileInfo& f : page.files) file_ids_.push_back(f.id);
          if (page.next_after) {
            after_ = *page.next_after;
          } else {
            files_listed_ = true;
          }
          return base::OkStatus();
        }
        const std::string id = file_ids_.front();
        file_ids_.pop_front();
        auto download = files_.Open(permits_.files, id);
        // Deleted since it was listed: it is simply not in the archive.
        if (!download.ok() && download.error().code() == base::ErrorCode::kNotFound) {
          return base::OkStatus();
        }
        if (!download.ok()) return download.error();
        const std::string path = "files/" + id;
        Emit(EntryHeader(path, download->info.size, mtime_));
        SR_RETURN_IF_ERROR(Note(path, download->info.size, download->info.sha256));
        file_size_ = download->info.size;
        file_ = std::move(download->reader);
        ++files_count_;
        return base::OkStatus();
      }
      case Phase::kManifest: {
        // The header line goes first: the entries were spooled, so read them back after it.
        json header = header_;
        header["counts"] = {{"collections", collections_count_},
                            {"records", records_count_},
                            {"files", files_count_}};
        std::string manifest = header.dump() + "\n";
        std::rewind(manifest_);
        char buf[65536];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, manifest_)) > 0) manifest.append(buf, n);
        if (std::ferror(manifest_)) return base::UnavailableError("cannot read the manifest back");
        const std::string signed_text =
            kSignedPrefix + base::HexEncode(crypto::Sha256(base::AsBytes(manifest)));
        const std::string signature =
            base::Base64UrlEncode(key_.Sign(base::AsBytes(signed_text))) + "\n";
        Emit(EntryHeader("manifest.jsonl", manifest.size(), mtime_) + manifest +
             Padding(manifest.size()));
        Emit(EntryHeader("manifest.sig", signature.size(), mtime_) + signature +
             Padding(signature.size()));
        Emit(std::string(2 * kBlock, '\0'));
        phase_ = Phase::kDone;
        done_ = true;
        return base::OkStatus();
      }
      case Phase::kDone:
        done_ = true;
        return base::OkStatus();
    }
    return base::OkStatus();
  }

  Records& records_;
  Files& files_;
  const crypto::Ed25519KeyPair& key_;
  const ExportPermits permits_;
  const json header_;
  const std::int64_t mtime_;
  std::FILE* manifest_;

  Phase phase_ = Phase::kCollections;
  bool done_ = false;
  base::Status failed_;
  std::string pending_;
  std::size_t pending_at_ = 0;
  std::deque<std::string> collections_;
  std::deque<std::string> file_ids_;
  bool files_listed_ = false;
  std::string after_;
  std::unique_ptr<FileReader> file_;
  std::uint64_t file_size_ = 0;
  std::uint64_t collections_count_ = 0, records_count_ = 0, files_count_ = 0;
};

}  // namespace

base::Result<std::unique_ptr<FileReader>> Exporter::Export(const ExportPermits& p) {
  SR_RETURN_IF_ERROR(internal::CheckPermit(p.export_permit, access::Action::kTenantsExport));
  SR_RETURN_IF_ERROR(internal::CheckPermit(p.records, access::Action::kRecordsRead));
  SR_RETURN_IF_ERROR(internal::CheckPermit(p.unmask, access::Action::kRecordsUnmask));
  SR_RETURN_IF_ERROR(internal::CheckPermit(p.files, access::Action::kFilesRead));
  const identity::TenantId& tenant = p.export_permit.tenant();
  for (const access::Permit* other : {&p.records, &p.unmask, &p.files}) {
    if (other->tenant() != tenant || other->collection().has_value()) {
      return base::InternalError("export permits must all be for the whole of one tenant");
    }
  }
  const base::Time now = clock_.Now();
  const json header = {
      {"format", "strongroom.export.v1"},
      {"tenant_id", tenant.value()},
      {"exported_at", base::FormatRfc3339(now)},
      {"exported_by", p.export_permit.actor().id},
      {"request_id", p.export_permit.actor().request_id},
      {"signing_key_id", base::HexEncode(std::span(signing_key_.public_key().data(), 8))}};
  audit::Event e = p.export_permit.Event(now, "tenants.export", "tenant:" + tenant.value());
  SR_RETURN_IF_ERROR(audit_.Record(e));
  return std::unique_ptr<FileReader>(
      std::make_unique<ExportStream>(records_, files_, clock_, signing_key_, p, header));
}

bool Exporter::VerifyManifest(const std::string& manifest, const std::string& signature,
                              const crypto::Ed25519PublicKey& key) {
  std::string sig_text = signature;
  while (!sig_text.empty() && (sig_text.back() == '\n' || sig_text.back() == '\r')) {
    sig_text.pop_back();
  }
  auto sig = base::Base64UrlDecode(sig_text);
  if (!sig.ok() || sig->size() != crypto::kEd25519SignatureSize) return false;
  crypto::Ed25519Signature s;
  std::copy(sig->begin(), sig->end(), s.begin());
  const std::string signed_text =
      kSignedPrefix + base::HexEncode(crypto::Sha256(base::AsBytes(manifest)));
  return crypto::Ed25519Verify(key, base::AsBytes(signed_text), s);
}

}  // namespace strongroom::vault
