#include "strongroom/vault/records.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "strongroom/access/authorizer.hpp"
#include "strongroom/access/grants.hpp"
#include "strongroom/identity/testing/identity_fixture.hpp"
#include "strongroom/vault/testing/vault_fixture.hpp"

namespace strongroom::vault {
namespace {

using namespace std::chrono_literals;
using access::Action;
using nlohmann::json;

class RecordsTest : public testing::VaultFixture {
 protected:
  void SetUp() override {
    CollectionSpec spec;
    spec.classification = Classification::kConfidential;
    spec.lookup_fields = {"email", "tags"};
    spec.restricted_fields = {"ssn"};
    Declare("people", spec);
  }
  Record PutOk(const std::string& id, json doc, const WriteConditions& c = {}) {
    auto r = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", id,
                           std::move(doc), c, nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Record{};
  }
  std::string DatabaseBytes() {
    std::ifstream in(temp_ / "store.db", std::ios::binary);
    std::string db((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream wal(temp_ / "store.db-wal", std::ios::binary);
    db.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
    return db;
  }
};

TEST_F(RecordsTest, WritesAndReadsBackARecordWithVersions) {
  const Record first = PutOk("p1", {{"name", "Ada"}, {"email", "ada@example.com"}});
  EXPECT_EQ(first.version, 1u);
  clock_.Advance(5s);
  const Record second = PutOk("p1", {{"name", "Ada Lovelace"}});
  EXPECT_EQ(second.version, 2u);
  EXPECT_EQ(second.created_at, first.created_at);
  EXPECT_GT(second.updated_at, first.updated_at);
  const auto read =
      records_->Get(Permit(user_, Action::kRecordsRead, "people"), "people", "p1", nullptr);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->data, (json{{"name", "Ada Lovelace"}}));
  EXPECT_EQ(read->version, 2u);
}

TEST_F(RecordsTest, NoRecordContentOrLookupValueIsStoredInTheClear) {
  const std::string canary = "CanaryValue-7f3a9c";
  PutOk("p1", {{"name", canary}, {"email", canary + "@example.com"}, {"ssn", canary}});
  ASSERT_TRUE(store_->Checkpoint().ok());
  const std::string db = DatabaseBytes();
  EXPECT_EQ(db.find(canary), std::string::npos);
  EXPECT_EQ(db.find("canaryvalue-7f3a9c"), std::string::npos);  // Nor the normalised form.
}

TEST_F(RecordsTest, ACiphertextMovedToAnotherRecordOrTenantFailsToDecrypt) {
  PutOk("p1", {{"name", "Ada"}});
  PutOk("p2", {{"name", "Bob"}});
  // Another tenant with the same collection and record id.
  const identity::Tenant other = AddTenant("Globex");
  const identity::User other_admin =
      AddUser("globex-admin", identity::Role::kClientAdmin, other.id).user;
  Declare("people", {}, other_admin);
  ASSERT_TRUE(records_
                  ->Put(Permit(other_admin, Action::kRecordsWrite, "people"), "people", "p1",
                        json{{"name", "Mallory"}}, {}, nullptr)
                  .ok());
  const auto copy_ciphertext = [&](const std::string& from_tenant, const std::string& from_id,
                                   const std::string& to_tenant, const std::string& to_id) {
    auto tx = *store_->BeginWrite();
    ASSERT_TRUE(tx->Execute("UPDATE vault_records SET ciphertext = (SELECT ciphertext FROM "
                            "vault_records WHERE tenant_id = ? AND id = ?) WHERE tenant_id = ? "
                            "AND id = ?",
                            {storage::Text(from_tenant), storage::Text(from_id),
                             storage::Text(to_tenant), storage::Text(to_id)})
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  };
  const auto read = [&](const std::string& id) {
    return records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", id, nullptr);
  };
  // Another record of the same tenant and collection.
  copy_ciphertext(tenant_.id.value(), "p2", tenant_.id.value(), "p1");
  EXPECT_EQ(read("p1").status().code(), base::ErrorCode::kDataLoss);
  // The same record id in another tenant.
  copy_ciphertext(other.id.value(), "p1", tenant_.id.value(), "p2");
  EXPECT_EQ(read("p2").status().code(), base::ErrorCode::kDataLoss);
  const auto failed = audit_.With("records.read");
  ASSERT_GE(failed.size(), 2u);
  EXPECT_EQ(failed.back().outcome, audit::Outcome::kFailed);
  EXPECT_EQ(failed.back().reason, "integrity");
}

TEST_F(RecordsTest, AnOlderVersionReplayedOverTheRecordFailsToDecrypt) {
  PutOk("p1", {{"balance", 10}});
  base::Bytes v1;
  {
    auto tx = *store_->BeginRead();
    v1 = *(*tx->Query("SELECT ciphertext FROM vault_records WHERE id = 'p1'"))[0].GetBlob(0);
  }
  PutOk("p1", {{"balance", 0}});
  {
    auto tx = *store_->BeginWrite();
    ASSERT_TRUE(
        tx->Execute("UPDATE vault_records SET ciphertext = ? WHERE id = 'p1'", {storage::Blob(v1)})
            .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", nullptr)
                .status()
                .code(),
            base::ErrorCode::kDataLoss);
}

TEST_F(RecordsTest, ConditionsGuardConcurrentWriters) {
  WriteConditions absent;
  absent.if_absent = true;
  PutOk("p1", {{"n", 1}}, absent);
  auto again = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "p1",
                             json{{"n", 2}}, absent, nullptr);
  EXPECT_EQ(again.status().code(), base::ErrorCode::kAborted);
  EXPECT_NE(again.status().message().find("at version 1"), std::string::npos);
  WriteConditions v1;
  v1.if_version = 1;
  PutOk("p1", {{"n", 2}}, v1);
  auto stale = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "p1",
                             json{{"n", 3}}, v1, nullptr);
  EXPECT_EQ(stale.status().code(), base::ErrorCode::kAborted);
  auto d = records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", v1);
  EXPECT_EQ(d.status().code(), base::ErrorCode::kAborted);
  WriteConditions exists;
  exists.if_exists = true;
  auto missing = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "nope",
                               json{{"n", 1}}, exists, nullptr);
  EXPECT_EQ(missing.status().code(), base::ErrorCode::kAborted);
  EXPECT_EQ(records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", nullptr)
                ->data["n"],
            2);
}

TEST_F(RecordsTest, ADeletedRecordIsGoneAndItsVersionsKeepCounting) {
  PutOk("p1", {{"email", "a@example.com"}});
  PutOk("p1", {{"email", "a@example.com"}});
  auto deleted =
      records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", {});
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 2u);
  EXPECT_EQ(records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", nullptr)
                .status()
                .code(),
            base::ErrorCode::kNotFound);
  EXPECT_TRUE(records_
                  ->Lookup(Permit(admin_, Action::kRecordsRead, "people"), "people", "email",
                           "a@example.com", 10, "", nullptr)
                  ->records.empty());
  EXPECT_EQ(records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", {})
                .status()
                .code(),
            base::ErrorCode::kNotFound);
  EXPECT_EQ(PutOk("p1", {{"n", 1}}).version, 3u);
  auto tx = *store_->BeginRead();
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM vault_records WHERE ciphertext IS NULL"))[0]
                .GetInt(0)
                .value(),
            0);
}

