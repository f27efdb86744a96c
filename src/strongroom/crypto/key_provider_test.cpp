#include "strongroom/crypto/key_provider.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "strongroom/base/file.hpp"
#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::crypto {
namespace {

class KeyProviderTest : public ::testing::Test {
 protected:
  base::testing::ScopedTempDir temp_;
  const std::filesystem::path& dir_ = temp_.path();
};

TEST_F(KeyProviderTest, ReadsTheKeyWrittenByInit) {
  const RootKey key = GenerateRootKey();
  const auto text = EncodeRootKeyFile(key);
  EXPECT_EQ(text.size(), 65u);
  ASSERT_TRUE(base::WriteNewFile(dir_ / "root.key", text.Reveal(), 0600).ok());
  FileKeyProvider provider(dir_ / "root.key");
  const auto loaded = provider.LoadRootKey();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->Reveal(), key.Reveal());
}

TEST_F(KeyProviderTest, RefusesAKeyFileOthersCanRead) {
  const auto text = EncodeRootKeyFile(GenerateRootKey());
  for (mode_t mode : {0640, 0604, 0644, 0660, 0602, 0620}) {
    const auto path = dir_ / ("root-" + std::to_string(mode) + ".key");
    ASSERT_TRUE(base::WriteNewFile(path, text.Reveal(), mode).ok());
    const auto r = FileKeyProvider(path).LoadRootKey();
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.error().code(), base::ErrorCode::kFailedPrecondition);
    EXPECT_NE(r.error().message().find("chmod 600"), std::string::npos) << r.error().message();
  }
  const auto owner_only = dir_ / "owner-only.key";
  const base::Status written = base::WriteNewFile(owner_only, text.Reveal(), 0400);
  ASSERT_TRUE(written.ok()) << written.ToString();
  EXPECT_TRUE(FileKeyProvider(owner_only).LoadRootKey().ok());
}

TEST_F(KeyProviderTest, RejectsMalformedKeysWithoutEchoingThem) {
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(66, 'a'), std::string(64, 'g'), std::string("")}) {
    const auto r = DecodeRootKeyFile(base::SecretString(std::string(bad)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), base::ErrorCode::kInvalidArgument);
    if (!bad.empty()) {
      EXPECT_EQ(r.error().message().find(bad), std::string::npos);
    }
  }
  EXPECT_EQ(FileKeyProvider(dir_ / "missing").LoadRootKey().error().code(),
            base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::crypto
