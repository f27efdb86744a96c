#include "strongroom/base/logger.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>

#include "strongroom/base/bytes.hpp"

namespace strongroom::base {
namespace {

void AppendValue(std::string& out, const LogField::Value& value) {
  std::visit(
      [&out](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string_view>) {
          AppendJsonString(out, v);
        } else if constexpr (std::is_same_v<V, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          if (!std::isfinite(v)) {
            out += "null";
            return;
          }
          char buf[32];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
          out.append(buf, ec == std::errc() ? end : buf);
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // Nowhere left to report a failing log sink.
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string FormatJsonLogLine(Time ts, LogLevel level, std::string_view event,
                              std::span<const LogField> fields) {
  std::string line;
  line.reserve(128);
  line += "{\"ts\":";
  AppendJsonString(line, FormatRfc3339(ts));
  line += ",\"level\":";
  AppendJsonString(line, LogLevelName(level));
  line += ",\"event\":";
  AppendJsonString(line, event);
  for (const LogField& field : fields) {
    line.push_back(',');
    AppendJsonString(line, field.key());
    line.push_back(':');
    AppendValue(line, field.value());
  }
  line += "}\n";
  return line;
}

JsonLinesLogger::JsonLinesLogger(int fd, const Clock& clock, LogLevel min_level,
                                 std::size_t max_queued)
    : fd_(fd), clock_(clock), min_level_(min_level), max_queued_(max_queued) {
  writer_ = std::thread([this] { WriterLoop(); });
}

JsonLinesLogger::~JsonLinesLogger() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    wake_.Signal();
  }
  writer_.join();
}

void JsonLinesLogger::Log(LogLevel level, std::string_view event,
                          std::span<const LogField> fields) {
  if (level < min_level_) return;
  std::string line = FormatJsonLogLine(clock_.Now(), level, event, fields);
  MutexLock lock(&mu_);
  if (queue_.size() >= max_queued_) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(line));
  ++enqueued_;
  wake_.Signal();
}

void JsonLinesLogger::Flush() {
  MutexLock lock(&mu_);
  const std::uint64_t target = enqueued_;
  while (written_ < target) drained_.Wait(&mu_);
}

void JsonLinesLogger::WriterLoop() {
  std::deque<std::string> batch;
  for (;;) {
    std::uint64_t dropped = 0;
    bool stop = false;
    {
      MutexLock lock(&mu_);
      while (queue_.empty() && dropped_ == 0 && !stopping_) wake_.Wait(&mu_);
      batch.swap(queue_);
      dropped = dropped_;
      dropped_ = 0;
      stop = stopping_ && batch.empty();
    }
    std::string out;
    for (const std::string& line : batch) out += line;
    if (dropped > 0) {
      const LogField field("count", dropped);
      out += FormatJsonLogLine(clock_.Now(), LogLevel::kWarning, "log_lines_dropped", {&field, 1});
    }
    WriteAll(fd_, out);
    {
      MutexLock lock(&mu_);
      written_ += batch.size();
      drained_.SignalAll();
    }
    batch.clear();
    if (stop) return;
  }
}

}  // namespace strongroom::base
