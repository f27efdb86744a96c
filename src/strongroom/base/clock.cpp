#include "strongroom/base/clock.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace strongroom::base {
namespace {

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

}  // namespace

std::string FormatRfc3339(Time t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{ms - day};
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf.data();
}

Result<Time> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  const auto bad = [&] {
    return InvalidArgumentError("'" + std::string(text.substr(0, 64)) +
                                "' is not an RFC 3339 date-time; expected e.g. "
                                "2026-11-23T18:12:05Z or 2026-11-23T19:12:05.5+01:00");
  };
  int y, mo, d, h, mi, s;
  if (text.size() < 20 || !ParseDigits(text, 0, 4, y) || text[4] != '-' ||
      !ParseDigits(text, 5, 2, mo) || text[7] != '-' || !ParseDigits(text, 8, 2, d) ||
      (text[10] != 'T' && text[10] != 't') || !ParseDigits(text, 11, 2, h) || text[13] != ':' ||
      !ParseDigits(text, 14, 2, mi) || text[16] != ':' || !ParseDigits(text, 17, 2, s)) {
    return bad();
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return bad();
  std::size_t pos = 19;
  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int64_t value = 0;
    std::int64_t scale = 1'000'000'000;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (scale > 1) {
        scale /= 10;
        value += (text[pos] - '0') * scale;
      }
      ++pos;
    }
    if (pos == start) return bad();
    fraction = nanoseconds{value};
  }
  if (pos >= text.size()) return bad();
  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh, om;
    if (!ParseDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad();
    }
    offset = hours{oh} + minutes{om};
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();
  // Whole seconds first (64-bit seconds hold any four-digit year); Time counts nanoseconds in 64
  // bits and so only spans 1677-09-21..2262-04-11: refuse what it cannot hold rather than overflow.
  const sys_seconds utc_seconds = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} - offset;
  const year utc_year = year_month_day{floor<days>(utc_seconds)}.year();
  if (utc_year < year{1678} || utc_year > year{2261}) {
    return OutOfRangeError("'" + std::string(text.substr(0, 64)) +
                           "' is outside the supported years 1678 to 2261 (UTC)");
  }
  return time_point_cast<Duration>(utc_seconds) + duration_cast<Duration>(fraction);
}

std::int64_t ToUnixMillis(Time t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Time FromUnixMillis(std::int64_t millis) {
  return Time(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(millis)));
}

}  // namespace strongroom::base
