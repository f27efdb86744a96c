#include "strongroom/base/secret.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/logger.hpp"

namespace strongroom::base {
namespace {

template <typename T, typename = void>
struct IsStreamable : std::false_type {};
template <typename T>
struct IsStreamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<T>())>>
    : std::true_type {};

TEST(Secret, CannotBePrintedCopiedOrLogged) {
  static_assert(!IsStreamable<const SecretString&>::value);
  static_assert(!IsStreamable<const SecretBytes&>::value);
  static_assert(!std::is_copy_constructible_v<SecretString>);
  static_assert(!std::is_convertible_v<const SecretString&, std::string_view>);
  static_assert(!std::is_constructible_v<LogField, std::string_view, const SecretString&>);
  static_assert(!std::is_constructible_v<LogField, std::string_view, const SecretBytes&>);
  SUCCEED();
}

TEST(Secret, WipeZeroesTheBytesInPlace) {
  Secret<std::array<std::uint8_t, 4>> key(std::array<std::uint8_t, 4>{1, 2, 3, 4});
  const std::uint8_t* bytes = key.Reveal().data();
  key.Wipe();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(bytes[i], 0) << i;
}

TEST(Secret, MovingAShortStringLeavesNoCopyInTheSource) {
  SecretString a(std::string("hunter2-hunter2"));  // Short enough to live inline (SSO).
  const char* inline_buffer = a.Reveal().data();
  SecretString b(std::move(a));
  EXPECT_EQ(b.Reveal(), "hunter2-hunter2");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state.
  for (int i = 0; i < 15; ++i) EXPECT_EQ(inline_buffer[i], '\0') << i;
}

TEST(Secret, MovingBytesTransfersTheBufferAndCloneIsExplicit) {
  SecretBytes a(Bytes{9, 8, 7});
  const std::uint8_t* buffer = a.Reveal().data();
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.Reveal().data(), buffer);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  SecretBytes c = b.Clone();
  EXPECT_EQ(c.Reveal(), b.Reveal());
  EXPECT_NE(c.Reveal().data(), b.Reveal().data());
}

}  // namespace
}  // namespace strongroom::base
