// RFC 3339: whatever parses formats back to a time that parses to the same instant (to the
// millisecond the format keeps).
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "strongroom/base/clock.hpp"

using namespace strongroom::base;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto t = ParseRfc3339(text);
  if (!t.ok()) return 0;
  const std::string formatted = FormatRfc3339(*t);
  const auto again = ParseRfc3339(formatted);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(ToUnixMillis(*again) == ToUnixMillis(*t));
  FUZZ_CHECK(FormatRfc3339(*again) == formatted);
  return 0;
}
