#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

class EvidenceApiTest : public ControlApiTest {
 protected:
  void SetUp() override {
    ControlApiTest::SetUp();
    const Reply made = Call("POST", "/api/v1/controls", officer_, NewControl("Backups"));
    ASSERT_EQ(made.status, 201) << made.raw;
    control_ = made.body["control"]["id"];
  }

  crypto::testing::HttpReply Raw(const std::string& method, const std::string& path,
                                 const std::string& token, const std::string& content_type,
                                 const std::string& body) {
    auto client = crypto::testing::TlsClient::Connect(port_);
    EXPECT_TRUE(client.ok());
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", content_type}, {"Authorization", "Bearer " + token}};
    EXPECT_TRUE((*client)->Send(crypto::testing::BuildRequest(method, path, headers, body)).ok());
    auto reply = (*client)->ReadReply();
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : crypto::testing::HttpReply{};
  }

  json Link() const {
    return {{"kind", "link"},
            {"title", "Restore test, November"},
            {"period_from", "2026-11-01"},
            {"period_to", "2026-11-30"},
            {"expires_at", base::FormatRfc3339(clock_.Now() + std::chrono::days(90))},
            {"url", "https://wiki.example/restore-2026-11"}};
  }

  std::string control_;
};

TEST_F(EvidenceApiTest, LinksAndAttestationsAreAddedSupersededAndSeenByTheRightPeople) {
  EXPECT_EQ(Call("POST", "/api/v1/controls/" + control_ + "/evidence", auditor_, Link()).status,
            403);
  const Reply added = Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, Link());
  ASSERT_EQ(added.status, 201) << added.raw;
  const std::string id = added.body["evidence"]["id"];
  EXPECT_EQ(added.body["evidence"]["sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(audit_.With("evidence.add").size(), 1u);
  EXPECT_EQ(audit_.With("evidence.add")[0].details.at("sha256"), added.body["evidence"]["sha256"]);

  json attestation = Link();
  attestation.erase("url");
  attestation["kind"] = "attestation";
  attestation["attested_by"] = "Olga Ivanova";
  attestation["statement"] = "The restore succeeded.";
  attestation["supersedes"] = id;
  const Reply v2 =
      Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, attestation);
  ASSERT_EQ(v2.status, 201) << v2.raw;
  EXPECT_EQ(v2.body["evidence"]["version"], 2);
  EXPECT_EQ(v2.body["evidence"]["lineage"], id);

  // The owner and the auditor see it; other staff do not.
  const Reply mine = Call("GET", "/api/v1/controls/" + control_ + "/evidence", sue_);
  ASSERT_EQ(mine.status, 200) << mine.raw;
  EXPECT_EQ(mine.body["evidence"].size(), 1u);
  EXPECT_EQ(
      Call("GET", "/api/v1/controls/" + control_ + "/evidence?include_superseded=true", auditor_)
          .body["evidence"]
          .size(),
      2u);
  EXPECT_EQ(Call("GET", "/api/v1/evidence/" + id, auditor_).body["evidence"]["superseded_by"],
            v2.body["evidence"]["id"]);
  EXPECT_EQ(Call("GET", "/api/v1/evidence/" + id, other_staff_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/controls/" + control_ + "/evidence", other_staff_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/evidence/" + id + "/file", auditor_).status, 404);  // A link.

  json bad = Link();
  bad.erase("expires_at");
  const Reply missing = Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, bad);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.raw.find("expires_at is required"), std::string::npos) << missing.raw;
  bad = Link();
  bad["kind"] = "file";
  EXPECT_EQ(Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, bad).status, 400);
  bad = Link();
  bad["colour"] = "red";
  EXPECT_EQ(Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, bad).status, 400);
}

