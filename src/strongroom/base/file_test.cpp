#include "strongroom/base/file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "strongroom/base/testing/temp_dir.hpp"

namespace strongroom::base {
namespace {

class FileTest : public ::testing::Test {
 protected:
  testing::ScopedTempDir temp_;
  const std::filesystem::path& dir_ = temp_.path();
};

TEST_F(FileTest, WriteNewFileSetsTheExactModeDespiteTheUmask) {
  const mode_t old = ::umask(0);
  const auto path = dir_ / "key";
  ASSERT_TRUE(WriteNewFile(path, "abc", 0600).ok());
  ::umask(old);
  EXPECT_EQ(*FilePermissions(path), 0600u);
  EXPECT_EQ(*ReadSmallFile(path, 10), "abc");
}

TEST_F(FileTest, WriteNewFileNeverOverwrites) {
  const auto path = dir_ / "f";
  ASSERT_TRUE(WriteNewFile(path, "first", 0600).ok());
  const Status s = WriteNewFile(path, "second", 0600);
  EXPECT_EQ(s.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*ReadSmallFile(path, 10), "first");
}

TEST_F(FileTest, ReadSmallFileEnforcesItsLimitAndType) {
  const auto path = dir_ / "f";
  ASSERT_TRUE(WriteNewFile(path, "0123456789", 0600).ok());
  EXPECT_EQ(ReadSmallFile(path, 9).error().code(), ErrorCode::kOutOfRange);
  EXPECT_EQ(ReadSmallFile(dir_, 9).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ReadSmallFile(dir_ / "missing", 9).error().code(), ErrorCode::kNotFound);
}

TEST_F(FileTest, OwnerOnlyRefusesAnyGroupOrOtherPermission) {
  const auto path = dir_ / "secret";
  ASSERT_TRUE(WriteNewFile(path, "x", 0600).ok());
  EXPECT_TRUE(CheckOwnerOnly(path, "key file").ok());
  for (mode_t mode : {0640, 0604, 0610, 0601, 0620, 0602}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    const Status s = CheckOwnerOnly(path, "key file");
    EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_NE(s.message().find("key file " + path.string()), std::string::npos);
    EXPECT_NE(s.message().find("chmod 600 " + path.string()), std::string::npos);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(CheckOwnerOnly(path, "key file").ok());
  EXPECT_EQ(CheckOwnerOnly(dir_ / "missing", "key file").code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::base
