#include "strongroom/isms/library.hpp"

#include <gtest/gtest.h>

#include <set>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::isms {
namespace {

using identity::Role;

// The rows of the commitments table in the product brief (PRODUCT.md), word for word.
const std::vector<std::string> kCommitments = {
    "Encrypted at rest (AES-256) and in transit (TLS)",
    "User account + passphrase + second factor (2FA)",
    "Passwords hashed",
    "Role-based access; access restricted to job responsibilities",
    "Client data touched by a qualified service-team member only when the client requests it",
    "Multi-tenancy: client data segregated by logical controls",
    "Security auditing that identifies attacks, successful or not",
    "Events analysed for intrusion detection; logs monitored by a SOC",
    "Firewall: only specific ports open; request filtering on web servers",
    "Vulnerability scans: ports, services, application layer, password strength, configuration, "
    "database controls",
    "Backups encrypted (AES-256), kept 7 years, restoration regularly tested; mirrored to an "
    "alternate site",
    "Secure disposal of media",
    "Every information asset has an owner; classification and labelling",
    "Background checks, NDAs, security training at hire and recurring, performance reviews, "
    "timely removal of leavers' access, disciplinary process",
    "Board oversight, internal audit, steering committee, quarterly security reviews, "
    "key-indicator reports",
    "Risk assessment with severity, escalation above risk appetite",
    "Incident procedure per NIST SP 800-61 r2, breach notification, root-cause analysis; DRP, "
    "recovery teams, pandemic plan",
    "Change management: documented, approved, tested, segregation of duties, emergency path; "
    "patching",
    "Subcontractors bound to the same security terms",
    "Remote working: encrypted, MDM-managed, approved devices only",
    "NIST CSF, SOC 2, ISO 27001",
};

TEST(ControlLibrary, CoversEveryCommitmentWithAtLeastSixtyControls) {
  auto lib = ShippedControlLibrary();
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  EXPECT_GE(lib->controls.size(), 60u);
  std::set<std::string> ids;
  std::map<std::string, int> per_commitment;
  for (const LibraryControl& c : lib->controls) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id << " appears twice";
    ++per_commitment[c.commitment];
    EXPECT_FALSE(c.description.empty()) << c.id;
  }
  for (const std::string& row : kCommitments) {
    EXPECT_GT(per_commitment[row], 0) << "no control serves: " << row;
  }
  EXPECT_EQ(per_commitment.size(), kCommitments.size()) << "a control names an unknown row";
}

TEST(ControlLibrary, RefusesAMalformedLibrary) {
  EXPECT_FALSE(ParseControlLibrary("{}").ok());
  EXPECT_FALSE(ParseControlLibrary(R"({"schema": "control-library/v1"})").ok());
  const auto no_maps = ParseControlLibrary(
      R"({"schema": "control-library/v1", "controls": [{"id": "X-1", "title": "t",
          "commitment": "c"}]})");
  ASSERT_FALSE(no_maps.ok());
  EXPECT_NE(no_maps.status().message().find("'X-1'"), std::string::npos);
}

class LibraryInstallTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_.LoadShipped(CatalogLoaderActor()).ok());
    owner_ = AddUser("adm-ada", Role::kAdmin).user.id.value();
  }
  Frameworks frameworks_{*store_, audit_, clock_};
  Controls controls_{*store_, audit_, clock_};
  std::string owner_;
};

TEST_F(LibraryInstallTest, InstallsEveryControlMappedInAllFiveFrameworksOnce) {
  const ControlLibrary lib = *ShippedControlLibrary();
  auto created = InstallControlLibrary(controls_, frameworks_, Operator(), owner_, lib);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*created, lib.controls.size());
  EXPECT_EQ(audit_.With("controls.create").size(), lib.controls.size());

  ControlQuery all;
  all.limit = 1000;
  const auto page = controls_.List(all);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->controls.size(), lib.controls.size());
  std::size_t derived = 0;
  for (const Control& c : page->controls) {
    EXPECT_EQ(c.origin, "library");
    EXPECT_EQ(c.owner_id, owner_);
    std::set<std::string> frameworks;
    for (const RequirementRef& r : c.requirements) {
      frameworks.insert(r.framework);
      if (r.source != "ours") ++derived;
      // Only the older editions are reached through crosswalks.
      if (r.framework == "nist-csf-2.0" || r.framework == "iso27001-2022" ||
          r.framework == "aicpa-tsc-2017") {
        EXPECT_EQ(r.source, "ours") << c.id << " " << r.requirement;
      }
    }
    EXPECT_EQ(frameworks, (std::set<std::string>{"aicpa-tsc-2017", "iso27001-2013", "iso27001-2022",
                                                 "nist-csf-1.1", "nist-csf-2.0"}))
        << c.id;
  }
  EXPECT_GT(derived, 100u);

  const Control crypto = *controls_.Get("SR-CRY-01");
  EXPECT_EQ(crypto.status, ControlStatus::kImplemented);  // Strongroom enforces it.
  const auto has = [](const Control& c, const RequirementRef& r) {
    return std::find(c.requirements.begin(), c.requirements.end(), r) != c.requirements.end();
  };
  EXPECT_TRUE(
      has(crypto, {"iso27001-2013", "A.10.1.1", "crosswalk:iso27001-2013_to_iso27001-2022"}));
  EXPECT_TRUE(
      has(crypto, {"iso27001-2013", "A.10.1.2", "crosswalk:iso27001-2013_to_iso27001-2022"}));
  const Control backups = *controls_.Get("SR-BAK-01");
  EXPECT_TRUE(has(backups, {"nist-csf-1.1", "PR.IP-4", "crosswalk:nist-csf-1.1_to_nist-csf-2.0"}));
  EXPECT_EQ(controls_.Get("SR-HR-01")->status, ControlStatus::kPlanned);  // The provider's to do.
  // Where no crosswalk reaches, the mapping is ours.
  EXPECT_TRUE(has(*controls_.Get("SR-GOV-01"), {"nist-csf-1.1", "ID.GV-4", "ours"}));

  // Installing again adds nothing.
  created = InstallControlLibrary(controls_, frameworks_, Operator(), owner_, lib);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(*created, 0u);
}

}  // namespace
}  // namespace strongroom::isms
