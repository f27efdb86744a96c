#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "strongroom/access/testing/policy_table.hpp"
#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using nlohmann::json;

std::string SmallOscal() {
  std::ifstream in(access::testing::TestDataDir() / "isms/oscal-small-catalog.json",
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class IsmsApiTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_->LoadShipped(isms::CatalogLoaderActor()).ok());
    tenant_ = AddTenant("Acme");
    officer_ = SessionFor(AddUser("so-sven", Role::kSecurityOfficer).user);
    auditor_ = SessionFor(AddUser("aud-ann", Role::kAuditor).user);
    admin_ = SessionFor(AddUser("adm-ada", Role::kAdmin).user);
    staff_ = SessionFor(AddUser("stf-sam", Role::kStaff).user);
    client_admin_ = SessionFor(AddUser("acme-boss", Role::kClientAdmin, tenant_.id).user);
  }

  identity::Tenant tenant_;
  std::string officer_, auditor_, admin_, staff_, client_admin_;
};

TEST_F(IsmsApiTest, EveryProviderRoleListsTheCatalogsAndCrosswalks) {
  for (const std::string& token : {officer_, auditor_, admin_, staff_}) {
    const Reply r = Call("GET", "/api/v1/frameworks", token);
    ASSERT_EQ(r.status, 200) << r.raw;
    std::vector<std::string> ids;
    for (const json& f : r.body["frameworks"]) ids.push_back(f["id"]);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"aicpa-tsc-2017", "iso27001-2013", "iso27001-2022",
                                             "nist-csf-1.1", "nist-csf-2.0"}));
    EXPECT_EQ(r.body["crosswalks"].size(), 4u);
  }
  EXPECT_EQ(Call("GET", "/api/v1/frameworks", client_admin_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks").status, 401);

  const Reply iso = Call("GET", "/api/v1/frameworks/iso27001-2022", auditor_);
  ASSERT_EQ(iso.status, 200) << iso.raw;
  EXPECT_EQ(iso.body["framework"]["counts"]["control"], 93);
  EXPECT_EQ(iso.body["framework"]["origin"], "shipped");
  EXPECT_EQ(iso.body["framework"]["revision"], 1);
  const Reply missing = Call("GET", "/api/v1/frameworks/iso27001-2099", auditor_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.raw.find("iso27001-2099"), std::string::npos);
}

TEST_F(IsmsApiTest, PagesThroughRequirementsWithTheCatalogsFields) {
  std::vector<std::string> ids;
  std::string path = "/api/v1/frameworks/nist-csf-2.0/requirements?kind=subcategory&limit=50";
  for (int pages = 0; pages < 5; ++pages) {
    const Reply r = Call("GET", path, staff_);
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const json& item : r.body["requirements"]) {
      EXPECT_EQ(item["kind"], "subcategory");
      if (item["status"] == "active") ids.push_back(item["id"]);
    }
    if (r.body["next_cursor"].is_null()) break;
    path = "/api/v1/frameworks/nist-csf-2.0/requirements?kind=subcategory&limit=50&cursor=" +
           r.body["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(ids.size(), 106u);
  EXPECT_EQ(ids.front(), "GV.OC-01");

  const Reply iso = Call("GET", "/api/v1/frameworks/iso27001-2013/requirements?limit=1000", staff_);
  ASSERT_EQ(iso.status, 200);
  const json& first_control =
      *std::find_if(iso.body["requirements"].begin(), iso.body["requirements"].end(),
                    [](const json& item) { return item["kind"] == "control"; });
  EXPECT_EQ(first_control["id"], "A.5.1.1");
  EXPECT_EQ(first_control["parent"], "A.5.1");
  EXPECT_TRUE(first_control["text"].is_null());  // ISO's text is not ours to ship.
  EXPECT_FALSE(first_control["title"].get<std::string>().empty());

  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nist-csf-2.0/requirements?cursor=zzz", staff_).status,
            400);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nist-csf-2.0/requirements?limit=0", staff_).status,
            400);
}