TEST_F(RecordsTest, RestrictedFieldsAreMaskedUnlessUnmaskedAndEveryUnmaskingIsAudited) {
  PutOk("p1", {{"name", "Ada"}, {"ssn", "123-45-6789"}});
  const auto masked =
      records_->Get(Permit(user_, Action::kRecordsRead, "people"), "people", "p1", nullptr);
  ASSERT_TRUE(masked.ok());
  EXPECT_EQ(masked->data["ssn"], "***");
  EXPECT_EQ(masked->masked, (std::vector<std::string>{"ssn"}));
  EXPECT_TRUE(audit_.With("records.unmask").empty());

  const access::Permit unmask = Permit(admin_, Action::kRecordsUnmask, "people");
  const auto shown =
      records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", &unmask);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->data["ssn"], "123-45-6789");
  EXPECT_TRUE(shown->masked.empty());
  const auto unmaskings = audit_.With("records.unmask");
  ASSERT_EQ(unmaskings.size(), 1u);
  EXPECT_EQ(unmaskings[0].resource, "record:people/p1");
  EXPECT_EQ(unmaskings[0].details.at("fields"), "ssn");
  EXPECT_EQ(unmaskings[0].tenant_id, tenant_.id.value());
  EXPECT_EQ(unmaskings[0].actor_id, admin_.id.value());

  // A client user cannot be given an unmask permit at all.
  EXPECT_EQ(authorizer_
                ->Admit(As(user_), Actor(user_), Action::kRecordsUnmask,
                        access::Target{tenant_.id, "people", "collection:people"})
                .status()
                .code(),
            base::ErrorCode::kPermissionDenied);
}

