#include "strongroom/access/decide.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "strongroom/access/testing/policy_table.hpp"

namespace strongroom::access {
namespace {

using identity::Role;
using identity::TenantId;
using identity::UserId;

const TenantId kA("ten_a");
const TenantId kB("ten_b");
const base::Time kNow = base::FromUnixMillis(1'800'000'000'000);

GrantView Grant(std::string id, GrantKind kind, bool read_write,
                std::vector<std::string> collections = {},
                base::Time expires = kNow + std::chrono::hours(1)) {
  return GrantView{std::move(id), kA, kind, read_write, std::move(collections), expires};
}

// The subjects of the table's columns.
std::map<std::string, Subject> TableSubjects() {
  std::map<std::string, Subject> s;
  s["adm"] = Subject{UserId("u1"), Role::kAdmin};
  s["so"] = Subject{UserId("u2"), Role::kSecurityOfficer};
  s["sobg"] = Subject{UserId("u3"),
                      Role::kSecurityOfficer,
                      std::nullopt,
                      false,
                      {Grant("grt_bg", GrantKind::kBreakGlass, false)}};
  s["svc"] = Subject{UserId("u4"), Role::kService, std::nullopt, true};
  s["svcR"] = Subject{UserId("u5"),
                      Role::kService,
                      std::nullopt,
                      true,
                      {Grant("grt_r", GrantKind::kSupport, false)}};
  s["svcW"] = Subject{UserId("u6"),
                      Role::kService,
                      std::nullopt,
                      true,
                      {Grant("grt_w", GrantKind::kSupport, true)}};
  s["svcU"] = Subject{UserId("u7"),
                      Role::kService,
                      std::nullopt,
                      false,
                      {Grant("grt_u", GrantKind::kSupport, true)}};
  s["aud"] = Subject{UserId("u8"), Role::kAuditor};
  s["stf"] = Subject{UserId("u9"), Role::kStaff};
  s["cadm"] = Subject{UserId("u10"), Role::kClientAdmin, kA};
  s["cusr"] = Subject{UserId("u11"), Role::kClientUser, kA};
  return s;
}

TEST(Decide, MatchesEveryCellOfTheWrittenPolicy) {
  const testing::PolicyTable table =
      testing::LoadPolicyTable(testing::TestDataDir() / "access/decisions.txt");
  const auto subjects = TableSubjects();
  ASSERT_EQ(table.subjects.size(), subjects.size());
  ASSERT_EQ(table.cells.size(), 3u);
  int cells = 0, mismatches = 0;
  for (const auto& [block, rows] : table.cells) {
    // Every action in every block.
    EXPECT_EQ(rows.size(), AllActions().size()) << block;
    Resource resource;
    if (block == "tenant A") resource.tenant = kA;
    if (block == "tenant B") resource.tenant = kB;
    for (const auto& [name, row] : rows) {
      const auto action = ParseAction(name);
      ASSERT_TRUE(action.ok()) << name;
      for (const auto& [column, expected] : row) {
        const Decision d = Decide(subjects.at(column), *action, resource, kNow);
        ++cells;
        if (d.allowed != expected) {
          ++mismatches;
          ADD_FAILURE() << block << " / " << name << " / " << column << ": expected "
                        << (expected ? "allow" : "deny") << ", got "
                        << (d.allowed ? "allow" : "deny") << " (" << d.reason << ")";
        }
      }
    }
  }
  EXPECT_EQ(cells, static_cast<int>(3 * AllActions().size() * subjects.size()));
  EXPECT_EQ(mismatches, 0);
}

TEST(Decide, EveryActionHasANameThatParsesBack) {
  std::set<std::string_view> names;
  for (Action a : AllActions()) {
    EXPECT_EQ(*ParseAction(ActionName(a)), a);
    EXPECT_TRUE(names.insert(ActionName(a)).second);
  }
  EXPECT_FALSE(ParseAction("records.*").ok());
}

TEST(Decide, AllowedDecisionsSayWhyAndWhichGrant) {
  const auto s = TableSubjects();
  const Resource a{kA, true, "contacts"};
  EXPECT_EQ(Decide(s.at("svcW"), Action::kRecordsWrite, a, kNow).reason, "via_grant");
  EXPECT_EQ(Decide(s.at("svcW"), Action::kRecordsWrite, a, kNow).grant_id, "grt_w");
  EXPECT_EQ(Decide(s.at("sobg"), Action::kRecordsRead, a, kNow).reason, "via_break_glass");
  EXPECT_EQ(Decide(s.at("cusr"), Action::kRecordsRead, a, kNow).reason, "role:client_user");
  EXPECT_EQ(Decide(s.at("adm"), Action::kRecordsRead, a, kNow).reason,
            "admin_reads_no_client_data");
  EXPECT_EQ(Decide(s.at("svcU"), Action::kRecordsRead, a, kNow).reason, "not_qualified");
  EXPECT_EQ(Decide(s.at("svcR"), Action::kRecordsWrite, a, kNow).reason, "read_only_grant");
  EXPECT_EQ(Decide(s.at("cusr"), Action::kRecordsRead, Resource{kB}, kNow).reason,
            "foreign_tenant");
  EXPECT_EQ(Decide(s.at("cusr"), Action::kRecordsRead, Resource{}, kNow).reason, "no_tenant");
}

TEST(Decide, GrantsExpire) {
  Subject svc{UserId("u"),
              Role::kService,
              std::nullopt,
              true,
              {Grant("g", GrantKind::kSupport, true, {}, kNow + std::chrono::minutes(5))}};
  EXPECT_TRUE(Decide(svc, Action::kRecordsRead, Resource{kA}, kNow).allowed);
  const auto later = kNow + std::chrono::minutes(5);
  const Decision d = Decide(svc, Action::kRecordsRead, Resource{kA}, later);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "no_grant");
}

TEST(Decide, GrantsCoverOnlyTheirCollections) {
  Subject svc{UserId("u"),
              Role::kService,
              std::nullopt,
              true,
              {Grant("g", GrantKind::kSupport, true, {"contacts", "tickets"})}};
  EXPECT_TRUE(Decide(svc, Action::kRecordsRead, Resource{kA, true, "contacts"}, kNow).allowed);
  EXPECT_TRUE(Decide(svc, Action::kRecordsWrite, Resource{kA, true, "tickets"}, kNow).allowed);
  const Decision d = Decide(svc, Action::kRecordsRead, Resource{kA, true, "invoices"}, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "collection_not_granted");
  // Files belong to no collection: only a grant for every collection covers them.
  EXPECT_FALSE(Decide(svc, Action::kFilesRead, Resource{kA}, kNow).allowed);
}

TEST(Decide, GrantKindsDoNotStandInForEachOther) {
  // A support grant does nothing for a security officer, a break-glass nothing for a service user.
  Subject so{UserId("u"),
             Role::kSecurityOfficer,
             std::nullopt,
             true,
             {Grant("g", GrantKind::kSupport, true)}};
  EXPECT_FALSE(Decide(so, Action::kRecordsRead, Resource{kA}, kNow).allowed);
  Subject svc{
      UserId("v"), Role::kService, std::nullopt, true, {Grant("h", GrantKind::kBreakGlass, true)}};
  EXPECT_FALSE(Decide(svc, Action::kRecordsRead, Resource{kA}, kNow).allowed);
  // Neither does a grant on another tenant.
  Subject other{UserId("w"),
                Role::kService,
                std::nullopt,
                true,
                {GrantView{"i", kB, GrantKind::kSupport, true, {}, kNow + std::chrono::hours(1)}}};
  EXPECT_FALSE(Decide(other, Action::kRecordsRead, Resource{kA}, kNow).allowed);
}

TEST(Decide, ASuspendedTenantIsFrozenForAllButTheAdmin) {
  const auto s = TableSubjects();
  const Resource frozen{kA, false, "contacts"};
  for (const char* who : {"sobg", "svcR", "svcW", "cadm", "cusr"}) {
    const Decision d = Decide(s.at(who), Action::kRecordsRead, frozen, kNow);
    EXPECT_FALSE(d.allowed) << who;
    EXPECT_EQ(d.reason, "tenant_suspended") << who;
  }
  EXPECT_FALSE(Decide(s.at("so"), Action::kBreakGlassOpen, frozen, kNow).allowed);
  EXPECT_FALSE(Decide(s.at("cadm"), Action::kGrantsCreate, frozen, kNow).allowed);
  for (Action a : {Action::kTenantsRead, Action::kTenantsResume, Action::kTenantsUpdateSettings,
                   Action::kTenantsShred, Action::kUsersDeactivate, Action::kUsersList}) {
    EXPECT_TRUE(Decide(s.at("adm"), a, frozen, kNow).allowed) << ActionName(a);
  }
  EXPECT_FALSE(Decide(s.at("adm"), Action::kTenantsSuspend, frozen, kNow).allowed);
  EXPECT_FALSE(Decide(s.at("so"), Action::kKeysRotate, frozen, kNow).allowed);
  // A legal hold can still be placed on a frozen tenant: it is what stops a shred.
  EXPECT_TRUE(Decide(s.at("so"), Action::kLegalHoldsManage, frozen, kNow).allowed);
  EXPECT_TRUE(Decide(s.at("cadm"), Action::kLegalHoldsRead, frozen, kNow).allowed);
  EXPECT_FALSE(Decide(s.at("cadm"), Action::kLegalHoldsManage, frozen, kNow).allowed);
}

TEST(Decide, PotentialActionsFollowThePolicy) {
  const auto contains = [](Role role, Action a) {
    const auto actions = PotentialActions(role);
    return std::find(actions.begin(), actions.end(), a) != actions.end();
  };
  EXPECT_TRUE(contains(Role::kService, Action::kRecordsWrite));  // Through a grant.
  EXPECT_FALSE(contains(Role::kService, Action::kUsersCreate));
  EXPECT_TRUE(contains(Role::kSecurityOfficer, Action::kRecordsRead));  // Through break-glass.
  EXPECT_FALSE(contains(Role::kAdmin, Action::kRecordsRead));
  EXPECT_TRUE(contains(Role::kClientUser, Action::kFilesWrite));
  EXPECT_FALSE(contains(Role::kClientUser, Action::kGrantsCreate));
  EXPECT_TRUE(contains(Role::kClientAdmin, Action::kGrantsCreate));
  EXPECT_EQ(PotentialActions(Role::kStaff).size(), 3u);  // self, tokens, isms.read
}

TEST(Decide, ApiTokensNeverExceedTheirPermissions) {
  Subject cu = TableSubjects().at("cusr");
  cu.token_permissions = std::vector<Action>{Action::kRecordsRead};
  EXPECT_TRUE(Decide(cu, Action::kRecordsRead, Resource{kA}, kNow).allowed);
  for (Action a : {Action::kRecordsWrite, Action::kSelfRead, Action::kTokensManage}) {
    const Decision d = Decide(cu, a, Resource{kA}, kNow);
    EXPECT_FALSE(d.allowed) << ActionName(a);
    EXPECT_EQ(d.reason, "outside_token_scope");
  }
  // A permission the role lacks stays denied even when the token lists it.
  cu.token_permissions = std::vector<Action>{Action::kGrantsCreate};
  EXPECT_FALSE(Decide(cu, Action::kGrantsCreate, Resource{kA}, kNow).allowed);
}

}  // namespace
}  // namespace strongroom::access
