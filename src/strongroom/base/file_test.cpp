#include "strongroom/base/file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace strongroom::base {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sr-file-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
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

}  // namespace
}  // namespace strongroom::base
