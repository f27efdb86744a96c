#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "strongroom/base/result.hpp"

namespace strongroom::base {

using Time = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

// The source of wall-clock time. Injected everywhere time matters (sessions, grants, retention,
// certificates) so tests control it. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// The operating system's clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  Time Now() const override { return std::chrono::system_clock::now(); }
};

// "2026-11-23T18:12:05.123Z": RFC 3339, UTC, millisecond precision.
std::string FormatRfc3339(Time t);

// Parses RFC 3339 date-times with a 'Z' or numeric offset and optional fraction
// ("2026-11-23T18:12:05Z", "2026-11-23T19:12:05.5+01:00"). Errors with kInvalidArgument.
Result<Time> ParseRfc3339(std::string_view text);

// Milliseconds since the Unix epoch (negative before 1970).
std::int64_t ToUnixMillis(Time t);
Time FromUnixMillis(std::int64_t millis);

}  // namespace strongroom::base
