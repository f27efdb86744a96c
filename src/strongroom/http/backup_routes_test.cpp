#include <gtest/gtest.h>

#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using nlohmann::json;

class BackupApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    tenant_ = AddTenant("Acme");
    officer_user_ = AddUser("so-sven", Role::kSecurityOfficer).user;
    officer_ = SessionFor(officer_user_);
    auditor_ = SessionFor(AddUser("aud-ann", Role::kAuditor).user);
    admin_ = SessionFor(AddUser("adm-ada", Role::kAdmin).user);
    staff_ = SessionFor(AddUser("stf-sam", Role::kStaff).user);
    service_ = SessionFor(AddUser("svc-sid", Role::kService).user);
    client_admin_ = SessionFor(AddUser("acme-boss", Role::kClientAdmin, tenant_.id).user);
  }

  std::string MakeBackup(const std::filesystem::path& destination) {
    auto made = backups_->Create(Operator(), {destination});
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    clock_.Advance(std::chrono::minutes(5));  // Backup ids are by time.
    return made.ok() ? made->id : "";
  }

  identity::Tenant tenant_;
  identity::User officer_user_;
  std::string officer_, auditor_, admin_, staff_, service_, client_admin_;
};

TEST_F(BackupApiTest, ListsNothingBeforeTheFirstBackupWithTheSchedule) {
  const Reply r = Call("GET", "/api/v1/backups", officer_);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["backups"], json::array());
  EXPECT_EQ(r.body["operations"], json::array());
  const json& schedule = r.body["schedule"];
  EXPECT_EQ(schedule["scheduled"], true);
  EXPECT_EQ(schedule["destinations"], json::array({(temp_ / "backups").string()}));
  EXPECT_EQ(schedule["create_every_hours"], 24);
  EXPECT_EQ(schedule["verify_every_hours"], 168);
  EXPECT_EQ(schedule["retention"],
            (json{{"daily_days", 35}, {"monthly_months", 12}, {"yearly_years", 7}}));
}

TEST_F(BackupApiTest, ListsBackupsInEveryDestinationWithVerificationAndLastOutcomes) {
  const std::string scheduled = MakeBackup(temp_ / "backups");
  const std::string by_hand = MakeBackup(temp_ / "elsewhere");  // The CLI's --to: not configured.
  auto verified = backups_->Verify(Operator(), temp_ / "backups" / scheduled, 5);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  ASSERT_TRUE(verified->ok);

  const Reply r = Call("GET", "/api/v1/backups", auditor_);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["backups"].size(), 2u);
  const json& newest = r.body["backups"][0];
  const json& oldest = r.body["backups"][1];
  EXPECT_EQ(newest["id"], by_hand);
  EXPECT_EQ(oldest["id"], scheduled);
  EXPECT_EQ(newest["destinations"].size(), 1u);
  EXPECT_TRUE(newest["verified_at"].is_null());
  EXPECT_EQ(oldest["verified_ok"], true);
  EXPECT_FALSE(oldest["verified_at"].is_null());
  EXPECT_EQ(oldest["legal_hold"], false);
  EXPECT_GT(oldest["archive_bytes"].get<std::uint64_t>(), 0u);
  ASSERT_EQ(oldest["tenants"].size(), 1u);
  EXPECT_EQ(oldest["tenants"][0]["id"], tenant_.id.value());

  std::map<std::string, json> ops;
  for (const json& o : r.body["operations"]) ops[o["operation"]] = o;
  ASSERT_TRUE(ops.contains("create"));
  EXPECT_EQ(ops["create"]["successes"], 2);
  EXPECT_EQ(ops["create"]["failures"], 0);
  EXPECT_FALSE(ops["create"]["last_success_at"].is_null());
  EXPECT_GT(ops["create"]["last_bytes"].get<std::uint64_t>(), 0u);
  ASSERT_TRUE(ops.contains("verify"));
  EXPECT_EQ(ops["verify"]["successes"], 1);

  // Reading is an audited access decision, as every access.
  std::size_t reads = 0;
  for (const auto& e : audit_.With("access.allowed")) {
    if (e.resource == "backups" && e.details.count("requested") &&
        e.details.at("requested") == "backups.read")
      ++reads;
  }
  EXPECT_EQ(reads, 1u);
}