TEST_F(IsmsApiTest, ASecurityOfficerImportsAnOscalCatalog) {
  const std::string oscal = SmallOscal();
  const std::vector<std::pair<std::string, std::string>> json_type = {
      {"Content-Type", "application/json"}};
  const auto post = [&](const std::string& path, const std::string& token,
                        const std::string& body) {
    auto client = crypto::testing::TlsClient::Connect(port_);
    std::vector<std::pair<std::string, std::string>> headers = json_type;
    headers.emplace_back("Authorization", "Bearer " + token);
    EXPECT_TRUE((*client)->Send(crypto::testing::BuildRequest("POST", path, headers, body)).ok());
    return *(*client)->ReadReply();
  };
  EXPECT_EQ(post("/api/v1/frameworks?id=test-baseline", auditor_, oscal).status, 403);
  EXPECT_EQ(post("/api/v1/frameworks?id=test-baseline", staff_, oscal).status, 403);

  const auto created = post("/api/v1/frameworks?id=test-baseline", officer_, oscal);
  ASSERT_EQ(created.status, 201) << created.body;
  const json body = json::parse(created.body);
  EXPECT_EQ(body["framework"]["id"], "test-baseline");
  EXPECT_EQ(body["framework"]["origin"], "imported");
  EXPECT_EQ(body["framework"]["items"], 8);
  const std::string sha = base::HexEncode(crypto::Sha256(base::AsBytes(oscal)));
  EXPECT_EQ(body["framework"]["content_sha256"], sha);
  ASSERT_EQ(audit_.With("frameworks.import").size(), 1u);
  EXPECT_EQ(audit_.With("frameworks.import")[0].details.at("sha256"), sha);

  const Reply reqs = Call("GET", "/api/v1/frameworks/test-baseline/requirements", auditor_);
  ASSERT_EQ(reqs.status, 200);
  EXPECT_EQ(reqs.body["requirements"][2]["id"], "ac-1");
  EXPECT_EQ(reqs.body["requirements"][2]["label"], "AC-1");

  const auto no_id = post("/api/v1/frameworks", officer_, oscal);
  EXPECT_EQ(no_id.status, 400);
  EXPECT_NE(no_id.body.find("?id="), std::string::npos) << no_id.body;
  const auto not_oscal = post("/api/v1/frameworks?id=x", officer_, R"({"profile": {}})");
  EXPECT_EQ(not_oscal.status, 400);
  EXPECT_NE(not_oscal.body.find("not an OSCAL catalog"), std::string::npos) << not_oscal.body;
  const auto shipped = post("/api/v1/frameworks?id=nist-csf-2.0", officer_, oscal);
  EXPECT_EQ(shipped.status, 409) << shipped.body;
  EXPECT_EQ(audit_.With("frameworks.import").size(), 1u);
}

class ControlApiTest : public IsmsApiTest {
 protected:
  void SetUp() override {
    IsmsApiTest::SetUp();
    sam_ = AddUser("stf-sue", Role::kStaff).user;
    sue_ = SessionFor(sam_);
    other_staff_ = SessionFor(AddUser("stf-tom", Role::kStaff).user);
  }

  json NewControl(const std::string& title) const {
    return {{"title", title},
            {"description", "Every backup is encrypted and a restore is tested weekly."},
            {"owner_id", sam_.id.value()},
            {"status", "implemented"},
            {"review_every_days", 180},
            {"requirements",
             {{{"framework", "iso27001-2022"}, {"requirement", "A.8.13"}},
              {{"framework", "aicpa-tsc-2017"}, {"requirement", "A1.2"}}}}};
  }

  identity::User sam_;
  std::string sue_, other_staff_;
};