TEST_F(RecordsTest, AWriterWhoSawTheMaskKeepsTheStoredRestrictedValue) {
  PutOk("p1", {{"name", "Ada"}, {"ssn", "123-45-6789"}});
  auto written = records_->Put(Permit(user_, Action::kRecordsWrite, "people"), "people", "p1",
                               json{{"name", "Ada L."}, {"ssn", "***"}}, {}, nullptr);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->data["ssn"], "***");
  const access::Permit unmask = Permit(admin_, Action::kRecordsUnmask, "people");
  const auto shown =
      records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", &unmask);
  EXPECT_EQ(shown->data, (json{{"name", "Ada L."}, {"ssn", "123-45-6789"}}));
}

TEST_F(RecordsTest, LookupFindsNormalisedValuesThroughTheBlindIndex) {
  PutOk("p1", {{"email", "Ada@Example.com"}, {"tags", {"vip", 7}}});
  PutOk("p2", {{"email", "bob@example.com"}, {"tags", {"VIP"}}});
  PutOk("p3", {{"email", "ada@example.com "}});
  const auto ids = [&](const std::string& field, const std::string& value) {
    auto page = records_->Lookup(Permit(user_, Action::kRecordsRead, "people"), "people", field,
                                 value, 100, "", nullptr);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const Record& r : page->records) out.push_back(r.id);
    }
    return out;
  };
  EXPECT_EQ(ids("email", "ada@example.com"), (std::vector<std::string>{"p1", "p3"}));
  EXPECT_EQ(ids("tags", "vip"), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(ids("tags", "7"), (std::vector<std::string>{"p1"}));
  EXPECT_TRUE(ids("email", "nobody@example.com").empty());
  const auto not_declared = records_->Lookup(Permit(user_, Action::kRecordsRead, "people"),
                                             "people", "name", "Ada", 10, "", nullptr);
  EXPECT_EQ(not_declared.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(not_declared.status().message().find("email,tags"), std::string::npos);
}

TEST_F(RecordsTest, TheSameValueInAnotherTenantHasAnotherIndexToken) {
  PutOk("p1", {{"email", "same@example.com"}});
  const identity::Tenant other = AddTenant("Globex");
  const identity::User other_admin =
      AddUser("globex-admin", identity::Role::kClientAdmin, other.id).user;
  CollectionSpec spec;
  spec.lookup_fields = {"email"};
  Declare("people", spec, other_admin);
  ASSERT_TRUE(records_
                  ->Put(Permit(other_admin, Action::kRecordsWrite, "people"), "people", "p1",
                        json{{"email", "same@example.com"}}, {}, nullptr)
                  .ok());
  auto tx = *store_->BeginRead();
  const auto rows = *tx->Query("SELECT DISTINCT token FROM vault_lookup WHERE field = 'email'");
  EXPECT_EQ(rows.size(), 2u);
}

TEST_F(RecordsTest, ChangingTheLookupFieldsReindexesExistingRecords) {
  PutOk("p1", {{"name", "Ada"}, {"email", "a@example.com"}});
  CollectionSpec spec;
  spec.lookup_fields = {"name"};
  auto c = records_->DeclareCollection(Permit(admin_, Action::kCollectionsManage, "people"),
                                       "people", spec);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto page = records_->Lookup(Permit(admin_, Action::kRecordsRead, "people"), "people", "name",
                               "ada", 10, "", nullptr);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(audit_.With("collections.declare").back().details.at("reindexed"), "1");
  auto tx = *store_->BeginRead();
  EXPECT_EQ(
      (*tx->Query("SELECT COUNT(*) FROM vault_lookup WHERE field = 'email'"))[0].GetInt(0).value(),
      0);
}

TEST_F(RecordsTest, ListPagesInIdOrderAndAuditsTheIdsRead) {
  for (const char* id : {"c", "a", "e", "b", "d"}) PutOk(id, {{"id", id}});
  std::vector<std::string> seen;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    auto page =
        records_->List(Permit(user_, Action::kRecordsRead, "people"), "people", 2, after, nullptr);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Record& r : page->records) seen.push_back(r.id);
    if (!page->next_after) break;
    after = *page->next_after;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  const auto reads = audit_.With("records.read");
  ASSERT_EQ(reads.size(), 3u);
  EXPECT_EQ(reads[0].details.at("ids"), "a,b");
  EXPECT_EQ(reads[0].details.at("count"), "2");
  EXPECT_EQ(reads[0].resource, "collection:people");
}

