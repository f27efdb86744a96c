#include "strongroom/vault/export.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "strongroom/audit/keys.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

namespace fs = std::filesystem;
using access::Action;
using nlohmann::json;

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  base::Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min(out.size(), data_.size() - at_);
    std::memcpy(out.data(), data_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t at_ = 0;
};

std::string FileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ExportTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    FileLimits limits;
    limits.chunk_size = 4096;
    files_ = std::make_unique<Files>(*store_, *keys_, audit_, clock_, temp_ / "files", limits);
    exporter_ = std::make_unique<Exporter>(*records_, *files_, audit_, clock_,
                                           *audit::CheckpointSigningKey(*ring_));
    CollectionSpec people;
    people.restricted_fields = {"ssn"};
    Declare("people", people);
    Declare("notes");
    PutRecord("people", "p1", {{"name", "Ada"}, {"ssn", "123-45-6789"}});
    PutRecord("people", long_id_, {{"name", "Long"}});
    PutRecord("notes", "n1", {{"text", "hello"}});
    for (std::size_t i = 0; i < big_.size(); ++i) big_[i] = static_cast<char>(i * 13 % 256);
    PutFile("contract.pdf", big_);
    PutFile("empty.txt", "");
  }
  void PutRecord(const std::string& c, const std::string& id, const json& data) {
    ASSERT_TRUE(
        records_->Put(Permit(admin_, Action::kRecordsWrite, c), c, id, data, {}, nullptr).ok());
  }
  void PutFile(const std::string& id, const std::string& content) {
    StringSource source(content);
    ASSERT_TRUE(files_
                    ->Put(Permit(admin_, Action::kFilesWrite, std::nullopt), id,
                          "application/octet-stream", source, {})
                    .ok());
  }
  ExportPermits Permits() {
    return ExportPermits{Permit(admin_, Action::kTenantsExport, std::nullopt),
                         Permit(admin_, Action::kRecordsRead, std::nullopt),
                         Permit(admin_, Action::kRecordsUnmask, std::nullopt),
                         Permit(admin_, Action::kFilesRead, std::nullopt)};
  }
  // The whole archive, and the error that ended it (OK when it ended well).
  std::pair<std::string, base::Status> Archive() {
    auto stream = exporter_->Export(Permits());
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    if (!stream.ok()) return {"", stream.status()};
    std::string out;
    std::vector<std::uint8_t> buf(10000);
    for (;;) {
      auto n = (*stream)->Read(buf);
      if (!n.ok()) return {out, n.error()};
      if (*n == 0) return {out, base::OkStatus()};
      out.append(reinterpret_cast<const char*>(buf.data()), *n);
    }
  }
  // Unpacks with the system's tar, an independent reader of the format.
  fs::path Extract(const std::string& archive) {
    const fs::path tar = temp_ / "export.tar";
    std::ofstream(tar, std::ios::binary) << archive;
    const fs::path out = temp_ / "unpacked";
    fs::create_directories(out);
    const std::string command = "tar -xf '" + tar.string() + "' -C '" + out.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  }

  const std::string long_id_ = std::string(120, 'x') + "-long";
  std::string big_ = std::string(3 * 4096 + 77, '\0');
  std::unique_ptr<Files> files_;
  std::unique_ptr<Exporter> exporter_;
};

