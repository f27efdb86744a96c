#include "strongroom/access/authorizer.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::access {
namespace {

using namespace std::chrono_literals;
using identity::Role;

class AuthorizerTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    tenant_ = AddTenant("Acme");
    client_admin_ = AddUser("acme-admin", Role::kClientAdmin, tenant_.id).user;
    const identity::User svc = AddUser("svc-anna", Role::kService).user;
    service_ = *accounts_->SetQualified(Operator(), svc.id, true);
    grants_ = std::make_unique<GrantStore>(*store_, audit_, clock_);
    authorizer_ = std::make_unique<Authorizer>(*store_, *grants_, audit_, clock_);
  }
  identity::Principal As(const identity::User& u) {
    identity::Principal p;
    p.user = u;
    p.credential_id = "ses_test";
    return p;
  }
  Target Records(const std::string& collection = "contacts") {
    return Target{tenant_.id, collection, "collection:" + tenant_.id.value() + "/" + collection};
  }

  identity::Tenant tenant_;
  identity::User client_admin_, service_;
  std::unique_ptr<GrantStore> grants_;
  std::unique_ptr<Authorizer> authorizer_;
};

TEST_F(AuthorizerTest, DeniesAndAuditsServiceAccessWithoutAGrant) {
  const auto r = authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records());
  EXPECT_EQ(r.status().code(), base::ErrorCode::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "not allowed: no_grant");
  const auto denied = audit_.With("access.denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].reason, "no_grant");
  EXPECT_EQ(denied[0].tenant_id, tenant_.id.value());
  EXPECT_EQ(denied[0].details.at("requested"), "records.read");
}

TEST_F(AuthorizerTest, EvidencePermitsReachOnlyTheProvidersTenantThroughIsmsActions) {
  const identity::User officer = AddUser("so-sven", Role::kSecurityOfficer).user;
  const identity::User staff = AddUser("stf-sam", Role::kStaff).user;
  auto write =
      authorizer_->AdmitIsmsEvidence(As(officer), Operator(), Action::kIsmsWrite, "evidence:ev_1");
  ASSERT_TRUE(write.ok()) << write.status().ToString();
  EXPECT_EQ(write->action(), Action::kFilesWrite);
  EXPECT_EQ(write->tenant().value(), identity::kProviderTenantId);
  EXPECT_EQ(write->reason(), "isms_evidence");
  const auto allowed = audit_.With("access.allowed");
  ASSERT_EQ(allowed.size(), 1u);
  EXPECT_EQ(allowed[0].details.at("requested"), "isms.write");

  auto read =
      authorizer_->AdmitIsmsEvidence(As(staff), Operator(), Action::kIsmsRead, "evidence:ev_1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->action(), Action::kFilesRead);
  EXPECT_EQ(
      authorizer_->AdmitIsmsEvidence(As(staff), Operator(), Action::kIsmsWrite, "evidence:ev_1")
          .status()
          .code(),
      base::ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      authorizer_
          ->AdmitIsmsEvidence(As(client_admin_), Operator(), Action::kIsmsRead, "evidence:ev_1")
          .status()
          .code(),
      base::ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      authorizer_->AdmitIsmsEvidence(As(officer), Operator(), Action::kRecordsRead, "evidence:x")
          .status()
          .code(),
      base::ErrorCode::kInvalidArgument);
}

TEST_F(AuthorizerTest, AllowsAndAuditsEveryUseOfAGrantUntilItIsRevoked) {
  const Grant g = *grants_->CreateSupportGrant(
      Operator(),
      SupportGrantRequest{
          tenant_.id, client_admin_.id, service_.id, false, {}, "T-9", clock_.Now() + 24h});
  const auto r = authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->grant_id, g.id);
  const auto uses = audit_.With("grants.use");
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].details.at("grant"), g.id);
  // Read-only: writing is denied.
  EXPECT_EQ(authorizer_->Authorize(As(service_), Operator(), Action::kRecordsWrite, Records())
                .status()
                .message(),
            "not allowed: read_only_grant");
  ASSERT_TRUE(
      grants_->Revoke(Operator(), tenant_.id, g.id, client_admin_.id, GrantKind::kSupport).ok());
  EXPECT_FALSE(
      authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records()).ok());
  // Losing the qualification stops grants working too.
  ASSERT_TRUE(
      grants_
          ->CreateSupportGrant(
              Operator(),
              SupportGrantRequest{
                  tenant_.id, client_admin_.id, service_.id, true, {}, "T-10", clock_.Now() + 24h})
          .ok());
  ASSERT_TRUE(
      authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records()).ok());
  service_ = *accounts_->SetQualified(Operator(), service_.id, false);
  EXPECT_EQ(authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records())
                .status()
                .message(),
            "not allowed: not_qualified");
}

TEST_F(AuthorizerTest, ASuspendedTenantIsLookedUp) {
  ASSERT_TRUE(
      authorizer_->Authorize(As(client_admin_), Operator(), Action::kRecordsRead, Records()).ok());
  ASSERT_TRUE(tenants_->Suspend(Operator(), tenant_.id).ok());
  EXPECT_EQ(authorizer_->Authorize(As(client_admin_), Operator(), Action::kRecordsRead, Records())
                .status()
                .message(),
            "not allowed: tenant_suspended");
}

TEST_F(AuthorizerTest, ApiTokenPermissionsComeFromThePrincipal) {
  identity::Principal p = As(client_admin_);
  p.kind = identity::CredentialKind::kApiToken;
  p.permissions = std::vector<std::string>{"records.read"};
  EXPECT_TRUE(authorizer_->Authorize(p, Operator(), Action::kRecordsRead, Records()).ok());
  EXPECT_EQ(
      authorizer_->Authorize(p, Operator(), Action::kRecordsWrite, Records()).status().message(),
      "not allowed: outside_token_scope");
}

TEST_F(AuthorizerTest, NoDecisionWithoutItsAuditEvent) {
  audit_.set_fail(true);
  EXPECT_EQ(authorizer_->Authorize(As(service_), Operator(), Action::kRecordsRead, Records())
                .status()
                .code(),
            base::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace strongroom::access
