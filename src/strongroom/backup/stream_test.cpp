#include "strongroom/backup/stream.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "strongroom/base/status_macros.hpp"
#include "strongroom/base/testing/temp_dir.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::backup {
namespace {

namespace fs = std::filesystem;

crypto::Aes256Key Key(std::uint8_t fill) {
  crypto::Aes256Key k;
  k.mutable_value().fill(fill);
  return k;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class StreamTest : public ::testing::Test {
 protected:
  // Writes an archive of `files` (name -> content) to payload.sbk (and copy.sbk).
  PayloadSummary WritePayload(const std::vector<std::pair<std::string, std::string>>& files) {
    auto writer = PayloadWriter::Create({dir_ / "payload.sbk", dir_ / "copy.sbk"}, Key(7), "bk-1");
    EXPECT_TRUE(writer.ok());
    ArchiveWriter archive(**writer);
    EXPECT_TRUE(archive.Begin().ok());
    for (const auto& [name, content] : files) {
      EXPECT_TRUE(archive.AddBytes(name, base::AsBytes(content)).ok());
    }
    EXPECT_TRUE(archive.End().ok());
    auto summary = (*writer)->Finish();
    EXPECT_TRUE(summary.ok());
    return *summary;
  }

  base::Result<std::vector<ArchiveEntry>> Extract(const crypto::Aes256Key& key,
                                                  const std::string& id = "bk-1") {
    fs::remove_all(dir_ / "out");
    fs::create_directories(dir_ / "out");
    SR_ASSIGN_OR_RETURN(auto reader, PayloadReader::Open(dir_ / "payload.sbk", key, id));
    return ExtractArchive(*reader, dir_ / "out");
  }

  base::testing::ScopedTempDir temp_;
  const fs::path& dir_ = temp_.path();
};

std::string Random(std::size_t n) {
  const base::Bytes b = crypto::RandomBytes(n);
  return std::string(b.begin(), b.end());
}

TEST_F(StreamTest, RoundTripsEveryEntryAcrossManyChunksToEveryOutput) {
  const std::string big = Random(3 * kChunkSize + 12345);  // Incompressible: 4 chunks.
  const std::string text(5 << 20, 'a');                    // Compresses to almost nothing.
  const PayloadSummary written =
      WritePayload({{"strongroom.db", big}, {"files/t1/f.abc", text}, {"empty", ""}});
  EXPECT_GE(written.chunks, 4u);
  EXPECT_EQ(ReadAll(dir_ / "payload.sbk"), ReadAll(dir_ / "copy.sbk"));
  EXPECT_EQ(written.payload_bytes, fs::file_size(dir_ / "payload.sbk"));

  auto reader = PayloadReader::Open(dir_ / "payload.sbk", Key(7), "bk-1");
  ASSERT_TRUE(reader.ok());
  auto entries = ExtractArchive(**reader, dir_);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].path, "strongroom.db");
  EXPECT_EQ(ReadAll(dir_ / "strongroom.db"), big);
  EXPECT_EQ(ReadAll(dir_ / "files/t1/f.abc"), text);
  EXPECT_EQ(fs::file_size(dir_ / "empty"), 0u);
  EXPECT_EQ((*reader)->summary().payload_sha256, written.payload_sha256);
  EXPECT_EQ((*reader)->summary().archive_bytes, written.archive_bytes);
}

TEST_F(StreamTest, AnyChangedByteTruncationExtensionOrReorderingIsDataLoss) {
  WritePayload({{"strongroom.db", Random(2 * kChunkSize + 100)}});
  const std::string good = ReadAll(dir_ / "payload.sbk");
  const std::size_t sealed_chunk = kChunkSize + crypto::kGcmTagSize;
  ASSERT_GT(good.size(), 2 * sealed_chunk);

  std::vector<std::pair<std::string, std::string>> damaged;
  for (const std::size_t at : {std::size_t{0}, sealed_chunk - 1, sealed_chunk, good.size() - 1}) {
    std::string s = good;
    s[at] = static_cast<char>(s[at] ^ 0x01);
    damaged.emplace_back("flip@" + std::to_string(at), s);
  }
  damaged.emplace_back("truncated at a chunk boundary", good.substr(0, 2 * sealed_chunk));
  damaged.emplace_back("truncated mid-chunk", good.substr(0, sealed_chunk + 77));
  damaged.emplace_back("last chunk dropped", good.substr(0, good.size() - 5));
  damaged.emplace_back("extended", good + "x");
  damaged.emplace_back("chunks swapped", good.substr(sealed_chunk, sealed_chunk) +
                                             good.substr(0, sealed_chunk) +
                                             good.substr(2 * sealed_chunk));
  damaged.emplace_back("empty", "");
  for (const auto& [what, bytes] : damaged) {
    WriteAll(dir_ / "payload.sbk", bytes);
    auto r = Extract(Key(7));
    EXPECT_FALSE(r.ok()) << what;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), base::ErrorCode::kDataLoss) << what;
    }
  }
  WriteAll(dir_ / "payload.sbk", good);
  EXPECT_TRUE(Extract(Key(7)).ok());
  EXPECT_EQ(Extract(Key(8)).status().code(), base::ErrorCode::kDataLoss);          // Wrong key.
  EXPECT_EQ(Extract(Key(7), "bk-2").status().code(), base::ErrorCode::kDataLoss);  // Other backup.
}

TEST_F(StreamTest, UnsafePathsAreNeverWrittenNorRead) {
  for (const char* bad :
       {"", "/etc/passwd", "../x", "a/../b", "a//b", "a/", ".", "a\\b", "a b", "files/t/\x01"}) {
    EXPECT_FALSE(IsSafeEntryPath(bad)) << bad;
  }
  for (const char* good : {"strongroom.db", "tls/cert.pem", "files/3f2a/f-1.0a1b", ".hidden"}) {
    EXPECT_TRUE(IsSafeEntryPath(good)) << good;
  }
  auto writer = PayloadWriter::Create({dir_ / "p.sbk"}, Key(1), "bk-1");
  ASSERT_TRUE(writer.ok());
  ArchiveWriter archive(**writer);
  ASSERT_TRUE(archive.Begin().ok());
  EXPECT_EQ(archive.AddBytes("../escape", base::AsBytes(std::string("x"))).status().code(),
            base::ErrorCode::kInvalidArgument);
  (*writer)->Abort();
  EXPECT_FALSE(fs::exists(dir_ / "p.sbk"));
}

TEST_F(StreamTest, AnAbandonedWriterLeavesNothingBehind) {
  {
    auto writer = PayloadWriter::Create({dir_ / "a.sbk", dir_ / "b.sbk"}, Key(1), "bk-1");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(base::AsBytes(Random(3 * kChunkSize))).ok());
  }
  EXPECT_FALSE(fs::exists(dir_ / "a.sbk"));
  EXPECT_FALSE(fs::exists(dir_ / "b.sbk"));
  WriteAll(dir_ / "b.sbk", "in the way");
  auto refused = PayloadWriter::Create({dir_ / "a.sbk", dir_ / "b.sbk"}, Key(1), "bk-1");
  EXPECT_EQ(refused.status().code(), base::ErrorCode::kAlreadyExists);
  EXPECT_FALSE(fs::exists(dir_ / "a.sbk"));
  EXPECT_EQ(ReadAll(dir_ / "b.sbk"), "in the way");
}

}  // namespace
}  // namespace strongroom::backup
