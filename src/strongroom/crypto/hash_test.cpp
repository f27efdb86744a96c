#include "strongroom/crypto/hash.hpp"

#include <gtest/gtest.h>

#include "strongroom/crypto/testing/vectors.hpp"

namespace strongroom::crypto {
namespace {

using testing::ReadVectorFile;
using testing::VectorsDir;

base::Bytes Hex(const std::string& s) { return *base::HexDecode(s); }

// NIST CAVP SHAVS byte-oriented short messages (0..512 bits).
TEST(Sha256, MatchesNistShortMessageVectors) {
  const auto cases = ReadVectorFile(VectorsDir() / "hashes/SHA2/SHA256ShortMsg.rsp", "Len");
  ASSERT_EQ(cases.size(), 65u);
  for (const auto& c : cases) {
    const int bits = std::stoi(c.fields.at("Len"));
    base::Bytes msg = Hex(c.fields.at("Msg"));
    msg.resize(static_cast<std::size_t>(bits / 8));  // Len = 0 is written as Msg = 00.
    EXPECT_EQ(base::HexEncode(Sha256(msg)), c.fields.at("MD")) << "Len " << bits;
    Sha256Hasher h;  // The same digest when fed in pieces.
    for (std::uint8_t b : msg) h.Update({&b, 1});
    EXPECT_EQ(base::HexEncode(h.Finish()), c.fields.at("MD"));
  }
}

// RFC 4231 §4 (HMAC-SHA-256 outputs; case 5, truncation, is not in the file).
TEST(HmacSha256, MatchesRfc4231Vectors) {
  const auto cases = ReadVectorFile(VectorsDir() / "HMAC/rfc-4231-sha256.txt", "Len");
  ASSERT_EQ(cases.size(), 6u);
  for (const auto& c : cases) {
    EXPECT_EQ(base::HexEncode(HmacSha256(Hex(c.fields.at("Key")), Hex(c.fields.at("Msg")))),
              c.fields.at("MD"));
  }
}

// RFC 5869 Appendix A, test cases 1-3 (SHA-256), including zero-length salt and info.
TEST(HkdfSha256, MatchesRfc5869Vectors) {
  const auto cases = ReadVectorFile(VectorsDir() / "KDF/rfc-5869-HKDF-SHA256.txt", "COUNT");
  ASSERT_EQ(cases.size(), 3u);
  for (const auto& c : cases) {
    const auto okm = HkdfSha256(Hex(c.fields.at("IKM")), Hex(c.fields.at("salt")),
                                Hex(c.fields.at("info")), std::stoul(c.fields.at("L")));
    ASSERT_TRUE(okm.ok());
    EXPECT_EQ(base::HexEncode(okm->Reveal()), c.fields.at("OKM"))
        << "COUNT " << c.fields.at("COUNT");
  }
}

TEST(HkdfSha256, RejectsImpossibleLengths) {
  EXPECT_EQ(HkdfSha256(base::AsBytes("k"), {}, {}, 0).error().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(HkdfSha256(base::AsBytes("k"), {}, {}, 255 * 32 + 1).error().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HkdfSha256(base::AsBytes("k"), {}, {}, 255 * 32).ok());
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals(base::AsBytes("abc"), base::AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEquals(base::AsBytes("abc"), base::AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEquals(base::AsBytes("abc"), base::AsBytes("ab")));
  EXPECT_TRUE(ConstantTimeEquals({}, {}));
}

}  // namespace
}  // namespace strongroom::crypto
