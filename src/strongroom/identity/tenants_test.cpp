#include "strongroom/identity/tenants.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::identity {
namespace {

using Tenants = testing::IdentityFixture;

TEST_F(Tenants, CreateListGetAndFindByName) {
  const Tenant a = AddTenant("Acme Telecom");
  const Tenant b = AddTenant("Beta Mail");
  EXPECT_TRUE(a.id.value().starts_with("ten_"));
  EXPECT_EQ(a.status, TenantStatus::kActive);
  EXPECT_TRUE(a.require_client_2fa);
  const auto list = *tenants_->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "Acme Telecom");
  EXPECT_EQ(tenants_->Get(b.id)->name, "Beta Mail");
  EXPECT_EQ(tenants_->FindByName("Beta Mail")->id, b.id);
  EXPECT_EQ(tenants_->Get(TenantId("ten_nope")).status().code(), base::ErrorCode::kNotFound);
}

TEST_F(Tenants, TheProvidersOwnTenantIsMadeOnceAndIsNoClient) {
  auto provider = tenants_->EnsureProviderTenant(Operator());
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  EXPECT_EQ(provider->id.value(), kProviderTenantId);
  EXPECT_TRUE(IsProviderTenant(provider->id));
  EXPECT_EQ(tenants_->EnsureProviderTenant(Operator())->id, provider->id);
  EXPECT_EQ(audit_.With("tenants.create").size(), 1u);

  AddTenant("Acme");
  const auto listed = tenants_->List();
  ASSERT_EQ(listed->size(), 1u);  // Clients only.
  EXPECT_EQ((*listed)[0].name, "Acme");
  const auto suspended = tenants_->Suspend(Operator(), provider->id);
  EXPECT_EQ(suspended.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(suspended.status().message().find("cannot be suspended or shredded"),
            std::string::npos);
  const auto client =
      accounts_->Create(Operator(), NewUser{"prov-client", Role::kClientUser, provider->id,
                                            base::SecretString(testing::kGoodPassphrase)});
  EXPECT_EQ(client.status().code(), base::ErrorCode::kInvalidArgument);
}

TEST_F(Tenants, NamesAreValidatedAndUnique) {
  AddTenant("Acme");
  EXPECT_EQ(tenants_->Create(Operator(), "Acme").status().code(), base::ErrorCode::kAlreadyExists);
  for (const std::string& bad :
       {std::string(""), std::string(201, 'x'), std::string(" padded"), std::string("tab\there")}) {
    EXPECT_EQ(tenants_->Create(Operator(), bad).status().code(), base::ErrorCode::kInvalidArgument)
        << bad;
  }
}

TEST_F(Tenants, SuspendAndResumeAreStateChanges) {
  const Tenant t = AddTenant("Acme");
  const auto suspended = tenants_->Suspend(Operator(), t.id);
  ASSERT_TRUE(suspended.ok());
  EXPECT_EQ(suspended->status, TenantStatus::kSuspended);
  EXPECT_EQ(suspended->suspended_at, clock_.Now());
  EXPECT_EQ(tenants_->Suspend(Operator(), t.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(tenants_->Resume(Operator(), t.id)->status, TenantStatus::kActive);
  EXPECT_EQ(tenants_->Resume(Operator(), t.id).status().code(),
            base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(tenants_->Suspend(Operator(), TenantId("ten_x")).status().code(),
            base::ErrorCode::kNotFound);
  EXPECT_FALSE(tenants_->SetRequireClient2fa(Operator(), t.id, false)->require_client_2fa);
}

TEST_F(Tenants, EveryChangeIsAuditedAndAFailedAuditUndoesIt) {
  const Tenant t = AddTenant("Acme");
  ASSERT_TRUE(tenants_->Suspend(Operator(), t.id).ok());
  ASSERT_TRUE(tenants_->Resume(Operator(), t.id).ok());
  ASSERT_TRUE(tenants_->SetRequireClient2fa(Operator(), t.id, false).ok());
  std::vector<std::string> actions;
  for (const auto& e : audit_.events()) {
    actions.push_back(e.action);
    EXPECT_EQ(e.tenant_id, t.id.value());
    EXPECT_EQ(e.actor_id, "usr_operator");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"tenants.create", "tenants.suspend",
                                               "tenants.resume", "tenants.update"}));
  audit_.set_fail(true);
  EXPECT_EQ(tenants_->Suspend(Operator(), t.id).status().code(), base::ErrorCode::kUnavailable);
  EXPECT_EQ(tenants_->Create(Operator(), "Beta").status().code(), base::ErrorCode::kUnavailable);
  audit_.set_fail(false);
  EXPECT_EQ(tenants_->Get(t.id)->status, TenantStatus::kActive);
  EXPECT_EQ(tenants_->FindByName("Beta").status().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::identity
