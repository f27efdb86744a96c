#include <gtest/gtest.h>

#include "strongroom/detect/monitor.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using nlohmann::json;

class AlertApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    tenant_ = AddTenant("Acme");
    officer_user_ = AddUser("so-sven", Role::kSecurityOfficer).user;
    officer_ = SessionFor(officer_user_);
    auditor_ = SessionFor(AddUser("aud-ann", Role::kAuditor).user);
    staff_ = SessionFor(AddUser("stf-sam", Role::kStaff).user);
    admin_ = SessionFor(AddUser("adm-ada", Role::kAdmin).user);
    client_admin_ = SessionFor(AddUser("acme-boss", Role::kClientAdmin, tenant_.id).user);
    // A break-glass into Acme: the detection raises a critical alert for it.
    const Reply opened = Call("POST", "/api/v1/tenants/" + tenant_.id.value() + "/break-glass",
                              officer_, json{{"incident", "INC-9"}, {"duration_minutes", 30}});
    ASSERT_EQ(opened.status, 201) << opened.raw;
    detect::DetectionMonitor monitor(*store_, *audit_log_, *alerts_, detect::DetectionConfig{},
                                     clock_, detect::MonitorOptions{});
    auto raised = monitor.RunOnce();
    ASSERT_TRUE(raised.ok()) << raised.error().message();
    ASSERT_EQ(*raised, 1u);
  }

  identity::Tenant tenant_;
  identity::User officer_user_;
  std::string officer_, auditor_, staff_, admin_, client_admin_;
};

TEST_F(AlertApiTest, SecurityOfficersAndAuditorsListAlertsAndNobodyElse) {
  const Reply listed = Call("GET", "/api/v1/alerts", officer_);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  ASSERT_EQ(listed.body["alerts"].size(), 1u);
  const json& alert = listed.body["alerts"][0];
  EXPECT_EQ(alert["rule"], "break_glass");
  EXPECT_EQ(alert["severity"], "critical");
  EXPECT_EQ(alert["tenant_id"], tenant_.id.value());
  EXPECT_EQ(alert["status"], "open");
  EXPECT_NE(alert["summary"].get<std::string>().find("INC-9"), std::string::npos);
  EXPECT_FALSE(alert["event_seqs"].empty());
  EXPECT_TRUE(listed.body["next_cursor"].is_null());

  EXPECT_EQ(Call("GET", "/api/v1/alerts", auditor_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/alerts/" + alert["id"].get<std::string>(), auditor_).status, 200);
  for (const std::string& token : {staff_, admin_, client_admin_}) {
    EXPECT_EQ(Call("GET", "/api/v1/alerts", token).status, 403);
  }
  EXPECT_EQ(Call("GET", "/api/v1/alerts").status, 401);
}

TEST_F(AlertApiTest, OnlyASecurityOfficerAcknowledgesAndOnlyOnce) {
  const std::string id = Call("GET", "/api/v1/alerts", officer_).body["alerts"][0]["id"];
  const std::string path = "/api/v1/alerts/" + id + "/acknowledge";
  EXPECT_EQ(Call("POST", path, auditor_, json{{"note", "seen"}}).status, 403);
  EXPECT_EQ(Call("POST", path, admin_).status, 403);

  const Reply acked = Call("POST", path, officer_, json{{"note", "INC-9 is a drill"}});
  ASSERT_EQ(acked.status, 200) << acked.raw;
  EXPECT_EQ(acked.body["alert"]["status"], "acknowledged");
  EXPECT_EQ(acked.body["alert"]["acknowledged_by"], officer_user_.id.value());
  EXPECT_EQ(acked.body["alert"]["note"], "INC-9 is a drill");

  const Reply again = Call("POST", path, officer_);
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(Call("GET", "/api/v1/alerts?status=open", officer_).body["alerts"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?status=acknowledged", officer_).body["alerts"].size(), 1u);

  // The acknowledgement is in the audit trail, under the officer.
  bool found = false;
  for (const auto& e : audit_.With("alerts.acknowledge")) {
    found = found || (e.actor_id == officer_user_.id.value() && e.resource == "alert:" + id);
  }
  EXPECT_TRUE(found);
}

TEST_F(AlertApiTest, BadInputGetsAClearError) {
  const std::string id = Call("GET", "/api/v1/alerts", officer_).body["alerts"][0]["id"];
  const Reply bad_status = Call("GET", "/api/v1/alerts?status=closed", officer_);
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_NE(bad_status.raw.find("open or acknowledged"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?limit=0", officer_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?cursor=zzz", officer_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alerts/alr_0_nothing", officer_).status, 404);
  const Reply unknown_field =
      Call("POST", "/api/v1/alerts/" + id + "/acknowledge", officer_, json{{"notes", "x"}});
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.raw.find("note"), std::string::npos);
  const Reply long_note = Call("POST", "/api/v1/alerts/" + id + "/acknowledge", officer_,
                               json{{"note", std::string(2001, 'n')}});
  EXPECT_EQ(long_note.status, 400);
  // Nothing was half-done: the alert is still open.
  EXPECT_EQ(Call("GET", "/api/v1/alerts?status=open", officer_).body["alerts"].size(), 1u);
}

}  // namespace
}  // namespace strongroom::http
