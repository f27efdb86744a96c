#include "strongroom/base/logger.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "strongroom/base/testing/fake_clock.hpp"

namespace strongroom::base {
namespace {

// An anonymous in-memory file: unlike a pipe it never blocks the writer.
int TempFd() { return ::memfd_create("logger-test", MFD_CLOEXEC); }

std::string ReadAll(int fd) {
  ::lseek(fd, 0, SEEK_SET);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

TEST(JsonLogLine, IsOneJsonObjectPerLine) {
  const LogField fields[] = {
      {"request_id", "ab12"}, {"status", 200}, {"ok", true}, {"ms", 1.5}, {"path", "/a\"b\n"}};
  const std::string line =
      FormatJsonLogLine(FromUnixMillis(0), LogLevel::kInfo, "http_request", fields);
  EXPECT_EQ(line, R"({"ts":"1970-01-01T00:00:00.000Z","level":"info","event":"http_request",)"
                  R"("request_id":"ab12","status":200,"ok":true,"ms":1.5,"path":"/a\"b\n"})"
                  "\n");
}

TEST(JsonLinesLogger, WritesEveryLineFromManyThreadsAndDropsBelowLevel) {
  const int fd = TempFd();
  ASSERT_GE(fd, 0);
  testing::FakeClock clock;
  {
    JsonLinesLogger logger(fd, clock, LogLevel::kInfo, 100000);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&logger, t] {
        for (int i = 0; i < 250; ++i) logger.Info("tick", {{"thread", t}, {"i", i}});
        logger.Debug("hidden");
      });
    }
    for (auto& th : threads) th.join();
    logger.Flush();
  }
  const std::string out = ReadAll(fd);
  ::close(fd);
  std::size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, 1000u);
  EXPECT_EQ(out.find("hidden"), std::string::npos);
}

TEST(JsonLinesLogger, CountsWhatItDropsWhenTheQueueIsFull) {
  const int fd = TempFd();
  ASSERT_GE(fd, 0);
  testing::FakeClock clock;
  {
    // A queue of one line, and a burst of 2000: most are dropped, and the drop is reported.
    JsonLinesLogger logger(fd, clock, LogLevel::kInfo, 1);
    for (int i = 0; i < 2000; ++i) logger.Info("burst");
  }
  const std::string out = ReadAll(fd);
  ::close(fd);
  EXPECT_NE(out.find("\"event\":\"log_lines_dropped\""), std::string::npos);
}

}  // namespace
}  // namespace strongroom::base