TEST_F(BackupApiTest, ProviderOversightReadsAndNobodyElse) {
  for (const std::string& token : {officer_, auditor_, admin_}) {
    EXPECT_EQ(Call("GET", "/api/v1/backups", token).status, 200);
  }
  for (const std::string& token : {staff_, service_, client_admin_}) {
    EXPECT_EQ(Call("GET", "/api/v1/backups", token).status, 403);
  }
  EXPECT_EQ(Call("GET", "/api/v1/backups").status, 401);
}

TEST_F(BackupApiTest, OnlyASecurityOfficerHoldsAndReleasesABackup) {
  const std::string id = MakeBackup(temp_ / "backups");
  const std::string path = "/api/v1/backups/" + id + "/legal-hold";
  for (const std::string& token : {auditor_, admin_, staff_, client_admin_}) {
    EXPECT_EQ(Call("PUT", path, token, json{{"reason", "Case 7"}}).status, 403);
  }
  const Reply held = Call("PUT", path, officer_, json{{"reason", "Case 7"}});
  ASSERT_EQ(held.status, 200) << held.raw;
  EXPECT_EQ(held.body["legal_hold"], true);
  EXPECT_EQ(Call("GET", "/api/v1/backups", auditor_).body["backups"][0]["legal_hold"], true);
  ASSERT_EQ(audit_.With("backup.hold").size(), 1u);
  EXPECT_EQ(audit_.With("backup.hold")[0].actor_id, officer_user_.id.value());

  // A held backup survives a policy that keeps nothing else.
  backup::RetentionPolicy keep_least{1, 0, 0};
  clock_.Advance(std::chrono::days(400));
  MakeBackup(temp_ / "backups");
  auto pruned = backups_->Prune(Operator(), {temp_ / "backups"}, keep_least);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_TRUE(pruned->removed.empty());
  officer_ = SessionFor(officer_user_);  // The earlier sessions expired in those 400 days.
  auditor_ = SessionFor(AddUser("aud-bob", Role::kAuditor).user);

  EXPECT_EQ(Call("DELETE", path, auditor_).status, 403);
  const Reply released = Call("DELETE", path, officer_);
  ASSERT_EQ(released.status, 200) << released.raw;
  EXPECT_EQ(released.body["legal_hold"], false);
  EXPECT_EQ(Call("DELETE", path, officer_).status, 404);
  pruned = backups_->Prune(Operator(), {temp_ / "backups"}, keep_least);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned->removed, std::vector<std::string>{id});
}

TEST_F(BackupApiTest, RefusesABadHoldInWords) {
  const std::string id = MakeBackup(temp_ / "backups");
  const std::string path = "/api/v1/backups/" + id + "/legal-hold";
  const Reply no_reason = Call("PUT", path, officer_, json::object());
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.raw.find("reason"), std::string::npos) << no_reason.raw;
  const Reply long_reason = Call("PUT", path, officer_, json{{"reason", std::string(501, 'x')}});
  EXPECT_EQ(long_reason.status, 400);
  EXPECT_NE(long_reason.raw.find("500"), std::string::npos) << long_reason.raw;
  EXPECT_EQ(Call("PUT", path, officer_, json{{"reason", "x"}, {"until", "2030"}}).status, 400);
  const Reply unknown =
      Call("PUT", "/api/v1/backups/20260101T000000Z/legal-hold", officer_, json{{"reason", "x"}});
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  EXPECT_TRUE(audit_.With("backup.hold").empty());
}

}  // namespace
}  // namespace strongroom::http
