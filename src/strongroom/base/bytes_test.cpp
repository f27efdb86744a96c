#include "strongroom/base/bytes.hpp"

#include <gtest/gtest.h>

namespace strongroom::base {
namespace {

TEST(Hex, RoundTripsAndRejectsBadInput) {
  const Bytes data{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(data), "0001abff");
  EXPECT_EQ(*HexDecode("0001ABff"), data);
  EXPECT_EQ(HexDecode("abc").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(HexDecode("zz").error().message().find("offset 0"), std::string::npos);
}

TEST(Base64Url, MatchesRfc4648TestVectors) {
  // RFC 4648 §10, in the URL-safe alphabet without padding.
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain)), encoded);
    EXPECT_EQ(AsChars(*Base64UrlDecode(encoded)), plain);
  }
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
  EXPECT_EQ(*Base64UrlDecode("Zm8="), ToBytes("fo"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v+").ok());
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());   // "Zg" is the only encoding of "f".
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());  // "Zm8" is the only encoding of "fo".
  EXPECT_FALSE(Base64UrlDecode("Z").ok());
}

TEST(Base32, MatchesRfc4648TestVectors) {
  // RFC 4648 §10 (shown there with padding, which the encoder leaves off).
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "MY"},
                                                       {"fo", "MZXQ"},
                                                       {"foo", "MZXW6"},
                                                       {"foob", "MZXW6YQ"},
                                                       {"fooba", "MZXW6YTB"},
                                                       {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base32Encode(AsBytes(plain)), encoded);
    EXPECT_EQ(AsChars(*Base32Decode(encoded)), plain);
  }
  EXPECT_EQ(AsChars(*Base32Decode("mzxw6ytboi======")), "foobar");
  EXPECT_FALSE(Base32Decode("MZ").ok());     // "MY" is the only encoding of "f".
  EXPECT_FALSE(Base32Decode("MZXW1").ok());  // '1' is not in the alphabet.
  EXPECT_FALSE(Base32Decode("M").ok());      // An impossible length.
}

TEST(JsonString, EscapesControlCharactersAndRepairsInvalidUtf8) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\n\x01\x7f");
  EXPECT_EQ(out, R"("a\"b\\c\n\u0001\u007f")");
  out.clear();
  AppendJsonString(out, "caf\xc3\xa9 \xff\xc3");
  EXPECT_EQ(out, "\"caf\xc3\xa9 \\ufffd\\ufffd\"");
  out.clear();
  AppendJsonString(out, "\xed\xa0\x80");  // A UTF-16 surrogate encoded in UTF-8 is invalid.
  EXPECT_EQ(out, R"("\ufffd\ufffd\ufffd")");
}

}  // namespace
}  // namespace strongroom::base
