#include "strongroom/identity/role.hpp"

#include <gtest/gtest.h>

namespace strongroom::identity {
namespace {

TEST(Role, EveryRoleRoundTripsThroughItsName) {
  ASSERT_EQ(AllRoles().size(), 7u);
  for (Role r : AllRoles()) EXPECT_EQ(*ParseRole(RoleName(r)), r);
}

TEST(Role, UnknownNamesListWhatIsAccepted) {
  const auto r = ParseRole("root");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("accepted: admin, security_officer, service, auditor, "
                                     "staff, client_admin, client_user"),
            std::string::npos);
}

TEST(Role, OnlyClientRolesBelongToATenant) {
  EXPECT_TRUE(IsProviderRole(Role::kAdmin));
  EXPECT_TRUE(IsProviderRole(Role::kService));
  EXPECT_FALSE(IsProviderRole(Role::kClientAdmin));
  EXPECT_FALSE(IsProviderRole(Role::kClientUser));
}

}  // namespace
}  // namespace strongroom::identity
