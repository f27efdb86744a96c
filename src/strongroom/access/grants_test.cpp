#include "strongroom/access/grants.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::access {
namespace {

using namespace std::chrono_literals;
using identity::Role;

class GrantsTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    tenant_ = AddTenant("Acme");
    client_admin_ = AddUser("acme-admin", Role::kClientAdmin, tenant_.id).user;
    service_ = AddUser("svc-anna", Role::kService).user;
    service_ = *accounts_->SetQualified(Operator(), service_.id, true);
    officer_ = AddUser("so-omar", Role::kSecurityOfficer).user;
    grants_ = std::make_unique<GrantStore>(*store_, audit_, clock_);
  }
  SupportGrantRequest Request() {
    return SupportGrantRequest{tenant_.id,   client_admin_.id, service_.id,       false,
                               {"contacts"}, "TICKET-1234",    clock_.Now() + 48h};
  }

  identity::Tenant tenant_;
  identity::User client_admin_, service_, officer_;
  std::unique_ptr<GrantStore> grants_;
};

TEST_F(GrantsTest, AClientAdminGrantsAQualifiedServiceUserForAtMostSevenDays) {
  const auto g = grants_->CreateSupportGrant(Operator(), Request());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(g->id.starts_with("grt_"));
  EXPECT_EQ(g->kind, GrantKind::kSupport);
  EXPECT_EQ(g->collections, std::vector<std::string>{"contacts"});
  const auto active = *grants_->ActiveFor(service_.id, clock_.Now());
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, g->id);
  const auto e = audit_.With("grants.create").at(0);
  EXPECT_EQ(e.tenant_id, tenant_.id.value());
  EXPECT_EQ(e.details.at("grantee"), service_.id.value());
  EXPECT_EQ(e.details.at("reason"), "TICKET-1234");

  SupportGrantRequest r = Request();
  r.expires_at = clock_.Now() + std::chrono::days(7) + 1s;
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
  r.expires_at = clock_.Now();
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
  r = Request();
  r.reason = "";
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
  r = Request();
  r.collections = {"Contacts!"};
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
}

TEST_F(GrantsTest, OnlyActiveQualifiedServiceUsersReceiveGrants) {
  const identity::User unqualified = AddUser("svc-ben", Role::kService).user;
  const identity::User staff = AddUser("staff-cat", Role::kStaff).user;
  for (const identity::UserId& who : {unqualified.id, staff.id, officer_.id}) {
    SupportGrantRequest r = Request();
    r.grantee = who;
    const auto g = grants_->CreateSupportGrant(Operator(), r);
    EXPECT_EQ(g.status().code(), base::ErrorCode::kFailedPrecondition);
    EXPECT_NE(g.status().message().find("qualified"), std::string::npos);
  }
  ASSERT_TRUE(accounts_->Deactivate(Operator(), service_.id).ok());
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), Request()).status().code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(GrantsTest, OnlyTheTenantsOwnClientAdminIssuesAndSuspendedTenantsGetNone) {
  const identity::Tenant other = AddTenant("Other");
  SupportGrantRequest r = Request();
  r.tenant = other.id;  // acme-admin is not other's admin.
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), r).status().code(),
            base::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  EXPECT_EQ(grants_->CreateSupportGrant(Operator(), Request()).status().code(),
            base::ErrorCode::kFailedPrecondition);
}

TEST_F(GrantsTest, TheClientListsAndRevokesItsGrants) {
  const Grant g = *grants_->CreateSupportGrant(Operator(), Request());
  const auto listed = *grants_->ListForTenant(tenant_.id);
  ASSERT_EQ(listed.size(), 1u);
  const auto revoked =
      grants_->Revoke(Operator(), tenant_.id, g.id, client_admin_.id, GrantKind::kSupport);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at, clock_.Now());
  EXPECT_TRUE(grants_->ActiveFor(service_.id, clock_.Now())->empty());
  EXPECT_EQ(grants_->Revoke(Operator(), tenant_.id, g.id, client_admin_.id, GrantKind::kSupport)
                .status()
                .code(),
            base::ErrorCode::kFailedPrecondition);
  const identity::Tenant other = AddTenant("Other");
  EXPECT_EQ(grants_->Revoke(Operator(), other.id, g.id, client_admin_.id, GrantKind::kSupport)
                .status()
                .code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(audit_.With("grants.revoke").size(), 1u);
}

TEST_F(GrantsTest, GrantsLapseOnTheirOwn) {
  SupportGrantRequest r = Request();
  r.expires_at = clock_.Now() + 1h;
  ASSERT_TRUE(grants_->CreateSupportGrant(Operator(), r).ok());
  EXPECT_EQ(grants_->ActiveFor(service_.id, clock_.Now())->size(), 1u);
  clock_.Advance(1h);
  EXPECT_TRUE(grants_->ActiveFor(service_.id, clock_.Now())->empty());
}

TEST_F(GrantsTest, BreakGlassNeedsAnIncidentLastsAtMostFourHoursAndShowsToTheClient) {
  BreakGlassRequest r{tenant_.id, officer_.id, "INC-2026-0042", false, 2h};
  const auto g = grants_->OpenBreakGlass(Operator(), r);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->kind, GrantKind::kBreakGlass);
  EXPECT_EQ(g->expires_at, clock_.Now() + 2h);
  EXPECT_EQ(g->grantee, officer_.id);
  const auto seen_by_client = *grants_->ListForTenant(tenant_.id);
  ASSERT_EQ(seen_by_client.size(), 1u);
  EXPECT_EQ(seen_by_client[0].kind, GrantKind::kBreakGlass);
  EXPECT_EQ(seen_by_client[0].reason, "INC-2026-0042");
  EXPECT_EQ(audit_.With("break_glass.open").at(0).details.at("incident"), "INC-2026-0042");

  r.duration = 4h + 1s;
  EXPECT_EQ(grants_->OpenBreakGlass(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
  r.duration = 1h;
  r.incident = "";
  EXPECT_EQ(grants_->OpenBreakGlass(Operator(), r).status().code(),
            base::ErrorCode::kInvalidArgument);
  r.incident = "INC-1";
  r.officer = service_.id;
  EXPECT_EQ(grants_->OpenBreakGlass(Operator(), r).status().code(),
            base::ErrorCode::kFailedPrecondition);
  // The client's revocation (of support grants) does not reach an emergency access.
  EXPECT_EQ(grants_->Revoke(Operator(), tenant_.id, g->id, client_admin_.id, GrantKind::kSupport)
                .status()
                .code(),
            base::ErrorCode::kNotFound);
  EXPECT_TRUE(
      grants_->Revoke(Operator(), tenant_.id, g->id, officer_.id, GrantKind::kBreakGlass).ok());
}

}  // namespace
}  // namespace strongroom::access
