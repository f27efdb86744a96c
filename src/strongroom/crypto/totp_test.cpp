#include "strongroom/crypto/totp.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "strongroom/crypto/random.hpp"
#include "strongroom/crypto/testing/vectors.hpp"

namespace strongroom::crypto {
namespace {

using testing::ReadVectorFile;
using testing::VectorsDir;

// RFC 4226 Appendix D: counters 0..9 for the ASCII secret "12345678901234567890".
TEST(Hotp, MatchesRfc4226Vectors) {
  const auto cases = ReadVectorFile(VectorsDir() / "twofactor/rfc-4226.txt", "COUNT");
  ASSERT_EQ(cases.size(), 10u);
  for (const auto& c : cases) {
    EXPECT_EQ(Hotp(base::AsBytes(c.fields.at("SECRET")), std::stoull(c.fields.at("COUNTER"))),
              c.fields.at("HOTP"));
  }
}

// RFC 6238 Appendix B: 8-digit codes for SHA-1, SHA-256 and SHA-512 at six times. The last time,
// 20000000000 (year 2603), is beyond what base::Time (64-bit nanoseconds) holds, so every vector
// is checked through its time step and those within range through Totp() as well.
TEST(Totp, MatchesRfc6238Vectors) {
  const auto cases = ReadVectorFile(VectorsDir() / "twofactor/rfc-6238.txt", "COUNT");
  ASSERT_EQ(cases.size(), 18u);
  int through_time = 0;
  for (const auto& c : cases) {
    const std::string& mode = c.fields.at("MODE");
    const OtpHash hash = mode == "SHA1"     ? OtpHash::kSha1
                         : mode == "SHA256" ? OtpHash::kSha256
                                            : OtpHash::kSha512;
    const std::int64_t unix_seconds = std::stoll(c.fields.at("TIME"));
    const base::ByteView secret = base::AsBytes(c.fields.at("SECRET"));
    EXPECT_EQ(Hotp(secret, static_cast<std::uint64_t>(unix_seconds / 30), 8, hash),
              c.fields.at("TOTP"))
        << "TIME " << unix_seconds << " " << mode;
    if (unix_seconds < 9'000'000'000) {
      const base::Time t =
          std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
      EXPECT_EQ(Totp(secret, t, 8, hash), c.fields.at("TOTP")) << "TIME " << unix_seconds;
      ++through_time;
    }
  }
  EXPECT_EQ(through_time, 15);
}

// oathtool (Debian's oath-toolkit) as an independent oracle on random secrets and times.
TEST(Totp, AgreesWithOathtool) {
  for (int i = 0; i < 10; ++i) {
    const base::Bytes secret = RandomBytes(20);
    const std::int64_t unix_seconds =
        1'500'000'000 + static_cast<std::int64_t>(RandomUniform(1'000'000'000));
    const std::string command = "oathtool --totp -b " + base::Base32Encode(secret) + " --now @" +
                                std::to_string(unix_seconds) + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char line[64] = {};
    ASSERT_NE(std::fgets(line, sizeof line, pipe), nullptr) << command;
    ASSERT_EQ(::pclose(pipe), 0) << command << ": " << line;
    std::string expected(line);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
      expected.pop_back();
    const base::Time t = std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
    EXPECT_EQ(Totp(secret, t), expected) << command;
  }
}

TEST(Totp, AcceptsOneStepOfDriftEitherWayAndNoMore) {
  const base::Bytes secret = RandomBytes(20);
  const base::Time now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  const std::uint64_t step = TotpStep(now);
  for (int d : {-1, 0, 1}) {
    const std::string code = Hotp(secret, step + static_cast<std::uint64_t>(d));
    const auto matched = VerifyTotp(secret, code, now);
    ASSERT_TRUE(matched.has_value()) << "drift " << d;
    EXPECT_EQ(*matched, step + static_cast<std::uint64_t>(d));
  }
  for (int d : {-3, -2, 2, 3}) {
    EXPECT_FALSE(VerifyTotp(secret, Hotp(secret, step + static_cast<std::uint64_t>(d)), now))
        << "drift " << d;
  }
  EXPECT_FALSE(VerifyTotp(secret, "12345", now));
  EXPECT_FALSE(VerifyTotp(secret, "1234567", now));
  EXPECT_FALSE(VerifyTotp(secret, "abcdef", now));
}

}  // namespace
}  // namespace strongroom::crypto