TEST_F(ControlApiTest, ASecurityOfficerCreatesAndChangesControlsAndStaffSeeTheirOwn) {
  EXPECT_EQ(Call("POST", "/api/v1/controls", auditor_, NewControl("Backups")).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/controls", sue_, NewControl("Backups")).status, 403);
  const Reply made = Call("POST", "/api/v1/controls", officer_, NewControl("Backups"));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body["control"]["id"];
  EXPECT_EQ(id, "CTL-0001");
  EXPECT_EQ(made.body["control"]["version"], 1);
  EXPECT_EQ(made.body["control"]["requirements"].size(), 2u);
  EXPECT_EQ(made.body["control"]["requirements"][0]["source"], "ours");

  json theirs = NewControl("Someone else's");
  theirs["owner_id"] = AddUser("stf-ann", Role::kStaff).user.id.value();
  ASSERT_EQ(Call("POST", "/api/v1/controls", officer_, theirs).status, 201);

  // Staff see what they own; auditors and the admin see everything.
  const Reply own = Call("GET", "/api/v1/controls", sue_);
  ASSERT_EQ(own.status, 200) << own.raw;
  ASSERT_EQ(own.body["controls"].size(), 1u);
  EXPECT_EQ(own.body["controls"][0]["id"], id);
  EXPECT_EQ(Call("GET", "/api/v1/controls", other_staff_).body["controls"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/controls/" + id, other_staff_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/controls/" + id + "/history", other_staff_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/controls/" + id, sue_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/controls", auditor_).body["controls"].size(), 2u);
  EXPECT_EQ(Call("GET", "/api/v1/controls", admin_).body["controls"].size(), 2u);
  EXPECT_EQ(Call("GET", "/api/v1/controls", client_admin_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/controls?framework=aicpa-tsc-2017&requirement=A1.2", auditor_)
                .body["controls"]
                .size(),
            2u);

  // A change is a new version; the past is still there.
  const std::string before = base::FormatRfc3339(clock_.Now());
  clock_.Advance(std::chrono::minutes(1));
  const Reply changed = Call(
      "PATCH", "/api/v1/controls/" + id, officer_,
      json{{"status", "not_applicable"}, {"justification", "No backups here"}, {"version", 1}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["control"]["version"], 2);
  EXPECT_EQ(changed.body["control"]["justification"], "No backups here");
  const Reply stale = Call("PATCH", "/api/v1/controls/" + id, officer_,
                           json{{"title", "Backups, again"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409) << stale.raw;
  EXPECT_EQ(Call("PATCH", "/api/v1/controls/" + id, auditor_, json{{"reviewed", true}}).status,
            403);
  const Reply then = Call("GET", "/api/v1/controls/" + id + "?as_of=" + before, auditor_);
  ASSERT_EQ(then.status, 200) << then.raw;
  EXPECT_EQ(then.body["control"]["status"], "implemented");
  const Reply history = Call("GET", "/api/v1/controls/" + id + "/history", sue_);
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.body["versions"].size(), 2u);
  EXPECT_EQ(audit_.With("controls.update").size(), 1u);
}

TEST_F(ControlApiTest, RefusesABadControlInWords) {
  const auto refused = [&](const json& body, const std::string& fragment) {
    const Reply r = Call("POST", "/api/v1/controls", officer_, body);
    EXPECT_EQ(r.status, 400) << body.dump();
    EXPECT_NE(r.raw.find(fragment), std::string::npos) << r.raw;
  };
  json body = NewControl("x");
  body.erase("owner_id");
  refused(body, "owner_id");
  body = NewControl("x");
  body["status"] = "done";
  refused(body, "planned, implemented or not_applicable");
  body = NewControl("x");
  body["requirements"] = json::array({"A.8.13"});
  refused(body, "{\\\"framework\\\": ID");
  body = NewControl("x");
  body["requirements"] = json::array({{{"framework", "iso27001-2022"}, {"requirement", "A.1"}}});
  refused(body, "does not exist");
  body = NewControl("x");
  body["colour"] = "red";
  refused(body, "colour");
  body = NewControl("x");
  body["review_every_days"] = 5000;
  refused(body, "1095");
  EXPECT_EQ(Call("GET", "/api/v1/controls?status=done", auditor_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/controls?requirement=A.8.13", auditor_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/controls/CTL-0001?as_of=yesterday", auditor_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/controls/CTL-0042", auditor_).status, 404);
  EXPECT_TRUE(audit_.With("controls.create").empty());
}

}  // namespace
}  // namespace strongroom::http