TEST_F(RecordsTest, LimitsAreEnforcedWithAClearErrorAndNothingIsWritten) {
  RecordLimits tight;
  tight.max_bytes = 64;
  Records small(*store_, *keys_, audit_, clock_, tight);
  auto r = small.Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "big",
                     json{{"blob", std::string(100, 'x')}}, {}, nullptr);
  EXPECT_EQ(r.status().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("the limit is 64"), std::string::npos);
  auto bad_id = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "a/b",
                              json{{"x", 1}}, {}, nullptr);
  EXPECT_EQ(bad_id.status().code(), base::ErrorCode::kInvalidArgument);
  auto not_object = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "x",
                                  json::array({1}), {}, nullptr);
  EXPECT_EQ(not_object.status().code(), base::ErrorCode::kInvalidArgument);
  auto no_collection = records_->Put(Permit(admin_, Action::kRecordsWrite, "nope"), "nope", "x",
                                     json{{"x", 1}}, {}, nullptr);
  EXPECT_EQ(no_collection.status().code(), base::ErrorCode::kNotFound);
  auto tx = *store_->BeginRead();
  EXPECT_TRUE(tx->Query("SELECT id FROM vault_records")->empty());
  const auto writes = audit_.With("records.write");
  ASSERT_EQ(writes.size(), 4u);
  for (const auto& e : writes) EXPECT_EQ(e.outcome, audit::Outcome::kFailed);
  EXPECT_EQ(writes[3].reason, "not_found");
}

TEST_F(RecordsTest, EveryAccessIsAuditedWithTenantCollectionAndRecord) {
  PutOk("p1", {{"x", 1}});
  ASSERT_TRUE(
      records_->Get(Permit(user_, Action::kRecordsRead, "people"), "people", "p1", nullptr).ok());
  ASSERT_TRUE(
      records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", {}).ok());
  EXPECT_FALSE(
      records_->Get(Permit(user_, Action::kRecordsRead, "people"), "people", "p1", nullptr).ok());
  std::vector<std::string> seen;
  for (const audit::Event& e : audit_.events()) {
    if (!e.action.starts_with("records.")) continue;
    seen.push_back(e.action + " " + std::string(audit::OutcomeName(e.outcome)));
    EXPECT_EQ(e.tenant_id, tenant_.id.value());
    EXPECT_EQ(e.resource, "record:people/p1");
    EXPECT_EQ(e.details.at("collection"), "people");
    EXPECT_EQ(e.details.at("id"), "p1");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"records.write allowed", "records.read allowed",
                                            "records.delete allowed", "records.read failed"}));
}

TEST_F(RecordsTest, NothingIsWrittenOrReturnedWhenTheAuditLogFails) {
  PutOk("p1", {{"x", 1}});
  audit_.set_fail(true);
  auto w = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "p2",
                         json{{"x", 2}}, {}, nullptr);
  EXPECT_EQ(w.status().code(), base::ErrorCode::kUnavailable);
  auto r = records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "p1", nullptr);
  EXPECT_EQ(r.status().code(), base::ErrorCode::kUnavailable);
  auto d = records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", {});
  EXPECT_EQ(d.status().code(), base::ErrorCode::kUnavailable);
  audit_.set_fail(false);
  auto tx = *store_->BeginRead();
  EXPECT_EQ(tx->Query("SELECT id FROM vault_records WHERE ciphertext IS NOT NULL")->size(), 1u);
}

