#include "strongroom/base/periodic_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace strongroom::base {
namespace {

using namespace std::chrono_literals;

void WaitFor(const std::atomic<int>& runs, int at_least) {
  for (int i = 0; i < 1000 && runs.load() < at_least; ++i) std::this_thread::sleep_for(5ms);
}

TEST(PeriodicThread, RunsAtStartAndAgainAfterTheDelayItReturns) {
  std::atomic<int> runs = 0;
  PeriodicThread t([&] {
    ++runs;
    return 10ms;
  });
  t.Start();
  WaitFor(runs, 3);
  t.Stop();
  EXPECT_GE(runs.load(), 3);
  const int after_stop = runs.load();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs.load(), after_stop);  // Stopped means stopped.
}

TEST(PeriodicThread, WakeRunsItWithoutWaitingOutTheDelay) {
  std::atomic<int> runs = 0;
  PeriodicThread t([&] {
    ++runs;
    return std::chrono::milliseconds(std::chrono::hours(1));
  });
  t.Start();
  WaitFor(runs, 1);
  t.Wake();
  WaitFor(runs, 2);
  EXPECT_EQ(runs.load(), 2);
  const auto start = std::chrono::steady_clock::now();
  t.Stop();  // Does not wait out the hour either.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(PeriodicThread, RunsOnceMoreOnStopWhenAsked) {
  std::atomic<int> runs = 0;
  {
    PeriodicThread t(
        [&] {
          ++runs;
          return std::chrono::milliseconds(std::chrono::hours(1));
        },
        /*run_on_stop=*/true);
    t.Start();
    WaitFor(runs, 1);
  }  // The destructor stops it.
  EXPECT_EQ(runs.load(), 2);
}

}  // namespace
}  // namespace strongroom::base
