#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strongroom/base/result.hpp"

namespace strongroom::base {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Lower-case hexadecimal.
std::string HexEncode(ByteView data);
// Accepts upper or lower case; errors (kInvalidArgument) on odd length or a non-hex character.
Result<Bytes> HexDecode(std::string_view hex);

// RFC 4648 §5 base64url without padding.
std::string Base64UrlEncode(ByteView data);
// Accepts canonical base64url with or without padding; errors (kInvalidArgument) on any other
// character or on non-zero unused bits in the last character.
Result<Bytes> Base64UrlDecode(std::string_view text);

// RFC 4648 §6 base32, upper case, without padding (the form otpauth:// URIs use).
std::string Base32Encode(ByteView data);
// Accepts upper or lower case, with or without padding; errors (kInvalidArgument) on any other
// character or a non-canonical ending.
Result<Bytes> Base32Decode(std::string_view text);

// Appends `s` to `out` as a JSON string literal (with quotes). Control characters are escaped and
// bytes that are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace strongroom::base
