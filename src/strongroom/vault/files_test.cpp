#include "strongroom/vault/files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "strongroom/audit/keys.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/vault/key_rotation.hpp"
#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/shred.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

namespace fs = std::filesystem;
using access::Action;

constexpr std::size_t kChunk = 1024;

// Serves `data` in pieces of `piece` bytes, failing after `fail_after` bytes if set.
class BufferSource final : public ByteSource {
 public:
  explicit BufferSource(std::string data, std::size_t piece = 700,
                        std::optional<std::size_t> fail_after = std::nullopt)
      : data_(std::move(data)), piece_(piece), fail_after_(fail_after) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    if (fail_after_ && at_ >= *fail_after_) return base::UnavailableError("the client went away");
    const std::size_t n = std::min({out.size(), piece_, data_.size() - at_});
    std::memcpy(out.data(), data_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t piece_;
  std::optional<std::size_t> fail_after_;
  std::size_t at_ = 0;
};

std::string Content(std::size_t n, char seed = 'a') {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 7) % 26);
  return s;
}

std::string ReadAll(FileReader& reader, base::Status* error = nullptr) {
  std::string out;
  std::vector<std::uint8_t> buf(333);
  for (;;) {
    auto n = reader.Read(buf);
    if (!n.ok()) {
      if (error) *error = n.error();
      return out;
    }
    if (*n == 0) return out;
    out.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
}

std::string FileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class FilesTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    FileLimits limits;
    limits.chunk_size = kChunk;
    limits.max_bytes = 64 * 1024;
    files_ = std::make_unique<Files>(*store_, *keys_, audit_, clock_, temp_ / "files", limits);
  }
  base::Result<FileInfo> Put(const std::string& id, const std::string& data,
                             const WriteConditions& c = {}) {
    BufferSource source(data);
    return files_->Put(Permit(user_, Action::kFilesWrite, std::nullopt), id, "text/plain", source,
                       c);
  }
  base::Result<FileDownload> Open(const std::string& id) {
    return files_->Open(Permit(user_, Action::kFilesRead, std::nullopt), id);
  }
  std::string Get(const std::string& id) {
    auto d = Open(id);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? ReadAll(*d->reader) : "";
  }
  fs::path BlobOf(const std::string& id) {
    auto tx = *store_->BeginRead();
    const auto rows = *tx->Query("SELECT blob FROM vault_files WHERE id = ?", {storage::Text(id)});
    return temp_ / "files" / tenant_.id.value() / *rows.at(0).GetText(0);
  }
  std::vector<fs::path> DirEntries() {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(temp_ / "files" / tenant_.id.value(), ec)) {
      out.push_back(e.path());
    }
    return out;
  }

  std::unique_ptr<Files> files_;
};

TEST_F(FilesTest, RoundTripsEverySizeAroundTheChunkBoundaries) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1,
                           3 * kChunk, 3 * kChunk + 5}) {
    const std::string id = "f" + std::to_string(size);
    const std::string data = Content(size);
    auto info = Put(id, data);
    ASSERT_TRUE(info.ok()) << size << ": " << info.status().ToString();
    EXPECT_EQ(info->size, size);
    EXPECT_EQ(info->sha256, base::HexEncode(crypto::Sha256(base::AsBytes(data))));
    EXPECT_EQ(fs::file_size(BlobOf(id)), size + (size / kChunk + 1) * 16);
    EXPECT_EQ(Get(id), data) << size;
  }
}

TEST_F(FilesTest, NothingOfTheContentIsStoredInTheClear) {
  const std::string canary = "FileCanary-3b1d77-" + Content(3000);
  ASSERT_TRUE(Put("secret", canary).ok());
  ASSERT_TRUE(store_->Checkpoint().ok());
  const std::string disk = FileBytes(BlobOf("secret")) + FileBytes(temp_ / "store.db");
  EXPECT_EQ(disk.find("FileCanary-3b1d77"), std::string::npos);
  EXPECT_EQ(disk.find(Content(64)), std::string::npos);
  // Not the content's hash either: it is sealed with the file's key.
  const std::string hash = base::HexEncode(crypto::Sha256(base::AsBytes(canary)));
  EXPECT_EQ(disk.find(hash), std::string::npos);
}

