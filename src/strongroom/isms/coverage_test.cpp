#include "strongroom/isms/coverage.hpp"

#include <gtest/gtest.h>

#include "strongroom/identity/testing/identity_fixture.hpp"

namespace strongroom::isms {
namespace {

using identity::Role;
using namespace std::chrono_literals;

class CoverageTest : public identity::testing::IdentityFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frameworks_.LoadShipped(CatalogLoaderActor()).ok());
    owner_ = AddUser("so-olga", Role::kSecurityOfficer).user.id.value();
    start_ = clock_.Now();
    Make("C-CRYPTO", ControlStatus::kImplemented, {{"iso27001-2022", "A.8.24"}});
    Make("C-BACKUP", ControlStatus::kImplemented, {{"iso27001-2022", "A.8.13"}});
    Make("C-OFFSITE", ControlStatus::kPlanned, {{"iso27001-2022", "A.8.13"}});
    Make("C-PHYSICAL", ControlStatus::kNotApplicable, {{"iso27001-2022", "A.7.1"}},
         "No premises: fully remote, hosted by a certified provider");
    clock_.Advance(1h);
    NewEvidence e;
    e.control_id = "C-CRYPTO";
    e.kind = EvidenceKind::kLink;
    e.title = "Encryption configuration review";
    e.period_from = "2026-01-01";
    e.period_to = "2026-12-31";
    e.expires_at = base::FormatRfc3339(clock_.Now() + 24h * 30);
    e.url = "https://wiki.example/crypto-review";
    ASSERT_TRUE(evidence_.Add(Operator(), e).ok());
    evidence_at_ = clock_.Now();
    clock_.Advance(1h);
  }

  void Make(const std::string& id, ControlStatus status, std::vector<RequirementRef> reqs,
            const std::string& justification = "") {
    NewControl c;
    c.id = id;
    c.title = id;
    c.owner_id = owner_;
    c.status = status;
    c.justification = justification;
    c.requirements = std::move(reqs);
    ASSERT_TRUE(controls_.Create(Operator(), c).ok()) << id;
  }

  static const RequirementCoverage& Find(const Coverage& c, const std::string& id) {
    for (const RequirementCoverage& r : c.requirements) {
      if (r.id == id) return r;
    }
    ADD_FAILURE() << "no requirement " << id;
    static const RequirementCoverage kNone;
    return kNone;
  }

  Frameworks frameworks_{*store_, audit_, clock_};
  Controls controls_{*store_, audit_, clock_};
  EvidenceStore evidence_{*store_, audit_, clock_};
  CoverageCalculator coverage_{frameworks_, controls_, evidence_};
  std::string owner_;
  base::Time start_, evidence_at_;
};

TEST_F(CoverageTest, StatusesFollowControlsAndEvidenceWithReasons) {
  auto c = coverage_.Compute("iso27001-2022", clock_.Now());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const RequirementCoverage& crypto = Find(*c, "A.8.24");
  EXPECT_EQ(crypto.status, CoverageStatus::kMet);
  EXPECT_EQ(crypto.basis, "mapped");
  ASSERT_EQ(crypto.reasons.size(), 1u);
  EXPECT_EQ(crypto.reasons[0].evidence_in_force, 1u);
  EXPECT_EQ(crypto.reasons[0].note, "implemented, 1 piece of evidence in force");

  const RequirementCoverage& backup = Find(*c, "A.8.13");
  EXPECT_EQ(backup.status, CoverageStatus::kPartlyMet);
  EXPECT_EQ(backup.reasons.size(), 2u);

  const RequirementCoverage& physical = Find(*c, "A.7.1");
  EXPECT_EQ(physical.status, CoverageStatus::kNotApplicable);
  EXPECT_NE(physical.reasons[0].note.find("No premises"), std::string::npos);

  const RequirementCoverage& policy = Find(*c, "A.5.1");
  EXPECT_EQ(policy.status, CoverageStatus::kNotMet);
  EXPECT_EQ(policy.basis, "none");

  // A theme aggregates its controls.
  EXPECT_EQ(Find(*c, "A.8").status, CoverageStatus::kPartlyMet);
  EXPECT_EQ(Find(*c, "A.8").basis, "children");
  EXPECT_EQ(Find(*c, "A.5").status, CoverageStatus::kNotMet);

  EXPECT_EQ(c->summary.met, 1u);
  EXPECT_EQ(c->summary.partly_met, 1u);
  EXPECT_EQ(c->summary.not_applicable, 1u);
  EXPECT_EQ(c->summary.met + c->summary.partly_met + c->summary.not_met + c->summary.not_applicable,
            93u + 30u);  // Annex A's controls and the main body's leaf clauses.
}

