// The authorization matrix, generated: every route of the API (tests/testdata/access/routes.txt)
// x every kind of subject x tenant A / tenant B / no tenant, over HTTPS, against the answer
// written in tests/testdata/access/decisions.txt. A route that forgets to authorize, asks for the
// wrong action, or names the wrong tenant fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "strongroom/access/testing/policy_table.hpp"
#include "strongroom/http/testing/api_fixture.hpp"

namespace strongroom::http {
namespace {

using identity::Role;
using namespace std::chrono_literals;

struct RouteCase {
  std::string method, path, action, resource, body;
  std::string name;  // For the test's name.
};

void PrintTo(const RouteCase& c, std::ostream* out) {
  *out << c.method << " " << c.path << " (" << c.action << ", " << c.resource << ")";
}

std::vector<RouteCase> LoadRouteCases() {
  std::vector<RouteCase> cases;
  std::ifstream in(access::testing::TestDataDir() / "access/routes.txt");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    if (cols.size() != 5) continue;  // LoadsEveryRoute below fails on a malformed file.
    std::stringstream resources(cols[3]);
    for (std::string r; std::getline(resources, r, ',');) {
      RouteCase c{cols[0], cols[1], cols[2], r, cols[4], ""};
      c.name = std::to_string(++n) + "_" + c.method + "_" + c.action + "_" + r;
      for (char& ch : c.name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

class RouteMatrixTest : public testing::ApiFixture,
                        public ::testing::WithParamInterface<RouteCase> {
 protected:
  void SetUp() override {
    tenant_a_ = AddTenant("Tenant A");
    tenant_b_ = AddTenant("Tenant B");
    const identity::User cadm = AddUser("subject-cadm", Role::kClientAdmin, tenant_a_.id).user;
    const identity::User svc_r = Qualified(AddUser("svc-r", Role::kService).user);
    const identity::User svc_w = Qualified(AddUser("svc-w", Role::kService).user);
    const identity::User svc_u = Qualified(AddUser("svc-u", Role::kService).user);
    grantee_ = Qualified(AddUser("svc-grantee", Role::kService).user);
    for (const auto& [user, rw] :
         {std::pair{svc_r, false}, std::pair{svc_w, true}, std::pair{svc_u, true}}) {
      ASSERT_TRUE(grants_
                      ->CreateSupportGrant(
                          Operator(),
                          access::SupportGrantRequest{
                              tenant_a_.id, cadm.id, user.id, rw, {}, "T-0", clock_.Now() + 48h})
                      .ok());
    }
    const identity::User unqualified = *accounts_->SetQualified(Operator(), svc_u.id, false);
    const identity::User sobg = AddUser("so-bg", Role::kSecurityOfficer).user;
    ASSERT_TRUE(grants_
                    ->OpenBreakGlass(Operator(), access::BreakGlassRequest{tenant_a_.id, sobg.id,
                                                                           "INC-0", false, 2h})
                    .ok());
    subjects_ = {
        {"adm", AddUser("subject-adm", Role::kAdmin).user},
        {"so", AddUser("subject-so", Role::kSecurityOfficer).user},
        {"sobg", sobg},
        {"svc", Qualified(AddUser("subject-svc", Role::kService).user)},
        {"svcR", svc_r},
        {"svcW", svc_w},
        {"svcU", unqualified},
        {"aud", AddUser("subject-aud", Role::kAuditor).user},
        {"stf", AddUser("subject-stf", Role::kStaff).user},
        {"cadm", cadm},
        {"cusr", AddUser("subject-cusr", Role::kClientUser, tenant_a_.id).user},
    };
    targets_["A"] = AddUser("target-a", Role::kClientUser, tenant_a_.id).user;
    targets_["B"] = AddUser("target-b", Role::kClientUser, tenant_b_.id).user;
    targets_["none"] = AddUser("target-p", Role::kStaff).user;
  }

  identity::User Qualified(const identity::User& u) {
    return *accounts_->SetQualified(Operator(), u.id, true);
  }

  std::string Expand(std::string text, const std::string& resource) {
    const bool tenanted = resource != "none";
    const std::string tenant = resource == "A" ? tenant_a_.id.value() : tenant_b_.id.value();
    const auto replace = [&text](const std::string& from, const std::string& to) {
      for (std::size_t at; (at = text.find(from)) != std::string::npos;)
        text.replace(at, from.size(), to);
    };
    replace("{tenant_query}", tenanted ? "?tenant_id=" + tenant : "");
    replace("{tenant_field}", tenanted ? ",\"tenant_id\":\"" + tenant + "\"" : "");
    replace("{tenant}", tenant);
    replace("{user}", targets_.at(resource).id.value());
    replace("{role}", tenanted ? "client_user" : "staff");
    replace("{n}", std::to_string(++counter_));
    replace("{grantee}", grantee_.username);
    replace("{expires}", base::FormatRfc3339(clock_.Now() + 24h));
    return text;
  }

  identity::Tenant tenant_a_, tenant_b_;
  identity::User grantee_;
  std::vector<std::pair<std::string, identity::User>> subjects_;
  std::map<std::string, identity::User> targets_;
  int counter_ = 0;
};

TEST_P(RouteMatrixTest, AnswersAsThePolicyTableSays) {
  const RouteCase& c = GetParam();
  const auto table =
      access::testing::LoadPolicyTable(access::testing::TestDataDir() / "access/decisions.txt");
  const std::string block = c.resource == "A"   ? "tenant A"
                            : c.resource == "B" ? "tenant B"
                                                : "no tenant";
  // The admin last: some of its allowed actions (suspending a tenant) would end the client
  // subjects' sessions.
  for (auto it = subjects_.rbegin(); it != subjects_.rend(); ++it) {
    const auto& [column, user] = *it;
    const bool allowed = table.Expected(block, c.action, column);
    const std::string path = Expand(c.path, c.resource);
    std::optional<nlohmann::json> body;
    if (c.body != "-") body = nlohmann::json::parse(Expand(c.body, c.resource));
    const Reply r = Call(c.method, path, SessionFor(user), body);
    if (allowed) {
      EXPECT_NE(r.status, 403) << column << " " << c.method << " " << path << ": " << r.raw;
      EXPECT_NE(r.status, 401) << column << " " << c.method << " " << path << ": " << r.raw;
      EXPECT_LT(r.status, 500) << column << " " << c.method << " " << path << ": " << r.raw;
    } else {
      EXPECT_EQ(r.status, 403) << column << " " << c.method << " " << path << ": " << r.raw;
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<RouteCase>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(EveryRoute, RouteMatrixTest, ::testing::ValuesIn(LoadRouteCases()),
                         CaseName);

TEST(RouteMatrix, LoadsEveryRoute) {
  std::ifstream in(access::testing::TestDataDir() / "access/routes.txt");
  int rows = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 4) << line;
  }
  EXPECT_EQ(rows, 79);
  EXPECT_EQ(LoadRouteCases().size(), 127u);
}

}  // namespace
}  // namespace strongroom::http