TEST_F(ExportTest, TheArchiveHoldsEverythingUnmaskedWithASignedManifest) {
  const auto [archive, status] = Archive();
  ASSERT_TRUE(status.ok()) << status.ToString();
  const fs::path out = Extract(archive);

  const json p1 = json::parse(FileBytes(out / "records/people/p1.json"));
  EXPECT_EQ(p1["data"]["ssn"], "123-45-6789");  // The client's own copy is unmasked.
  EXPECT_EQ(p1["version"], 1);
  EXPECT_EQ(json::parse(FileBytes(out / ("records/people/" + long_id_ + ".json")))["data"]["name"],
            "Long");
  EXPECT_EQ(json::parse(FileBytes(out / "records/notes/n1.json"))["data"]["text"], "hello");
  EXPECT_EQ(json::parse(FileBytes(out / "collections/people.json"))["restricted_fields"],
            json::array({"ssn"}));
  EXPECT_TRUE(FileBytes(out / "files/contract.pdf") == big_);
  EXPECT_TRUE(fs::exists(out / "files/empty.txt"));
  EXPECT_EQ(fs::file_size(out / "files/empty.txt"), 0u);

  // The manifest lists every entry with a SHA-256 that matches what was unpacked.
  const std::string manifest = FileBytes(out / "manifest.jsonl");
  std::istringstream lines(manifest);
  std::string line;
  std::getline(lines, line);
  const json header = json::parse(line);
  EXPECT_EQ(header["format"], "strongroom.export.v1");
  EXPECT_EQ(header["tenant_id"], tenant_.id.value());
  EXPECT_EQ(header["counts"], (json{{"collections", 2}, {"records", 3}, {"files", 2}}));
  int entries = 0;
  while (std::getline(lines, line)) {
    const json e = json::parse(line);
    const std::string bytes = FileBytes(out / e["path"].get<std::string>());
    EXPECT_EQ(e["size"], bytes.size()) << e["path"];
    EXPECT_EQ(e["sha256"], base::HexEncode(crypto::Sha256(base::AsBytes(bytes)))) << e["path"];
    ++entries;
  }
  EXPECT_EQ(entries, 2 + 3 + 2);
  const auto key = audit::CheckpointSigningKey(*ring_)->public_key();
  const std::string signature = FileBytes(out / "manifest.sig");
  EXPECT_TRUE(Exporter::VerifyManifest(manifest, signature, key));
  std::string altered = manifest;
  altered[altered.size() / 2] ^= 1;
  EXPECT_FALSE(Exporter::VerifyManifest(altered, signature, key));
}

TEST_F(ExportTest, TheExportAndEveryReadInItAreAudited) {
  ASSERT_TRUE(Archive().second.ok());
  const auto exports = audit_.With("tenants.export");
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0].tenant_id, tenant_.id.value());
  EXPECT_EQ(exports[0].actor_id, admin_.id.value());
  std::size_t records_read = 0;
  for (const auto& e : audit_.With("records.read"))
    records_read += std::stoul(e.details.at("count"));
  EXPECT_EQ(records_read, 3u);
  EXPECT_EQ(audit_.With("files.read").size(), 2u);
}

TEST_F(ExportTest, AFileAlteredOnDiskEndsTheArchiveWithoutAManifest) {
  auto tx = *store_->BeginRead();
  const auto rows = *tx->Query("SELECT blob FROM vault_files WHERE id = 'contract.pdf'");
  const fs::path blob = temp_ / "files" / tenant_.id.value() / *rows.at(0).GetText(0);
  tx.reset();
  {
    std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    f.put('\x01');
  }
  const auto [archive, status] = Archive();
  EXPECT_EQ(status.code(), base::ErrorCode::kDataLoss);
  EXPECT_EQ(archive.find("manifest.jsonl"), std::string::npos);
}

TEST_F(ExportTest, PermitsForAnotherTenantOrACollectionAreRefused) {
  const identity::Tenant other = AddTenant("Globex");
  const identity::User other_admin =
      AddUser("globex-admin", identity::Role::kClientAdmin, other.id).user;
  ExportPermits mixed = Permits();
  mixed.files = Permit(other_admin, Action::kFilesRead, std::nullopt);
  EXPECT_EQ(exporter_->Export(mixed).status().code(), base::ErrorCode::kInternal);
  ExportPermits narrowed = Permits();
  narrowed.records = Permit(admin_, Action::kRecordsRead, std::string("people"));
  EXPECT_EQ(exporter_->Export(narrowed).status().code(), base::ErrorCode::kInternal);
  EXPECT_TRUE(audit_.With("tenants.export").empty());
}

}  // namespace
}  // namespace strongroom::vault