TEST_F(CoverageTest, ARequirementNothingIsMappedToIsAssessedThroughACrosswalk) {
  auto c = coverage_.Compute("iso27001-2013", clock_.Now());
  ASSERT_TRUE(c.ok());
  // 2013's A.10.1.1 became 2022's A.8.24.
  const RequirementCoverage& old = Find(*c, "A.10.1.1");
  EXPECT_EQ(old.status, CoverageStatus::kMet);
  EXPECT_EQ(old.basis, "crosswalk");
  ASSERT_EQ(old.reasons.size(), 1u);
  EXPECT_EQ(old.reasons[0].via,
            "crosswalk:iso27001-2013_to_iso27001-2022 via iso27001-2022:A.8.24");
}

TEST_F(CoverageTest, ThePostureOfAPastDateIsReproduced) {
  // Before the evidence: implemented but unproven.
  EXPECT_EQ(Find(*coverage_.Compute("iso27001-2022", evidence_at_ - 1min), "A.8.24").status,
            CoverageStatus::kPartlyMet);
  // Before the controls existed: nothing.
  EXPECT_EQ(Find(*coverage_.Compute("iso27001-2022", start_ - 1min), "A.8.24").status,
            CoverageStatus::kNotMet);

  // The control is later marked not applicable: the past keeps its answer.
  const base::Time before_change = clock_.Now();
  clock_.Advance(1h);
  ControlChange na;
  na.status = ControlStatus::kNotApplicable;
  na.justification = "Moved to a managed service";
  ASSERT_TRUE(controls_.Update(Operator(), "C-CRYPTO", na).ok());
  EXPECT_EQ(Find(*coverage_.Compute("iso27001-2022", clock_.Now()), "A.8.24").status,
            CoverageStatus::kNotApplicable);
  EXPECT_EQ(Find(*coverage_.Compute("iso27001-2022", before_change), "A.8.24").status,
            CoverageStatus::kMet);
}

TEST_F(CoverageTest, ExpiredEvidenceAndOverdueReviewsAreListed) {
  const base::Time later = clock_.Now() + 24h * 400;
  auto c = coverage_.Compute("iso27001-2022", later);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Find(*c, "A.8.24").status, CoverageStatus::kPartlyMet);  // Its evidence expired.
  ASSERT_EQ(c->expired_evidence->size(), 1u);
  EXPECT_EQ((*c->expired_evidence)[0].control_id, "C-CRYPTO");
  // Every applicable control was due for review within the year.
  std::set<std::string> overdue;
  for (const OverdueReview& o : *c->overdue_reviews) overdue.insert(o.control_id);
  EXPECT_EQ(overdue, (std::set<std::string>{"C-BACKUP", "C-CRYPTO", "C-OFFSITE"}));
  EXPECT_TRUE(coverage_.Compute("iso27001-2022", clock_.Now())->overdue_reviews->empty());

  const auto j = CoverageJson(*c);
  EXPECT_EQ(j["summary"]["partly_met"], 2);
  EXPECT_EQ(j["expired_evidence"][0]["control_id"], "C-CRYPTO");
  EXPECT_EQ(coverage_.Compute("nist-csf-9", later).status().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace strongroom::isms
