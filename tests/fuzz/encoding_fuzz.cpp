// Hex, base64url and JSON string escaping: decoding is the exact inverse of encoding (one
// encoding per value), and escaped text is always valid JSON that reads back as the input.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "strongroom/base/bytes.hpp"

using namespace strongroom::base;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView bytes(data, size);
  const std::string text(reinterpret_cast<const char*>(data), size);

  FUZZ_CHECK(*HexDecode(HexEncode(bytes)) == Bytes(bytes.begin(), bytes.end()));
  FUZZ_CHECK(*Base64UrlDecode(Base64UrlEncode(bytes)) == Bytes(bytes.begin(), bytes.end()));
  if (const auto decoded = Base64UrlDecode(text);
      decoded.ok() && text.find('=') == std::string::npos) {
    FUZZ_CHECK(Base64UrlEncode(*decoded) == text);
  }
  if (const auto decoded = HexDecode(text); decoded.ok()) {
    FUZZ_CHECK(decoded->size() * 2 == text.size());
  }

  std::string json;
  AppendJsonString(json, text);
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_string());
  // Valid UTF-8 comes back unchanged; anything else comes back with U+FFFD in place of bad bytes.
  const bool valid_utf8 =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore) ==
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (valid_utf8) FUZZ_CHECK(parsed.get<std::string>() == text);
  return 0;
}