TEST_F(RecordsTest, ALegalHoldBlocksDeletingAndReplacingButNotCreating) {
  PutOk("p1", {{"x", 1}});
  {
    auto tx = *store_->BeginWrite();
    ASSERT_TRUE(tx->Execute("INSERT INTO vault_legal_holds (id, tenant_id, collection, reason, "
                            "placed_by, placed_at) VALUES ('hold_1', ?, 'people', 'case 7', "
                            "'usr_so', '2027-01-01T00:00:00Z')",
                            {storage::Text(tenant_.id.value())})
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto d = records_->Delete(Permit(admin_, Action::kRecordsDelete, "people"), "people", "p1", {});
  EXPECT_EQ(d.status().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(d.status().message().find("legal hold hold_1"), std::string::npos);
  auto w = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "p1",
                         json{{"x", 2}}, {}, nullptr);
  EXPECT_EQ(w.status().code(), base::ErrorCode::kFailedPrecondition);
  PutOk("p2", {{"x", 1}});
  EXPECT_EQ(audit_.With("records.delete").back().reason, "legal_hold");
}

TEST_F(RecordsTest, APermitForAnotherActionOrCollectionIsRefused) {
  PutOk("p1", {{"x", 1}});
  auto wrong_action =
      records_->Get(Permit(admin_, Action::kRecordsWrite, "people"), "people", "p1", nullptr);
  EXPECT_EQ(wrong_action.status().code(), base::ErrorCode::kInternal);
  auto wrong_collection =
      records_->Get(Permit(admin_, Action::kRecordsRead, "other"), "people", "p1", nullptr);
  EXPECT_EQ(wrong_collection.status().code(), base::ErrorCode::kInternal);
}

TEST_F(RecordsTest, AServiceUserReadsOnlyUnderAGrantAndTheAccessNamesTheGrant) {
  EXPECT_EQ(authorizer_
                ->Admit(As(service_), Actor(service_), Action::kRecordsRead,
                        access::Target{tenant_.id, "people", "collection:people"})
                .status()
                .code(),
            base::ErrorCode::kPermissionDenied);
  PutOk("p1", {{"x", 1}, {"ssn", "123"}});
  const access::Grant g = *grants_->CreateSupportGrant(
      Actor(admin_),
      access::SupportGrantRequest{
          tenant_.id, admin_.id, service_.id, false, {"people"}, "T-1", clock_.Now() + 1h});
  auto r = records_->Get(Permit(service_, Action::kRecordsRead, "people"), "people", "p1", nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data["ssn"], "***");
  EXPECT_EQ(audit_.With("records.read").back().details.at("grant"), g.id);
  EXPECT_EQ(audit_.With("records.read").back().reason, "via_grant");
  // The grant does not unmask.
  EXPECT_EQ(authorizer_
                ->Admit(As(service_), Actor(service_), Action::kRecordsUnmask,
                        access::Target{tenant_.id, "people", "collection:people"})
                .status()
                .code(),
            base::ErrorCode::kPermissionDenied);
}

TEST_F(RecordsTest, ConcurrentWritersShareCommitsAndEveryWriteIsThereAndAudited) {
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people",
                               "t" + std::to_string(t) + "-" + std::to_string(i),
                               json{{"t", t}, {"i", i}, {"email", "x@example.com"}}, {}, nullptr);
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto tx = *store_->BeginRead();
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM vault_records"))[0].GetInt(0).value(),
            kThreads * kEach);
  EXPECT_EQ((*tx->Query("SELECT COUNT(*) FROM vault_lookup"))[0].GetInt(0).value(),
            kThreads * kEach);
  EXPECT_EQ(audit_.With("records.write").size(), static_cast<std::size_t>(kThreads * kEach));
  const auto r =
      records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "t3-7", nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data["i"], 7);
}

TEST_F(RecordsTest, OfConcurrentCreatesOfOneIdExactlyOneWinsAndTheOthersChangeNothing) {
  WriteConditions absent;
  absent.if_absent = true;
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> won{0}, aborted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto r = records_->Put(Permit(admin_, Action::kRecordsWrite, "people"), "people", "same",
                             json{{"writer", t}}, absent, nullptr);
      if (r.ok()) ++won;
      if (r.status().code() == base::ErrorCode::kAborted) ++aborted;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(aborted.load(), kThreads - 1);
  const auto r =
      records_->Get(Permit(admin_, Action::kRecordsRead, "people"), "people", "same", nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 1u);
  std::size_t allowed = 0, failed = 0;
  for (const auto& e : audit_.With("records.write")) {
    (e.outcome == audit::Outcome::kAllowed ? allowed : failed)++;
  }
  EXPECT_EQ(allowed, 1u);
  EXPECT_EQ(failed, static_cast<std::size_t>(kThreads - 1));
}

}  // namespace
}  // namespace strongroom::vault
