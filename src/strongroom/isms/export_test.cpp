#include "strongroom/isms/export.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::isms {
namespace {

using identity::Role;
using namespace std::chrono_literals;

class ExportTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_.LoadShipped(CatalogLoaderActor()).ok());
    const std::string owner = AddUser("so-olga", Role::kSecurityOfficer).user.id.value();
    NewControl c;
    c.id = "C-CRYPTO";
    c.title = "Encryption at rest";
    c.owner_id = owner;
    c.status = ControlStatus::kImplemented;
    c.requirements = {
        {"iso27001-2022", "A.8.24"}, {"aicpa-tsc-2017", "CC6.1"}, {"nist-csf-2.0", "PR.DS-01"}};
    ASSERT_TRUE(controls_.Create(Operator(), c).ok());
    c.id = "C-PHYSICAL";
    c.title = "=Physical security";  // A title a spreadsheet would run as a formula.
    c.status = ControlStatus::kNotApplicable;
    c.justification = "No premises, \"fully\" remote";
    c.requirements = {{"iso27001-2022", "A.7.1"}};
    ASSERT_TRUE(controls_.Create(Operator(), c).ok());
    clock_.Advance(1h);
  }

  Coverage Cover(const std::string& framework) {
    return *coverage_.Compute(framework, clock_.Now());
  }

  static const std::vector<std::string>& Row(const Table& t, const std::string& id) {
    for (const auto& r : t.rows) {
      if (r[0] == id || (r.size() > 2 && r[2] == id)) return r;
    }
    ADD_FAILURE() << "no row " << id;
    static const std::vector<std::string> kNone(8);
    return kNone;
  }

  Frameworks frameworks_{*store_, audit_, clock_};
  Controls controls_{*store_, audit_, clock_};
  EvidenceStore evidence_{*store_, audit_, clock_};
  CoverageCalculator coverage_{frameworks_, controls_, evidence_};
};

TEST_F(ExportTest, TheStatementOfApplicabilityListsEveryAnnexAControl) {
  auto soa = StatementOfApplicability(Cover("iso27001-2022"));
  ASSERT_TRUE(soa.ok()) << soa.status().ToString();
  EXPECT_EQ(soa->rows.size(), 93u);
  const auto& crypto = Row(*soa, "A.8.24");
  EXPECT_EQ(crypto[2], "Yes");
  EXPECT_EQ(crypto[4], "C-CRYPTO Encryption at rest (implemented)");
  EXPECT_EQ(crypto[5], "Partly met");  // Implemented, no evidence yet.
  const auto& physical = Row(*soa, "A.7.1");
  EXPECT_EQ(physical[2], "No");
  EXPECT_NE(physical[3].find("No premises"), std::string::npos);
  EXPECT_EQ(Row(*soa, "A.5.1")[2], "Yes");
  EXPECT_EQ(Row(*soa, "A.5.1")[5], "Not met");

  auto soa2013 = StatementOfApplicability(Cover("iso27001-2013"));
  ASSERT_TRUE(soa2013.ok());
  EXPECT_EQ(soa2013->rows.size(), 114u);
  EXPECT_NE(Row(*soa2013, "A.10.1.1")[4].find("crosswalk:iso27001-2013_to_iso27001-2022"),
            std::string::npos);
  EXPECT_EQ(StatementOfApplicability(Cover("aicpa-tsc-2017")).status().code(),
            base::ErrorCode::kNotFound);
}

TEST_F(ExportTest, TheControlMatrixAndTheCsfProfileCoverEveryCriterionAndSubcategory) {
  auto matrix = ControlMatrix(Cover("aicpa-tsc-2017"));
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->rows.size(), 61u);
  EXPECT_EQ(Row(*matrix, "CC6.1")[2], "C-CRYPTO Encryption at rest (implemented)");
  auto profile = CsfProfile(Cover("nist-csf-2.0"));
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->rows.size(), 106u);
  const auto& ds01 = Row(*profile, "PR.DS-01");
  EXPECT_EQ(ds01[0], "PR");
  EXPECT_EQ(ds01[1], "PR.DS");
  EXPECT_EQ(ds01[4], "Partly met");
  EXPECT_EQ(CsfProfile(Cover("nist-csf-1.1"))->rows.size(), 108u);
  EXPECT_EQ(ControlMatrix(Cover("nist-csf-2.0")).status().code(), base::ErrorCode::kNotFound);
}

TEST_F(ExportTest, CsvQuotesEveryCellAndDefusesFormulas) {
  Table t{"T", {"a", "b"}, {{"=1+1", "say \"hi\"\nthere"}, {"-2", "plain"}}};
  EXPECT_EQ(RenderCsv(t),
            "\"a\",\"b\"\r\n\"'=1+1\",\"say \"\"hi\"\"\nthere\"\r\n\"'-2\",\"plain\"\r\n");
  auto soa = StatementOfApplicability(Cover("iso27001-2022"));
  const std::string csv = RenderCsv(*soa);
  // Only a cell's first character makes a formula: inside a cell the text is as it was.
  EXPECT_NE(csv.find("C-PHYSICAL =Physical security"), std::string::npos);
  EXPECT_NE(csv.find("\"\"fully\"\""), std::string::npos);
}

TEST_F(ExportTest, XlsxIsAWorkbookAndLeavesNothingBehind) {
  auto soa = StatementOfApplicability(Cover("iso27001-2022"));
  const std::filesystem::path scratch = temp_ / "export-scratch";
  auto xlsx = RenderXlsx(*soa, scratch);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  ASSERT_GT(xlsx->size(), 1000u);
  EXPECT_EQ(xlsx->substr(0, 4), std::string("PK\x03\x04", 4));  // A ZIP container.
  EXPECT_NE(xlsx->find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_NE(xlsx->find("xl/sharedStrings.xml"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(scratch));
}

TEST_F(ExportTest, OscalAssessmentResultsHaveAFindingPerRequirement) {
  const Coverage c = Cover("iso27001-2022");
  const auto doc = OscalAssessmentResults(c, "ISO/IEC 27001:2022");
  const auto& ar = doc["assessment-results"];
  EXPECT_EQ(ar["metadata"]["oscal-version"], "1.1.2");
  EXPECT_EQ(ar["uuid"].get<std::string>().size(), 36u);
  EXPECT_EQ(ar["uuid"].get<std::string>()[14], '4');
  const auto& findings = ar["results"][0]["findings"];
  EXPECT_EQ(findings.size(), c.requirements.size());
  bool seen = false;
  for (const auto& f : findings) {
    if (f["target"]["target-id"] == "A.7.1") {
      EXPECT_EQ(f["target"]["status"]["state"], "satisfied");  // Not applicable.
      EXPECT_EQ(f["props"][0]["value"], "not_applicable");
      seen = true;
    }
    if (f["target"]["target-id"] == "A.8.24") {
      EXPECT_EQ(f["target"]["status"]["state"], "not-satisfied");
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace strongroom::isms
