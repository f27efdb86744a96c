#include "strongroom/base/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace strongroom::base {
namespace {

TEST(Metrics, RendersCountersGaugesAndCumulativeHistograms) {
  MetricsRegistry registry;
  Counter& requests = registry.AddCounter("sr_requests_total", "Requests.", {"route", "status"});
  Gauge& open = registry.AddGauge("sr_open", "Open connections.");
  Histogram& latency = registry.AddHistogram("sr_latency_seconds", "Latency.", {}, {0.01, 0.1, 1});
  requests.Inc({"/healthz", "200"});
  requests.Inc({"/healthz", "200"});
  requests.Inc({"a\"b", "404"});
  open.Set({}, 3);
  open.Add({}, -1);
  latency.Observe({}, 0.005);
  latency.Observe({}, 0.05);
  latency.Observe({}, 5);

  EXPECT_EQ(requests.Value({"/healthz", "200"}), 2);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP sr_requests_total Requests.\n"
            "# TYPE sr_requests_total counter\n"
            "sr_requests_total{route=\"/healthz\",status=\"200\"} 2\n"
            "sr_requests_total{route=\"a\\\"b\",status=\"404\"} 1\n"
            "# HELP sr_open Open connections.\n"
            "# TYPE sr_open gauge\n"
            "sr_open 2\n"
            "# HELP sr_latency_seconds Latency.\n"
            "# TYPE sr_latency_seconds histogram\n"
            "sr_latency_seconds_bucket{le=\"0.01\"} 1\n"
            "sr_latency_seconds_bucket{le=\"0.1\"} 2\n"
            "sr_latency_seconds_bucket{le=\"1\"} 2\n"
            "sr_latency_seconds_bucket{le=\"+Inf\"} 3\n"
            "sr_latency_seconds_sum 5.055\n"
            "sr_latency_seconds_count 3\n");
}

TEST(Metrics, CountsExactlyUnderConcurrency) {
  MetricsRegistry registry;
  Counter& c = registry.AddCounter("c", "c", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 10000; ++i) c.Inc({"x"});
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(c.Value({"x"}), 40000);
}

TEST(MetricsDeathTest, WrongLabelCountIsAProgrammingError) {
  MetricsRegistry registry;
  Counter& c = registry.AddCounter("c", "c", {"k"});
  EXPECT_DEATH(c.Inc({}), "SR_CHECK failed");
}

}  // namespace
}  // namespace strongroom::base