TEST_F(EvidenceApiTest, AFileIsStoredEncryptedInTheProvidersTenantAndComesBackIntact) {
  std::string pdf = "%PDF-1.7 restore report ";
  for (int i = 0; i < 20000; ++i) pdf += static_cast<char>('a' + i % 26);
  const std::string query =
      "?title=Restore%20report&period_from=2026-11-01&period_to=2026-11-30"
      "&expires_at=" +
      base::FormatRfc3339(clock_.Now() + std::chrono::days(90));
  const auto uploaded = Raw("POST", "/api/v1/controls/" + control_ + "/evidence" + query, officer_,
                            "application/pdf", pdf);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const json e = json::parse(uploaded.body)["evidence"];
  const std::string sha = base::HexEncode(crypto::Sha256(base::AsBytes(pdf)));
  EXPECT_EQ(e["kind"], "file");
  EXPECT_EQ(e["sha256"], sha);
  EXPECT_EQ(e["file"]["size"], pdf.size());
  EXPECT_EQ(e["file"]["media_type"], "application/pdf");
  EXPECT_EQ(audit_.With("evidence.add").back().details.at("sha256"), sha);

  // Not in clear on disk; the provider's tenant is not a client.
  bool blob_found = false;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(temp_ / "files" / "ten_provider")) {
    if (!entry.is_regular_file()) continue;
    blob_found = true;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(stored.find("restore report"), std::string::npos);
  }
  EXPECT_TRUE(blob_found);
  const Reply tenants = Call("GET", "/api/v1/tenants", admin_);
  ASSERT_EQ(tenants.status, 200);
  for (const json& t : tenants.body["tenants"]) {
    EXPECT_NE(t["id"], "ten_provider");
  }

  const Reply download =
      Call("GET", "/api/v1/evidence/" + e["id"].get<std::string>() + "/file", auditor_);
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.raw, pdf);
  EXPECT_EQ(Call("GET", "/api/v1/evidence/" + e["id"].get<std::string>() + "/file", sue_).status,
            200);
  EXPECT_EQ(
      Call("GET", "/api/v1/evidence/" + e["id"].get<std::string>() + "/file", other_staff_).status,
      404);
  EXPECT_EQ(
      Call("GET", "/api/v1/evidence/" + e["id"].get<std::string>() + "/file", client_admin_).status,
      403);

  // A bad upload is refused before anything is stored.
  const auto before = std::distance(
      std::filesystem::recursive_directory_iterator(temp_ / "files" / "ten_provider"), {});
  const auto refused = Raw("POST",
                           "/api/v1/controls/" + control_ +
                               "/evidence?title=x&period_from=2026-12-01&period_to=2026-11-01"
                               "&expires_at=2030-01-01T00:00:00Z",
                           officer_, "application/pdf", pdf);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("period_to"), std::string::npos);
  EXPECT_EQ(
      std::distance(std::filesystem::recursive_directory_iterator(temp_ / "files" / "ten_provider"),
                    {}),
      before);
  EXPECT_EQ(Raw("POST", "/api/v1/controls/" + control_ + "/evidence" + query, auditor_,
                "application/pdf", pdf)
                .status,
            403);
}

TEST_F(EvidenceApiTest, CoverageShowsEachRequirementWithReasonsAsOfADate) {
  const std::string before = base::FormatRfc3339(clock_.Now());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_EQ(Call("POST", "/api/v1/controls/" + control_ + "/evidence", officer_, Link()).status,
            201);
  const Reply now = Call("GET", "/api/v1/frameworks/iso27001-2022/coverage", auditor_);
  ASSERT_EQ(now.status, 200) << now.raw;
  const json& cov = now.body["coverage"];
  EXPECT_EQ(cov["framework"], "iso27001-2022");
  const auto find = [](const json& c, const std::string& id) {
    for (const json& r : c["requirements"]) {
      if (r["id"] == id) return r;
    }
    return json();
  };
  EXPECT_EQ(find(cov, "A.8.13")["status"], "met");
  EXPECT_EQ(find(cov, "A.8.13")["reasons"][0]["control_id"], control_);
  EXPECT_EQ(cov["summary"]["met"], 1);

  const Reply then =
      Call("GET", "/api/v1/frameworks/iso27001-2022/coverage?as_of=" + before, officer_);
  ASSERT_EQ(then.status, 200);
  EXPECT_EQ(find(then.body["coverage"], "A.8.13")["status"], "partly_met");
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/iso27001-2022/coverage?as_of=2020-01-01", officer_)
                .body["coverage"]["summary"]["met"],
            0);
  EXPECT_EQ(
      Call("GET", "/api/v1/frameworks/iso27001-2022/coverage?as_of=last+week", officer_).status,
      400);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/iso27001-2022/coverage", sue_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nope/coverage", auditor_).status, 404);
}

TEST_F(EvidenceApiTest, ExportsDownloadAsXlsxCsvAndOscal) {
  const Reply soa = Call("GET", "/api/v1/frameworks/iso27001-2022/soa.xlsx", auditor_);
  ASSERT_EQ(soa.status, 200) << soa.raw;
  EXPECT_EQ(soa.raw.substr(0, 4), std::string("PK\x03\x04", 4));
  bool attachment = false;
  for (const auto& [name, value] : soa.http.headers) {
    if (name == "content-disposition") {
      attachment = value.find("soa-iso27001-2022-") != std::string::npos;
    }
  }
  EXPECT_TRUE(attachment);
  const Reply csv =
      Call("GET", "/api/v1/frameworks/iso27001-2013/soa.csv?as_of=2026-01-01", officer_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.raw.begin(), csv.raw.end(), '\n') > 114, true);
  EXPECT_NE(csv.raw.find("\"A.18.2.3\""), std::string::npos);
  const Reply matrix =
      Call("GET", "/api/v1/frameworks/aicpa-tsc-2017/control-matrix.csv", auditor_);
  ASSERT_EQ(matrix.status, 200);
  EXPECT_NE(matrix.raw.find(control_), std::string::npos);  // It addresses A1.2.
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nist-csf-2.0/profile.csv", auditor_).status, 200);
  const Reply oscal =
      Call("GET", "/api/v1/frameworks/nist-csf-2.0/assessment-results.json", auditor_);
  ASSERT_EQ(oscal.status, 200);
  EXPECT_FALSE(oscal.body["assessment-results"]["results"][0]["findings"].empty());

  // The wrong report for a framework, a staff member, an unknown framework.
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nist-csf-2.0/soa.csv", auditor_).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/iso27001-2022/soa.xlsx", sue_).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/iso27001-2099/soa.xlsx", auditor_).status, 404);
  EXPECT_TRUE(std::filesystem::is_empty(temp_ / "export-tmp"));
}

}  // namespace
}  // namespace strongroom::http
