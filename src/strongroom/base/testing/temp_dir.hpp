#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace strongroom::base::testing {

// A fresh directory for the running test, named after it, removed (with its contents) when the
// object goes away. Not thread-safe.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    // Outside a test (in SetUpTestSuite) there is no test to name it after.
    static int shared_count = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name = info != nullptr
                                 ? std::string(info->test_suite_name()) + "-" + info->name()
                                 : "shared-" + std::to_string(shared_count++);
    path_ = std::filesystem::temp_directory_path() /
            ("strongroom-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScopedTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace strongroom::base::testing
