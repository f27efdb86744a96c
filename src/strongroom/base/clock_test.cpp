#include "strongroom/base/clock.hpp"

#include <gtest/gtest.h>

#include "strongroom/base/testing/fake_clock.hpp"

namespace strongroom::base {
namespace {

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1'795'457'525'123)), "2026-11-23T18:12:05.123Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(951'782'400'000)), "2000-02-29T00:00:00.000Z");
}

TEST(Rfc3339, ParsesOffsetsAndFractions) {
  EXPECT_EQ(ToUnixMillis(*ParseRfc3339("2026-11-23T18:12:05Z")), 1'795'457'525'000);
  EXPECT_EQ(ToUnixMillis(*ParseRfc3339("2026-11-23T19:12:05.123+01:00")), 1'795'457'525'123);
  EXPECT_EQ(ToUnixMillis(*ParseRfc3339("2026-11-23T17:12:05.5-01:00")), 1'795'457'525'500);
  const Time t = FromUnixMillis(1'795'457'525'123);
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t);
}

TEST(Rfc3339, RejectsWhatIsNotADateTime) {
  for (const char* bad : {"", "2026-11-23", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-23T24:00:00Z", "2026-11-23T18:12:05", "2026-11-23T18:12:05Zx",
                          "2026-11-23T18:12:05.Z", "2026-11-23T18:12:05+0100"}) {
    const auto r = ParseRfc3339(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("RFC 3339"), std::string::npos);
  }
}

TEST(Rfc3339, RefusesInstantsTimeCannotHold) {
  for (const char* far : {"0001-01-01T00:00:00Z", "1677-01-01T00:00:00Z", "2262-06-01T00:00:00Z",
                          "9999-12-31T23:59:59Z", "1678-01-01T00:30:00+01:00"}) {
    const auto r = ParseRfc3339(far);
    ASSERT_FALSE(r.ok()) << far;
    EXPECT_EQ(r.error().code(), ErrorCode::kOutOfRange) << far;
  }
  EXPECT_TRUE(ParseRfc3339("1678-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseRfc3339("2261-12-31T23:59:59.999Z").ok());
}

TEST(FakeClock, MovesOnlyWhenTold) {
  testing::FakeClock clock(FromUnixMillis(1000));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 3000);
}

}  // namespace
}  // namespace strongroom::base
