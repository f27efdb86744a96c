#include "strongroom/vault/retention.hpp"

#include <gtest/gtest.h>

#include "strongroom/vault/legal_holds.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

using access::Action;
using nlohmann::json;
using namespace std::chrono_literals;

class RetentionTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    CollectionSpec short_lived;
    short_lived.retention_days = 30;
    short_lived.lookup_fields = {"k"};
    Declare("sessions", short_lived);
    Declare("contracts");
  }
  void Put(const std::string& collection, const std::string& id) {
    ASSERT_TRUE(records_
                    ->Put(Permit(admin_, Action::kRecordsWrite, collection), collection, id,
                          json{{"k", id}}, {}, nullptr)
                    .ok());
  }
  bool Exists(const std::string& collection, const std::string& id) {
    return records_->Get(Permit(admin_, Action::kRecordsRead, collection), collection, id, nullptr)
        .ok();
  }
  PurgeReport Purge(std::size_t batch = 500) {
    auto r = PurgeExpiredRecords(*store_, audit_, clock_,
                                 audit::Actor{"vault-retention", "system", "local", ""}, batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : PurgeReport{};
  }
};

TEST_F(RetentionTest, PurgesOnlyRecordsPastTheirCollectionsRetention) {
  Put("sessions", "old");
  Put("contracts", "old");
  clock_.Advance(std::chrono::hours(24) * 20);
  Put("sessions", "young");
  clock_.Advance(std::chrono::hours(24) * 10 + 1s);  // "old" is 30 days and a second old.
  const PurgeReport report = Purge();
  EXPECT_EQ(report.purged, 1u);
  EXPECT_EQ(report.collections, 1u);
  EXPECT_FALSE(Exists("sessions", "old"));
  EXPECT_TRUE(Exists("sessions", "young"));
  EXPECT_TRUE(Exists("contracts", "old"));  // No retention: kept until deleted.
  const auto purged = audit_.With("records.purge");
  ASSERT_EQ(purged.size(), 1u);
  EXPECT_EQ(purged[0].tenant_id, tenant_.id.value());
  EXPECT_EQ(purged[0].details.at("ids"), "old");
  EXPECT_EQ(purged[0].reason, "retention_expired");
  // The blind index forgets it too.
  auto tx = *store_->BeginRead();
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM vault_lookup WHERE record_id = 'old' AND "
                        "collection = 'sessions'"))[0]
                .GetInt(0)
                .value(),
            0);
}

TEST_F(RetentionTest, NothingIsPurgedOneSecondBeforeRetentionEnds) {
  Put("sessions", "r");
  clock_.Advance(std::chrono::hours(24) * 30 - 1s);
  EXPECT_EQ(Purge().purged, 0u);
  EXPECT_TRUE(Exists("sessions", "r"));
}

TEST_F(RetentionTest, ALegalHoldKeepsExpiredRecordsUntilLifted) {
  Put("sessions", "a");
  Put("sessions", "b");
  const identity::User so = AddUser("so-sam", identity::Role::kSecurityOfficer).user;
  LegalHolds holds(*store_, audit_, clock_);
  const access::Permit manage = Permit(so, Action::kLegalHoldsManage, std::nullopt, tenant_.id);
  const LegalHold hold = *holds.Place(manage, std::nullopt, "Case 9");
  clock_.Advance(std::chrono::hours(24) * 31);
  PurgeReport report = Purge();
  EXPECT_EQ(report.purged, 0u);
  EXPECT_EQ(report.held, 2u);
  EXPECT_TRUE(Exists("sessions", "a"));
  ASSERT_TRUE(holds.Lift(manage, hold.id).ok());
  EXPECT_EQ(Purge().purged, 2u);
}

TEST_F(RetentionTest, PurgesInBatchesEachAudited) {
  for (int i = 0; i < 5; ++i) Put("sessions", "r" + std::to_string(i));
  clock_.Advance(std::chrono::hours(24) * 31);
  EXPECT_EQ(Purge(2).purged, 5u);
  EXPECT_EQ(audit_.With("records.purge").size(), 3u);
}

TEST_F(RetentionTest, NothingIsPurgedWhenThePurgeCannotBeAudited) {
  Put("sessions", "r");
  clock_.Advance(std::chrono::hours(24) * 31);
  audit_.set_fail(true);
  EXPECT_EQ(PurgeExpiredRecords(*store_, audit_, clock_, audit::Actor{}).status().code(),
            base::ErrorCode::kUnavailable);
  audit_.set_fail(false);
  EXPECT_TRUE(Exists("sessions", "r"));
}

}  // namespace
}  // namespace strongroom::vault
