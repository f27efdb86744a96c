#include "strongroom/base/metrics.hpp"

#include <charconv>
#include <cmath>

#include "strongroom/base/check.hpp"

namespace strongroom::base {
namespace {

void AppendNumber(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendLabelValue(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

// {a="x",b="y"} with an optional extra label (the histogram's le); nothing when there are none.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out += names[i];
    out += "=\"";
    AppendLabelValue(out, values[i]);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out.push_back('"');
  }
  out.push_back('}');
}

std::string_view KindName(MetricFamily::Kind kind) {
  switch (kind) {
    case MetricFamily::Kind::kCounter:
      return "counter";
    case MetricFamily::Kind::kGauge:
      return "gauge";
    case MetricFamily::Kind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

MetricFamily::MetricFamily(Kind kind, std::string name, std::string help,
                           std::vector<std::string> labels, std::vector<double> buckets)
    : kind_(kind),
      name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(labels)),
      bucket_bounds_(std::move(buckets)) {
  for (std::size_t i = 1; i < bucket_bounds_.size(); ++i) {
    SR_CHECK(bucket_bounds_[i - 1] < bucket_bounds_[i]);
  }
}

template <typename Fn>
void MetricFamily::WithSeries(std::initializer_list<std::string_view> labels, Fn&& fn) {
  SR_CHECK(labels.size() == label_names_.size());
  std::vector<std::string> key(labels.begin(), labels.end());
  MutexLock lock(&mu_);
  auto [it, inserted] = series_.try_emplace(std::move(key));
  if (inserted && kind_ == Kind::kHistogram) it->second.buckets.assign(bucket_bounds_.size(), 0);
  fn(it->second);
}

double MetricFamily::Read(std::initializer_list<std::string_view> labels) const {
  SR_CHECK(labels.size() == label_names_.size());
  const std::vector<std::string> key(labels.begin(), labels.end());
  MutexLock lock(&mu_);
  auto it = series_.find(key);
  if (it == series_.end()) return 0;
  return kind_ == Kind::kHistogram ? static_cast<double>(it->second.count) : it->second.value;
}

void MetricFamily::Render(std::string& out) const {
  out += "# HELP " + name_ + " " + help_ + "\n";
  out += "# TYPE " + name_ + " ";
  out += KindName(kind_);
  out += "\n";
  MutexLock lock(&mu_);
  for (const auto& [values, s] : series_) {
    if (kind_ != Kind::kHistogram) {
      out += name_;
      AppendLabels(out, label_names_, values);
      out.push_back(' ');
      AppendNumber(out, s.value);
      out.push_back('\n');
      continue;
    }
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bucket_bounds_.size(); ++i) {
      std::string le;
      if (i < bucket_bounds_.size()) {
        cumulative += s.buckets[i];
        AppendNumber(le, bucket_bounds_[i]);
      } else {
        cumulative = s.count;
        le = "+Inf";
      }
      out += name_ + "_bucket";
      AppendLabels(out, label_names_, values, "le", le);
      out += " " + std::to_string(cumulative) + "\n";
    }
    out += name_ + "_sum";
    AppendLabels(out, label_names_, values);
    out.push_back(' ');
    AppendNumber(out, s.sum);
    out += "\n" + name_ + "_count";
    AppendLabels(out, label_names_, values);
    out += " " + std::to_string(s.count) + "\n";
  }
}

void Counter::Inc(std::initializer_list<std::string_view> labels, double delta) {
  SR_CHECK(delta >= 0);
  WithSeries(labels, [delta](Series& s) { s.value += delta; });
}

void Gauge::Set(std::initializer_list<std::string_view> labels, double value) {
  WithSeries(labels, [value](Series& s) { s.value = value; });
}

void Gauge::Add(std::initializer_list<std::string_view> labels, double delta) {
  WithSeries(labels, [delta](Series& s) { s.value += delta; });
}

void Histogram::Observe(std::initializer_list<std::string_view> labels, double value) {
  WithSeries(labels, [this, value](Series& s) {
    for (std::size_t i = 0; i < bucket_bounds_.size(); ++i) {
      if (value <= bucket_bounds_[i]) {
        ++s.buckets[i];
        break;
      }
    }
    ++s.count;
    s.sum += value;
  });
}

template <typename F, typename... Args>
F& MetricsRegistry::Add(Args&&... args) {
  auto family = std::make_unique<F>(std::forward<Args>(args)...);
  F& ref = *family;
  MutexLock lock(&mu_);
  for (const auto& existing : families_) SR_CHECK(existing->name() != ref.name());
  families_.push_back(std::move(family));
  return ref;
}

Counter& MetricsRegistry::AddCounter(std::string name, std::string help,
                                     std::vector<std::string> labels) {
  return Add<Counter>(std::move(name), std::move(help), std::move(labels));
}

Gauge& MetricsRegistry::AddGauge(std::string name, std::string help,
                                 std::vector<std::string> labels) {
  return Add<Gauge>(std::move(name), std::move(help), std::move(labels));
}

Histogram& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                         std::vector<std::string> labels,
                                         std::vector<double> buckets) {
  return Add<Histogram>(std::move(name), std::move(help), std::move(labels), std::move(buckets));
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::string out;
  MutexLock lock(&mu_);
  for (const auto& family : families_) family->Render(out);
  return out;
}

}  // namespace strongroom::base