TEST_F(FilesTest, AnAlteredChunkIsDetectedAndTheFileNeverArrivesWhole) {
  const std::string data = Content(3 * kChunk + 100);
  ASSERT_TRUE(Put("f", data).ok());
  {
    std::fstream blob(BlobOf("f"), std::ios::in | std::ios::out | std::ios::binary);
    blob.seekp(static_cast<std::streamoff>(kChunk + 16 + 10));  // Inside chunk 1.
    blob.put('\x55');
  }
  auto d = Open("f");
  ASSERT_TRUE(d.ok());
  base::Status error;
  const std::string got = ReadAll(*d->reader, &error);
  EXPECT_EQ(error.code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(error.message().find("chunk 1"), std::string::npos) << error.message();
  EXPECT_EQ(got, data.substr(0, kChunk));  // Only chunk 0, which was intact.
  const auto reads = audit_.With("files.read");
  ASSERT_EQ(reads.size(), 2u);  // The open, then the failure.
  EXPECT_EQ(reads[1].outcome, audit::Outcome::kFailed);
  EXPECT_EQ(reads[1].reason, "integrity");
}

TEST_F(FilesTest, ReorderedTruncatedOrSubstitutedContentIsDetected) {
  const std::string data = Content(3 * kChunk + 100);
  ASSERT_TRUE(Put("f", data).ok());
  const fs::path blob = BlobOf("f");
  const std::string original = FileBytes(blob);
  const auto write = [&](const std::string& bytes) {
    std::ofstream(blob, std::ios::binary) << bytes;
  };
  const std::size_t c = kChunk + 16;

  // Chunks 0 and 1 swapped.
  write(original.substr(c, c) + original.substr(0, c) + original.substr(2 * c));
  base::Status error;
  ReadAll(*Open("f")->reader, &error);
  EXPECT_EQ(error.code(), base::ErrorCode::kDataLoss);

  // The last chunk cut off, and a chunk appended.
  write(original.substr(0, 3 * c));
  EXPECT_EQ(Open("f").status().code(), base::ErrorCode::kDataLoss);
  write(original + original.substr(0, c));
  EXPECT_EQ(Open("f").status().code(), base::ErrorCode::kDataLoss);

  // Another file's content of the same length under this file's name.
  ASSERT_TRUE(Put("g", Content(3 * kChunk + 100, 'k')).ok());
  write(FileBytes(BlobOf("g")));
  error = base::OkStatus();
  ReadAll(*Open("f")->reader, &error);
  EXPECT_EQ(error.code(), base::ErrorCode::kDataLoss);

  // The previous version's content under the new version's name.
  write(original);
  ASSERT_EQ(Get("f"), data);
  ASSERT_TRUE(Put("f", Content(3 * kChunk + 100, 'q')).ok());
  std::ofstream(BlobOf("f"), std::ios::binary) << original;
  error = base::OkStatus();
  ReadAll(*Open("f")->reader, &error);
  EXPECT_EQ(error.code(), base::ErrorCode::kDataLoss);
}

TEST_F(FilesTest, AFileKeyMovedToAnotherFileDoesNotOpen) {
  ASSERT_TRUE(Put("a", Content(100)).ok());
  ASSERT_TRUE(Put("b", Content(100)).ok());
  auto tx = *store_->BeginWrite();
  ASSERT_TRUE(tx->Execute("UPDATE vault_files SET sealed_key = (SELECT sealed_key FROM vault_files "
                          "WHERE id = 'a'), blob = (SELECT blob FROM vault_files WHERE id = 'a') "
                          "WHERE id = 'b'")
                  .ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Open("b").status().code(), base::ErrorCode::kDataLoss);
}

TEST_F(FilesTest, AFailedUploadLeavesNothingBehind) {
  BufferSource failing(Content(5000), 700, 2100);
  auto r =
      files_->Put(Permit(user_, Action::kFilesWrite, std::nullopt), "f", "text/plain", failing, {});
  EXPECT_EQ(r.status().code(), base::ErrorCode::kUnavailable);
  auto big = Put("big", Content(64 * 1024 + 1));
  EXPECT_EQ(big.status().code(), base::ErrorCode::kResourceExhausted);
  EXPECT_TRUE(DirEntries().empty());
  auto tx = *store_->BeginRead();
  EXPECT_TRUE(tx->Query("SELECT id FROM vault_files")->empty());
  EXPECT_EQ(audit_.With("files.write").back().reason, "too_large");
}

TEST_F(FilesTest, VersionsConditionsDeletesAndLegalHolds) {
  WriteConditions absent;
  absent.if_absent = true;
  ASSERT_EQ(Put("f", "one", absent)->version, 1u);
  EXPECT_EQ(Put("f", "two", absent).status().code(), base::ErrorCode::kAborted);
  WriteConditions v1;
  v1.if_version = 1;
  ASSERT_EQ(Put("f", "two", v1)->version, 2u);
  EXPECT_EQ(DirEntries().size(), 1u);  // The first version's blob is gone.
  EXPECT_EQ(Get("f"), "two");

  const identity::User so = AddUser("so-sam", identity::Role::kSecurityOfficer).user;
  LegalHolds holds(*store_, audit_, clock_);
  const access::Permit manage = Permit(so, Action::kLegalHoldsManage, std::nullopt, tenant_.id);
  Declare("c");
  const LegalHold collection_hold = *holds.Place(manage, std::string("c"), "Case 1");
  ASSERT_EQ(Put("f", "three")->version, 3u);  // A collection's hold does not cover files.
  const LegalHold tenant_hold = *holds.Place(manage, std::nullopt, "Case 2");
  EXPECT_EQ(Put("f", "four").status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(files_->Delete(Permit(user_, Action::kFilesWrite, std::nullopt), "f", {}).code(),
            base::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(holds.Lift(manage, tenant_hold.id).ok());
  ASSERT_TRUE(files_->Delete(Permit(user_, Action::kFilesWrite, std::nullopt), "f", {}).ok());
  EXPECT_EQ(Open("f").status().code(), base::ErrorCode::kNotFound);
  EXPECT_TRUE(DirEntries().empty());
  EXPECT_EQ(Put("f", "again")->version, 4u);
  (void)collection_hold;
}

TEST_F(FilesTest, ListsInIdOrder) {
  for (const char* id : {"c", "a", "b"}) ASSERT_TRUE(Put(id, id).ok());
  auto page = files_->List(Permit(user_, Action::kFilesRead, std::nullopt), 2, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->files.size(), 2u);
  EXPECT_EQ(page->files[0].id, "a");
  EXPECT_EQ(*page->next_after, "b");
  page = files_->List(Permit(user_, Action::kFilesRead, std::nullopt), 2, "b");
  ASSERT_EQ(page->files.size(), 1u);
  EXPECT_EQ(page->files[0].size, 1u);
  EXPECT_FALSE(page->next_after);
}

TEST_F(FilesTest, TheSweepRemovesBlobsWithoutARowAndKeepsTheRest) {
  ASSERT_TRUE(Put("kept", "data").ok());
  const fs::path dir = temp_ / "files" / tenant_.id.value();
  std::ofstream(dir / ".upload-cut.0011") << "partial";
  std::ofstream(dir / "replaced.aabb") << "old";
  EXPECT_EQ(*files_->SweepOrphans(), 2u);
  EXPECT_EQ(DirEntries().size(), 1u);
  EXPECT_EQ(Get("kept"), "data");
}

TEST_F(FilesTest, RotationReSealsFileKeysAndTheOldVersionRetires) {
  ASSERT_TRUE(Put("f", Content(2500)).ok());
  KeyRotation rotation(*store_, *keys_, audit_, clock_);
  ASSERT_TRUE(rotation.Rotate(Permit(admin_, Action::kKeysRotate, std::nullopt)).ok());
  auto status = *rotation.Status(Permit(admin_, Action::kKeysRead, std::nullopt));
  EXPECT_EQ(status.versions[0].files, 1u);
  auto progress = rotation.RunOnce(audit::Actor{"key-rotation", "system", "local", ""});
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  EXPECT_EQ(progress->rewrapped, 1u);
  progress = rotation.RunOnce(audit::Actor{"key-rotation", "system", "local", ""});
  EXPECT_TRUE(progress->done);
  status = *rotation.Status(Permit(admin_, Action::kKeysRead, std::nullopt));
  ASSERT_EQ(status.versions.size(), 1u);
  EXPECT_EQ(Get("f"), Content(2500));
}

TEST_F(FilesTest, ShreddingRemovesTheTenantsFiles) {
  ASSERT_TRUE(Put("f", Content(2500)).ok());
  const std::string blob_bytes = FileBytes(BlobOf("f"));
  const identity::User ops = AddUser("ops-admin", identity::Role::kAdmin).user;
  Shredder shredder(*store_, *keys_, audit_, clock_, *audit::CheckpointSigningKey(*ring_),
                    temp_ / "files");
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  auto receipt =
      shredder.Shred(Permit(ops, Action::kTenantsShred, std::nullopt, tenant_.id), "Acme");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(receipt->receipt)["files_destroyed"], 1);
  EXPECT_FALSE(fs::exists(temp_ / "files" / tenant_.id.value()));
  auto tx = *store_->BeginRead();
  EXPECT_TRUE(tx->Query("SELECT id FROM vault_files")->empty());
}

TEST_F(FilesTest, EveryFileAccessIsAudited) {
  ASSERT_TRUE(Put("f", "x").ok());
  (void)Get("f");
  ASSERT_TRUE(files_->Delete(Permit(user_, Action::kFilesWrite, std::nullopt), "f", {}).ok());
  EXPECT_EQ(Open("f").status().code(), base::ErrorCode::kNotFound);
  std::vector<std::string> seen;
  for (const audit::Event& e : audit_.events()) {
    if (!e.action.starts_with("files.")) continue;
    seen.push_back(e.action + " " + std::string(audit::OutcomeName(e.outcome)));
    EXPECT_EQ(e.resource, "file:f");
    EXPECT_EQ(e.tenant_id, tenant_.id.value());
    EXPECT_EQ(e.actor_id, user_.id.value());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"files.write allowed", "files.read allowed",
                                            "files.delete allowed", "files.read failed"}));
}

}  // namespace
}  // namespace strongroom::vault
