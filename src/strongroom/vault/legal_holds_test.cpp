#include "strongroom/vault/legal_holds.hpp"

#include <gtest/gtest.h>

#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

using access::Action;
using nlohmann::json;

class LegalHoldsTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    officer_ = AddUser("so-sam", identity::Role::kSecurityOfficer).user;
    holds_ = std::make_unique<LegalHolds>(*store_, audit_, clock_);
    for (const char* c : {"people", "invoices"}) {
      Declare(c);
      ASSERT_TRUE(
          records_
              ->Put(Permit(admin_, Action::kRecordsWrite, c), c, "r1", json{{"x", 1}}, {}, nullptr)
              .ok());
    }
  }
  access::Permit Manage() {
    return Permit(officer_, Action::kLegalHoldsManage, std::nullopt, tenant_.id);
  }
  base::Status DeleteR1(const std::string& collection) {
    return records_
        ->Delete(Permit(admin_, Action::kRecordsDelete, collection), collection, "r1", {})
        .status();
  }

  identity::User officer_;
  std::unique_ptr<LegalHolds> holds_;
};

TEST_F(LegalHoldsTest, ACollectionHoldBlocksDeletionThereUntilLifted) {
  auto hold = holds_->Place(Manage(), std::string("people"), "Case 2027-14");
  ASSERT_TRUE(hold.ok()) << hold.status().ToString();
  EXPECT_TRUE(hold->id.starts_with("hold_"));
  EXPECT_EQ(DeleteR1("people").code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(DeleteR1("invoices").ok());  // Another collection is not held.
  auto lifted = holds_->Lift(Manage(), hold->id);
  ASSERT_TRUE(lifted.ok()) << lifted.status().ToString();
  EXPECT_FALSE(lifted->active());
  EXPECT_EQ(lifted->lifted_by, officer_.id.value());
  EXPECT_TRUE(DeleteR1("people").ok());
  EXPECT_EQ(holds_->Lift(Manage(), hold->id).status().code(), base::ErrorCode::kFailedPrecondition);
  const auto placed = audit_.With("legal_holds.place");
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].details.at("scope"), "collection:people");
  EXPECT_EQ(placed[0].tenant_id, tenant_.id.value());
  EXPECT_EQ(audit_.With("legal_holds.lift").size(), 1u);
}

TEST_F(LegalHoldsTest, ATenantHoldBlocksEveryCollection) {
  ASSERT_TRUE(holds_->Place(Manage(), std::nullopt, "Regulator inquiry").ok());
  EXPECT_EQ(DeleteR1("people").code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(DeleteR1("invoices").code(), base::ErrorCode::kFailedPrecondition);
}

TEST_F(LegalHoldsTest, RefusesBadInputAndUnknownTargets) {
  EXPECT_EQ(holds_->Place(Manage(), std::nullopt, "").status().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(holds_->Place(Manage(), std::string(501, 'x'), "r").status().code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(holds_->Place(Manage(), std::nullopt, std::string(501, 'x')).status().code(),
            base::ErrorCode::kInvalidArgument);
  EXPECT_EQ(holds_->Place(Manage(), std::string("nope"), "Case 1").status().code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(holds_->Lift(Manage(), "hold_missing").status().code(), base::ErrorCode::kNotFound);
}

TEST_F(LegalHoldsTest, ListsActiveHoldsFirstAndOnlyTheTenantsOwn) {
  auto first = *holds_->Place(Manage(), std::nullopt, "Case 1");
  clock_.Advance(std::chrono::seconds(1));
  auto second = *holds_->Place(Manage(), std::string("people"), "Case 2");
  ASSERT_TRUE(holds_->Lift(Manage(), second.id).ok());
  const identity::Tenant other = AddTenant("Globex");
  ASSERT_TRUE(holds_
                  ->Place(Permit(officer_, Action::kLegalHoldsManage, std::nullopt, other.id),
                          std::nullopt, "Other")
                  .ok());
  auto list = holds_->List(Permit(admin_, Action::kLegalHoldsRead, std::nullopt));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, first.id);
  EXPECT_EQ((*list)[1].id, second.id);
}

TEST_F(LegalHoldsTest, OnlyASecurityOfficerPlacesOrLiftsHolds) {
  for (const identity::User& u : {admin_, user_, service_}) {
    EXPECT_EQ(authorizer_
                  ->Admit(As(u), Actor(u), Action::kLegalHoldsManage,
                          access::Target{tenant_.id, std::nullopt, "tenant"})
                  .status()
                  .code(),
              base::ErrorCode::kPermissionDenied);
  }
}

}  // namespace
}  // namespace strongroom::vault
