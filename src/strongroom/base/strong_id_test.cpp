#include "strongroom/base/strong_id.hpp"

#include <gtest/gtest.h>

#include <type_traits>
#include <unordered_set>

namespace strongroom::base {
namespace {

struct TenantTag {};
struct UserTag {};
using TenantId = StrongId<TenantTag>;
using UserId = StrongId<UserTag>;

TEST(StrongId, IdsOfDifferentKindsDoNotConvert) {
  static_assert(!std::is_convertible_v<TenantId, UserId>);
  static_assert(!std::is_convertible_v<std::string, TenantId>);
  static_assert(!std::is_convertible_v<TenantId, std::string>);
  const TenantId a("t1");
  EXPECT_EQ(a.value(), "t1");
  EXPECT_EQ(a, TenantId("t1"));
  EXPECT_LT(TenantId("a"), TenantId("b"));
  std::unordered_set<TenantId> set{a, TenantId("t2"), TenantId("t1")};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace strongroom::base
