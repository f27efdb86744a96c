#pragma once

#include <concepts>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/mutex.hpp"

namespace strongroom::base {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };
std::string_view LogLevelName(LogLevel level);

// One key/value pair of a structured log line. Values are text, integers, floating point or
// booleans. A Secret<T> converts to none of these, so a secret cannot reach a log by accident.
class LogField {
 public:
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

  LogField(std::string_view key, std::string_view value) : key_(key), value_(value) {}
  LogField(std::string_view key, const char* value) : key_(key), value_(std::string_view(value)) {}
  LogField(std::string_view key, const std::string& value)
      : key_(key), value_(std::string_view(value)) {}
  template <std::signed_integral I>
  LogField(std::string_view key, I value) : key_(key), value_(static_cast<std::int64_t>(value)) {}
  template <std::unsigned_integral U>
  requires(!std::same_as<U, bool>) LogField(std::string_view key, U value)
      : key_(key), value_(static_cast<std::uint64_t>(value)) {}
  LogField(std::string_view key, double value) : key_(key), value_(value) {}
  LogField(std::string_view key, bool value) : key_(key), value_(value) {}

  std::string_view key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  std::string_view key_;
  Value value_;
};

// Structured logging: each call is one event with a name and fields. Thread-safe.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view event, std::span<const LogField> fields) = 0;

  void Debug(std::string_view event, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, event, {fields.begin(), fields.size()});
  }
  void Info(std::string_view event, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, event, {fields.begin(), fields.size()});
  }
  void Warning(std::string_view event, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarning, event, {fields.begin(), fields.size()});
  }
  void Error(std::string_view event, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, event, {fields.begin(), fields.size()});
  }
};

// Formats one log line as a JSON object: {"ts":...,"level":...,"event":...,<fields>}\n.
std::string FormatJsonLogLine(Time ts, LogLevel level, std::string_view event,
                              std::span<const LogField> fields);

// Writes JSON lines to a file descriptor from a background thread, so callers (network threads
// included) never block on I/O. The queue is bounded: when it is full, lines are dropped and the
// number dropped is logged once there is room. Thread-safe. Does not own the descriptor.
class JsonLinesLogger final : public Logger {
 public:
  JsonLinesLogger(int fd, const Clock& clock, LogLevel min_level, std::size_t max_queued = 8192);
  ~JsonLinesLogger() override;  // Writes everything queued, then stops.

  void Log(LogLevel level, std::string_view event, std::span<const LogField> fields) override;
  // Blocks until every line queued before the call is written.
  void Flush();

 private:
  void WriterLoop();

  const int fd_;
  const Clock& clock_;
  const LogLevel min_level_;
  const std::size_t max_queued_;
  Mutex mu_;
  CondVar wake_;
  CondVar drained_;
  std::deque<std::string> queue_ SR_GUARDED_BY(mu_);
  std::uint64_t dropped_ SR_GUARDED_BY(mu_) = 0;
  std::uint64_t enqueued_ SR_GUARDED_BY(mu_) = 0;
  std::uint64_t written_ SR_GUARDED_BY(mu_) = 0;
  bool stopping_ SR_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

// Discards everything. Thread-safe.
class NullLogger final : public Logger {
 public:
  void Log(LogLevel, std::string_view, std::span<const LogField>) override {}
};

}  // namespace strongroom::base
