#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/mutex.hpp"

namespace strongroom::base {

// A named metric with a fixed list of label names, holding one series per combination of label
// values. Passing a different number of label values than names is a programming error.
// Thread-safe.
class MetricFamily {
 public:
  enum class Kind { kCounter, kGauge, kHistogram };

  MetricFamily(Kind kind, std::string name, std::string help, std::vector<std::string> labels,
               std::vector<double> buckets = {});
  virtual ~MetricFamily() = default;

  // Appends this family in the Prometheus text exposition format (version 0.0.4).
  void Render(std::string& out) const;
  const std::string& name() const { return name_; }

 protected:
  struct Series {
    double value = 0;                    // Counter and gauge.
    std::vector<std::uint64_t> buckets;  // Histogram: observations per bucket, not cumulative.
    std::uint64_t count = 0;
    double sum = 0;
  };
  // Runs `fn` on the series for `labels`, creating it, under the family's lock.
  template <typename Fn>
  void WithSeries(std::initializer_list<std::string_view> labels, Fn&& fn);
  double Read(std::initializer_list<std::string_view> labels) const;

  const Kind kind_;
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bucket_bounds_;

 private:
  mutable Mutex mu_;
  std::map<std::vector<std::string>, Series> series_ SR_GUARDED_BY(mu_);
};

class Counter final : public MetricFamily {
 public:
  Counter(std::string name, std::string help, std::vector<std::string> labels)
      : MetricFamily(Kind::kCounter, std::move(name), std::move(help), std::move(labels)) {}
  void Inc(std::initializer_list<std::string_view> labels = {}, double delta = 1);
  double Value(std::initializer_list<std::string_view> labels = {}) const { return Read(labels); }
};

class Gauge final : public MetricFamily {
 public:
  Gauge(std::string name, std::string help, std::vector<std::string> labels)
      : MetricFamily(Kind::kGauge, std::move(name), std::move(help), std::move(labels)) {}
  void Set(std::initializer_list<std::string_view> labels, double value);
  void Add(std::initializer_list<std::string_view> labels, double delta);
  double Value(std::initializer_list<std::string_view> labels = {}) const { return Read(labels); }
};

class Histogram final : public MetricFamily {
 public:
  // `buckets` are the upper bounds, ascending; +Inf is implied.
  Histogram(std::string name, std::string help, std::vector<std::string> labels,
            std::vector<double> buckets)
      : MetricFamily(Kind::kHistogram, std::move(name), std::move(help), std::move(labels),
                     std::move(buckets)) {}
  void Observe(std::initializer_list<std::string_view> labels, double value);
};

// Owns metric families and renders them for GET /metrics. Families are added at start-up by the
// module that updates them; references stay valid for the registry's lifetime. Thread-safe.
class MetricsRegistry {
 public:
  Counter& AddCounter(std::string name, std::string help, std::vector<std::string> labels = {});
  Gauge& AddGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  Histogram& AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                          std::vector<double> buckets);

  std::string RenderPrometheus() const;

 private:
  template <typename F, typename... Args>
  F& Add(Args&&... args);

  mutable Mutex mu_;
  std::vector<std::unique_ptr<MetricFamily>> families_ SR_GUARDED_BY(mu_);
};

}  // namespace strongroom::base
